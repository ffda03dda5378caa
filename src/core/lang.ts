import type { Lang } from './types.js';
import { UsageError } from './errors.js';

/**
 * Traditional Chinese: the text of zh (Simplified) converted at build time for Taiwan or Hong Kong
 * (scripts/zh-hant.mjs writes dist/catalogue.zh-TW.json and .zh-HK.json). The language stays
 * 'zh' everywhere (formats, JSON); only the script of the words changes.
 */
export type ChineseVariant = 'zh-TW' | 'zh-HK';

/** The --lang values, as the usage message lists them. */
const LANG_VALUES = 'en, ja, zh, zh-TW, zh-HK or zh-Hant';

/** What --lang accepts (case and "_" or "-" aside): the documented values and the usual tags of the same languages. */
const LANG_OPTION: Record<string, { lang: Lang; variant: ChineseVariant | null }> = {
  en: { lang: 'en', variant: null },
  ja: { lang: 'ja', variant: null },
  zh: { lang: 'zh', variant: null },
  'zh-cn': { lang: 'zh', variant: null },
  'zh-sg': { lang: 'zh', variant: null },
  'zh-hans': { lang: 'zh', variant: null },
  'zh-hans-cn': { lang: 'zh', variant: null },
  'zh-tw': { lang: 'zh', variant: 'zh-TW' },
  'zh-hant': { lang: 'zh', variant: 'zh-TW' },
  'zh-hant-tw': { lang: 'zh', variant: 'zh-TW' },
  'zh-hk': { lang: 'zh', variant: 'zh-HK' },
  'zh-mo': { lang: 'zh', variant: 'zh-HK' },
  'zh-hant-hk': { lang: 'zh', variant: 'zh-HK' },
  'zh-hant-mo': { lang: 'zh', variant: 'zh-HK' },
};

let variant: ChineseVariant | null = null;

/** The Traditional Chinese variant of this run's zh text (null: Simplified), as the last pickLang chose it. */
export function chineseVariant(): ChineseVariant | null {
  return variant;
}

/**
 * Read a language tag or a POSIX locale: "ja", "ja_JP.UTF-8", "zh-CN", "zh_TW.Big5", "zh-Hant",
 * "zh-Hant-HK", "zh_HK@stroke". null when it names no language post-doctor has.
 */
function readLocale(tag: string): { lang: Lang; variant: ChineseVariant | null } | null {
  const parts = tag
    .trim()
    .replace(/[.@].*$/, '')
    .toLowerCase()
    .split(/[-_]/);
  const [language, ...rest] = parts;
  if (language === 'en' || language === 'ja') return { lang: language, variant: null };
  if (language !== 'zh') return null;
  if (rest.includes('tw')) return { lang: 'zh', variant: 'zh-TW' };
  if (rest.includes('hk') || rest.includes('mo')) return { lang: 'zh', variant: 'zh-HK' };
  if (rest.includes('hant')) return { lang: 'zh', variant: 'zh-TW' };
  return { lang: 'zh', variant: null };
}

/**
 * --lang wins; else LC_ALL / LC_MESSAGES / LANG (ja_JP.UTF-8 -> ja, zh_CN -> zh, zh_TW -> zh in
 * Traditional characters for Taiwan, zh_HK and zh_MO -> for Hong Kong); else en. Sets the
 * Chinese variant of the run (chineseVariant) as a side effect.
 */
export function pickLang(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (option !== undefined) {
    const key = option.trim().toLowerCase().replace(/_/g, '-');
    const picked = Object.hasOwn(LANG_OPTION, key) ? LANG_OPTION[key] : undefined;
    if (!picked) throw new UsageError(`lang must be ${LANG_VALUES} (got '${option}')`, { about: 'lang' });
    variant = picked.variant;
    return picked.lang;
  }
  const loc = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const picked = readLocale(loc);
  variant = picked?.variant ?? null;
  return picked?.lang ?? 'en';
}
