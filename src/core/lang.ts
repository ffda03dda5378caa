import type { Lang } from './types.js';
import { UsageError } from './errors.js';

/** --lang wins; else LC_ALL / LC_MESSAGES / LANG (ja_JP.UTF-8 -> ja, zh_CN -> zh); else en. */
export function pickLang(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (option !== undefined) {
    const v = option.toLowerCase();
    if (v === 'en' || v === 'ja' || v === 'zh') return v;
    throw new UsageError(`--lang must be en, ja or zh (got '${option}')`);
  }
  const loc = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const m = /^([a-z]{2})/i.exec(loc);
  const code = m?.[1]?.toLowerCase();
  if (code === 'ja' || code === 'zh') return code;
  return 'en';
}
