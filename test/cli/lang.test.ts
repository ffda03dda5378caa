// Languages: --lang and the locale pick en, ja, zh, or zh in Traditional characters for Taiwan
// (zh-TW, zh-Hant) or Hong Kong (zh-HK, zh-MO). The Traditional text is made at build time from zh
// (scripts/zh-hant.mjs, OpenCC) into dist/catalogue.zh-TW.json and .zh-HK.json: the CLI runs
// from dist/ here (npm test builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { chineseVariant, pickLang } from '../../src/core/lang.js';
import { formatBytes, formatDuration, placeholders } from '../../src/core/template.js';
import { UsageError } from '../../src/core/errors.js';

const root = resolve(__dirname, '..', '..');
// the build script (plain JavaScript), with the types of what is used here
const { hantConverter, hantPack } = (await import(pathToFileURL(join(root, 'scripts', 'zh-hant.mjs')).href)) as {
  hantConverter: (locale: string) => (s: string) => string;
  hantPack: (pack: unknown, locale: string) => unknown;
};
const bin = join(root, 'bin', 'post-doctor.js');

afterEach(() => {
  pickLang(undefined, {});
});

describe('pickLang', () => {
  it.each([
    ['en', 'en', null],
    ['ja', 'ja', null],
    ['zh', 'zh', null],
    ['ZH', 'zh', null],
    ['zh-CN', 'zh', null],
    ['zh_Hans', 'zh', null],
    ['zh-TW', 'zh', 'zh-TW'],
    ['zh_tw', 'zh', 'zh-TW'],
    ['zh-Hant', 'zh', 'zh-TW'],
    ['zh-Hant-TW', 'zh', 'zh-TW'],
    ['zh-HK', 'zh', 'zh-HK'],
    ['zh-MO', 'zh', 'zh-HK'],
    ['zh-Hant-HK', 'zh', 'zh-HK'],
  ])('--lang %s -> %s (%s)', (option, lang, variant) => {
    expect(pickLang(option, {})).toBe(lang);
    expect(chineseVariant()).toBe(variant);
  });

  it.each([
    ['zh_TW.UTF-8', 'zh', 'zh-TW'],
    ['zh_TW.Big5', 'zh', 'zh-TW'],
    ['zh_HK.UTF-8', 'zh', 'zh-HK'],
    ['zh_MO', 'zh', 'zh-HK'],
    ['zh_CN.UTF-8', 'zh', null],
    ['zh_SG', 'zh', null],
    ['ja_JP.UTF-8', 'ja', null],
    ['en_GB.UTF-8', 'en', null],
    ['fr_FR.UTF-8', 'en', null],
    ['C', 'en', null],
    ['', 'en', null],
  ])('LANG=%s -> %s (%s)', (loc, lang, variant) => {
    expect(pickLang(undefined, { LANG: loc })).toBe(lang);
    expect(chineseVariant()).toBe(variant);
  });

  it('LC_ALL wins over LANG; --lang over both; each call sets the variant afresh', () => {
    expect(pickLang(undefined, { LC_ALL: 'zh_HK.UTF-8', LANG: 'zh_TW.UTF-8' })).toBe('zh');
    expect(chineseVariant()).toBe('zh-HK');
    expect(pickLang('en', { LC_ALL: 'zh_HK.UTF-8' })).toBe('en');
    expect(chineseVariant()).toBe(null);
  });

  it('an unknown --lang is a usage error that lists every value', () => {
    for (const bad of ['fr', 'en-US', 'zh-XX', 'chinese', '']) {
      expect(() => pickLang(bad, {})).toThrow(UsageError);
      expect(() => pickLang(bad, {})).toThrow(/^lang must be en, ja, zh, zh-TW, zh-HK or zh-Hant \(got '/);
    }
  });

  it('durations and byte counts in Traditional characters', () => {
    pickLang('zh', {});
    expect(formatDuration(57713, 'zh')).toBe('16小时2分钟');
    expect(formatBytes(2048, 'zh')).toBe('2 KiB = 2048 字节');
    pickLang('zh-TW', {});
    expect(formatDuration(57713, 'zh')).toBe('16小時2分鐘');
    expect(formatBytes(2048, 'zh')).toBe('2 KiB = 2048 位元組');
    pickLang('zh-HK', {});
    expect(formatBytes(1, 'zh')).toBe('1 字節');
    expect(formatDuration(57713, 'ja')).toBe('16時間2分');
  });
});

describe('the Traditional Chinese conversion (scripts/zh-hant.mjs)', () => {
  const tw = hantConverter('zh-TW');
  const hk = hantConverter('zh-HK');

  it('Taiwan: characters and phrases; Hong Kong: characters', () => {
    expect(tw('服务器拒绝了上传：文件大小超过默认值')).toBe('伺服器拒絕了上傳：檔案大小超過預設值');
    expect(hk('服务器拒绝了上传：文件大小超过默认值')).toBe('服務器拒絕了上傳：文件大小超過默認值');
    expect(tw('回调函数和账号')).toBe('回呼函式和帳號');
  });

  it('leaves `code`, {placeholders} with their filters, URLs and ASCII exactly as they are', () => {
    const s = '确认 `服务器` 字段 {field|json} 与 https://console.cloud.tencent.com/cam/capi?x=语 一致（x-cos-meta-* 头）';
    const out = tw(s);
    expect(out).toContain('`服务器`');
    expect(out).toContain('{field|json}');
    expect(out).toContain('https://console.cloud.tencent.com/cam/capi?x=语');
    expect(out).toContain('x-cos-meta-*');
    expect(out.startsWith('確認')).toBe(true);
  });

  it('quotes become corner brackets', () => {
    expect(tw('“引号”和‘单引号’')).toBe('「引號」和『單引號』');
    expect(hk('“引号”')).toBe('「引號」');
  });

  it('a pack keeps its keys and structure', () => {
    const pack = { kb: { a: { title: '签名', steps: ['第一步', '第二步'] } }, findings: {}, ui: { k: '存储桶 {bucket}' } };
    expect(hantPack(pack, 'zh-TW')).toEqual({ kb: { a: { title: '簽名', steps: ['第一步', '第二步'] } }, findings: {}, ui: { k: '儲存桶 {bucket}' } });
  });
});

describe('the built catalogues and CLI', () => {
  const dist = (name: string): string => join(root, 'dist', name);

  function strings(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
    if (typeof v === 'string') out.set(path, v);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) strings(x, `${path}[${i}]`, out);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, `${path}.${k}`, out);
    return out;
  }

  it('zh-TW and zh-HK hold every text of zh, with the same placeholders and code spans', () => {
    expect(existsSync(dist('catalogue.zh.json')), 'dist/ is missing: run the build (npm test builds first)').toBe(true);
    const zh = strings(JSON.parse(readFileSync(dist('catalogue.zh.json'), 'utf8')));
    for (const locale of ['zh-TW', 'zh-HK']) {
      const hant = strings(JSON.parse(readFileSync(dist(`catalogue.${locale}.json`), 'utf8')));
      expect([...hant.keys()]).toEqual([...zh.keys()]);
      let changed = 0;
      for (const [k, s] of zh) {
        const t = hant.get(k)!;
        expect(placeholders(t), `${locale} ${k}`).toEqual(placeholders(s));
        expect(t.match(/`[^`]*`/g), `${locale} ${k}`).toEqual(s.match(/`[^`]*`/g));
        expect(t.replace(/[^\x00-\x7f]/g, ''), `${locale} ${k}`).toBe(s.replace(/[^\x00-\x7f]/g, ''));
        if (t !== s) changed++;
      }
      expect(changed).toBeGreaterThan(zh.size / 2);
    }
  });

  function cli(args: string[], env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } });
    return { status: r.status, out: r.stdout, err: r.stderr };
  }
  const ANSWER = '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>';

  it('--lang zh-TW and LANG=zh_TW.UTF-8 give Taiwan text; zh-HK Hong Kong text; zh stays Simplified', () => {
    const zh = cli(['explain', ANSWER, '--provider', 's3', '--lang', 'zh']);
    expect(zh.status).toBe(0);
    expect(zh.out).toContain('服务商');
    const tw = cli(['explain', ANSWER, '--provider', 's3', '--lang', 'zh-TW']);
    expect(tw.status).toBe(0);
    expect(tw.out).toContain('服務商');
    expect(tw.out).not.toContain('服务商');
    expect(cli(['explain', ANSWER, '--provider', 's3'], { LANG: 'zh_TW.UTF-8' }).out).toBe(tw.out);
    expect(cli(['explain', ANSWER, '--provider', 's3', '--lang', 'zh-Hant']).out).toBe(tw.out);
    const hk = cli(['explain', ANSWER, '--provider', 's3', '--lang', 'zh-HK']);
    expect(hk.status).toBe(0);
    expect(hk.out).toContain('服務商');
    expect(hk.out).not.toBe(zh.out);
    // the same answer, in the same structure: only the characters differ
    expect(tw.out.split('\n').length).toBe(zh.out.split('\n').length);
  });

  it('a --lang the CLI does not know is a usage error naming every value', () => {
    const r = cli(['explain', ANSWER, '--lang', 'zh-XX']);
    expect(r.status).toBe(2);
    expect(r.err).toContain("--lang must be en, ja, zh, zh-TW, zh-HK or zh-Hant (got 'zh-XX')");
  });
});
