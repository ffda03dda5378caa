// The live view's text: `code` in the words of rules/ shows as <code> (escaped first, never
// parsed as HTML), labels are set apart with the language's colon, facts are joined by the same
// separator. The splitter is unit-tested here and, in headless Chromium (Debian's
// /usr/bin/chromium; skipped without it unless CI is set), the page is rendered from real
// diagnoses.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ui } from '../../src/core/catalogue.js';
import { pickLang } from '../../src/core/lang.js';
import { codeSpans, htmlInline, livePage } from '../../src/serve/live.js';
import { formData, post, sandboxesClosedAfterEach, signedForm } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const sandbox = sandboxesClosedAfterEach(afterEach);

describe('codeSpans and htmlInline', () => {
  it('splits `code` from text; an unpaired backtick is text', () => {
    expect(codeSpans('The form has no `q-ak`.')).toEqual([
      { code: false, text: 'The form has no ' },
      { code: true, text: 'q-ak' },
      { code: false, text: '.' },
    ]);
    expect(codeSpans('`policy`、`q-ak`')).toEqual([
      { code: true, text: 'policy' },
      { code: false, text: '、' },
      { code: true, text: 'q-ak' },
    ]);
    expect(codeSpans('one ` only')).toEqual([{ code: false, text: 'one ` only' }]);
    expect(codeSpans('empty `` pair')).toEqual([
      { code: false, text: 'empty ' },
      { code: false, text: '``' },
      { code: false, text: ' pair' },
    ]);
    expect(codeSpans('')).toEqual([]);
  });

  it('escapes HTML first, inside code and out', () => {
    expect(htmlInline('<b>`<img src=x onerror=alert(1)>`</b> & "q"')).toBe('&lt;b&gt;<code>&lt;img src=x onerror=alert(1)&gt;</code>&lt;/b&gt; &amp; &quot;q&quot;');
  });

  it('the page is marked with its language, Traditional Chinese variants included', () => {
    const langOf = (lang: 'en' | 'ja' | 'zh'): string => /<html lang="([^"]+)">/.exec(livePage({ provider: 's3', url: 'http://127.0.0.1:1/', lang }))![1]!;
    try {
      pickLang('ja', {});
      expect(langOf('ja')).toBe('ja');
      pickLang('zh-TW', {});
      expect(langOf('zh')).toBe('zh-TW');
      pickLang('zh-HK', {});
      expect(langOf('zh')).toBe('zh-HK');
      pickLang('zh', {});
      expect(langOf('zh')).toBe('zh');
    } finally {
      pickLang(undefined, {});
    }
  });

  it('the page carries labels with the colon of its language', () => {
    const words = (lang: 'en' | 'ja' | 'zh'): Record<string, unknown> => {
      const html = livePage({ provider: 's3', url: 'http://127.0.0.1:1/', lang });
      return JSON.parse(/<script type="application\/json" id="pd-words">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, unknown>;
    };
    expect(words('en')).toMatchObject({ field: 'Field:', fix: 'Fix:', answer: 'Answer:', key: 'Key:' });
    expect(words('ja')).toMatchObject({ field: 'フィールド：', fix: '対処方法：' });
    expect(words('zh')).toMatchObject({ field: '字段：', fix: '解决方法：' });
  });
});

describe.skipIf(!haveChromium && !process.env.CI)('the live view in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
  });

  it('shows `code` as <code>, labels as labels, and facts joined by one separator', async () => {
    const s = await sandbox('cos');
    // a COS form without q-ak: "Signature field `q-ak` is missing", with a field
    const form = signedForm('cos', s.endpoint);
    form.fields = form.fields.filter(([k]) => k !== 'q-ak');
    await post(s.endpoint, formData(form, { key: 'uploads/<b>x</b>.txt' }));
    const d = s.diags.at(-1)!;
    const cause = d.findings.find((f) => f.id === 'cos.signature-field-missing')!;
    expect(cause.title).toContain('`');
    expect(cause.field).toBe('q-ak');

    const page = await browser.newPage();
    try {
      await page.goto(s.url);
      const card = page.locator(`section[data-request-id="${d.requestId}"]`);
      await card.waitFor();
      const li = card.locator(`li[data-finding="${cause.id}"]`);
      // the title's `code` is a <code> element, without the backticks
      const codes = await li.locator('.ftitle code').allInnerTexts();
      expect(codes.length).toBeGreaterThan(0);
      expect(await li.locator('.ftitle').innerText()).toBe(cause.title.replace(/`/g, ''));
      expect(await li.locator('.detail').innerText()).toBe(cause.detail.replace(/`/g, ''));
      // no HTML from a request: the key with markup is text
      expect(await card.locator('b').count()).toBe(0);
      expect(await card.innerText()).toContain('uploads/<b>x</b>.txt');
      // labels: set apart, with a colon
      const labels = await card.locator('.label').allInnerTexts();
      expect(labels).toEqual(expect.arrayContaining([ui('serve.live.label', 'en', { label: ui('serve.live.key', 'en') })]));
      expect(await li.locator('.field').innerText()).toBe('Field: q-ak');
      expect(await li.locator('.field code').innerText()).toBe('q-ak');
      if (cause.fix.length) expect(labels).toContain('Fix:');
      // facts: "Key: … · File: …", one separator
      const meta = await card.locator('p.meta').first().innerText();
      expect(meta).toMatch(/^Key: uploads\/<b>x<\/b>\.txt · File: photo\.txt \(\d+ bytes\)/);
      if (d.message) expect(await card.locator('p.answer').innerText()).toBe(`Answer: ${d.message}`);
    } finally {
      await page.close();
    }
  });
});
