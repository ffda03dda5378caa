// needsPreflight and formNavigation against test/fixtures/cors/preflight.json.
import { describe, expect, it } from 'vitest';
import { formNavigation, needsPreflight, simpleRange, unsafeWhy } from '../../src/cors/index.js';
import type { HeaderList, PreflightCause } from '../../src/cors/index.js';
import { fixtureJson } from './helpers.js';

interface PreflightCase {
  name: string;
  method: string;
  headers: HeaderList;
  browser?: boolean;
  contentType?: string;
  xhrUploadListener?: boolean;
  needed: boolean;
  acrm: string | null;
  acrh: string | null;
  causes?: PreflightCause[];
}

const table = fixtureJson<{ browserHeaders: HeaderList; cases: PreflightCase[]; navigation: Array<{ name: string; headers: HeaderList; navigation: boolean }> }>('preflight.json');

describe('needsPreflight', () => {
  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const headers = c.browser ? [...table.browserHeaders, ...c.headers] : c.headers;
    const q = { method: c.method, headers, ...(c.contentType ? { contentType: c.contentType } : {}), ...(c.xhrUploadListener ? { xhrUploadListener: true } : {}) };
    const need = needsPreflight(q);
    expect(need.needed).toBe(c.needed);
    expect(need.accessControlRequestMethod).toBe(c.acrm);
    expect(need.accessControlRequestHeaders).toBe(c.acrh);
    if (c.causes) expect(need.causes).toEqual(c.causes);
    expect(need.unsafeHeaders).toEqual(c.acrh ? c.acrh.split(',') : []);
  });

  it('reports the browser-set headers it ignores, and why', () => {
    const need = needsPreflight({ method: 'POST', headers: table.browserHeaders });
    expect(need.needed).toBe(false);
    const why = Object.fromEntries(need.ignored.map((i) => [i.name, i.why]));
    expect(why).toMatchObject({
      ':authority': 'pseudo-header',
      host: 'forbidden',
      origin: 'forbidden',
      cookie: 'forbidden',
      'sec-fetch-mode': 'forbidden',
      'sec-ch-ua': 'forbidden',
      'user-agent': 'browser-set',
      priority: 'browser-set',
      'content-length': 'forbidden',
      'accept-encoding': 'forbidden',
    });
    expect(why).not.toHaveProperty('accept');
    expect(why).not.toHaveProperty('accept-language');
  });

  it('checks the safelisted values byte by byte', () => {
    expect(unsafeWhy('Accept', 'text/html, */*')).toBeNull();
    expect(unsafeWhy('Accept', 'a(b)')).toBe('value-unsafe-bytes');
    expect(unsafeWhy('Accept-Language', 'en-US,en;q=0.9')).toBeNull();
    expect(unsafeWhy('Accept-Language', 'en_US')).toBe('value-unsafe-bytes');
    expect(unsafeWhy('Content-Type', 'Multipart/Form-Data; boundary=abc')).toBeNull();
    expect(unsafeWhy('Content-Type', 'text/plain ; charset=utf-8')).toBeNull();
    expect(unsafeWhy('Content-Type', 'text/html')).toBe('content-type-not-simple');
    expect(unsafeWhy('Content-Type', 'garbage')).toBe('content-type-not-simple');
    expect(unsafeWhy('x-amz-date', '20300101T000000Z')).toBe('not-safelisted');
    expect(simpleRange('bytes=5-')).toBe(true);
    expect(simpleRange('bytes=9-1')).toBe(false);
    expect(simpleRange('bytes=0-1,3-4')).toBe(false);
  });
});

describe('formNavigation', () => {
  it.each(table.navigation.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(formNavigation(c.headers)).toBe(c.navigation);
  });
});
