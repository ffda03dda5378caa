// Traditional Chinese for zh-TW and zh-HK, made at build time from the Simplified Chinese (zh) of
// rules/ with OpenCC (opencc-js, a devDependency: nothing of it ships):
//  - zh-TW: OpenCC's s2twp (Taiwan characters and phrases: 服务器 -> 伺服器, 文件 -> 檔案,
//    默认 -> 預設, 字节 -> 位元組), then a few corrections below;
//  - zh-HK: OpenCC's s2hk (Hong Kong characters; its phrase table s2hkp is small and marked as
//    developing by its authors, so only characters are converted);
//  - both: “” and ‘’ become 「」 and 『』, as Traditional Chinese writes quotations.
// Left exactly as written: `code` spans (field names, headers, commands), {placeholders} (and
// their |filters), URLs, and every run of ASCII (OpenCC changes no ASCII; kept apart so that a
// phrase never straddles one). A console label quoted from a provider's Chinese console keeps the
// Simplified form only when it is written as `code`.
import * as OpenCC from 'opencc-js';

/** The Traditional Chinese locales, each with its OpenCC target and corrections. */
export const ZH_HANT = {
  'zh-TW': {
    to: 'twp',
    fixes: [
      ['回撥', '回呼'],
      ['賬號', '帳號'],
      ['賬戶', '帳戶'],
      ['字首', '前綴'],
      ['字尾', '後綴'],
    ],
  },
  'zh-HK': { to: 'hk', fixes: [] },
};

const QUOTES = [
  ['“', '「'],
  ['”', '」'],
  ['‘', '『'],
  ['’', '』'],
];

/** Pieces never converted: `code`, {placeholder|filter}, URLs. */
const PROTECTED = /`[^`\n]*`|\{[A-Za-z_][\w.-]*(?:\|[a-z]+)?\}|[a-z][a-z0-9+.-]{1,20}:\/\/[^\s`"'<>()（）「」，。；]+/gi;

/** A converter of one string for `locale` ('zh-TW' or 'zh-HK'). */
export function hantConverter(locale) {
  const spec = ZH_HANT[locale];
  if (!spec) throw new Error(`no Traditional Chinese locale ${locale}`);
  const O = OpenCC.default ?? OpenCC;
  const convert = O.ConverterFactory(O.Locale.from.cn, O.Locale.to[spec.to], [QUOTES, spec.fixes]);
  const prose = (s) => s.replace(/[^\x00-\x7f]+/g, (run) => convert(run));
  return (s) => {
    let out = '';
    let last = 0;
    for (const m of s.matchAll(PROTECTED)) {
      out += prose(s.slice(last, m.index)) + m[0];
      last = m.index + m[0].length;
    }
    return out + prose(s.slice(last));
  };
}

/** Every string of a language pack ({kb, findings, ui}) converted; keys and structure unchanged. */
export function hantPack(pack, locale) {
  const convert = hantConverter(locale);
  const walk = (v) => {
    if (typeof v === 'string') return convert(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(pack);
}
