// Tiny template language for catalogue text: "{name}" and "{name|filter}".
// Filters: duration (seconds -> "16 h 2 min"), json, iso (epoch seconds or date -> ISO 8601),
// list (array -> "a, b"), bytes (number -> "1.5 MiB"). Unknown names stay visible as "{name}".

import type { Lang } from './types.js';
import { chineseVariant } from './lang.js';

const UNITS: Record<Lang, { d: string; h: string; min: string; s: string; sep: string }> = {
  en: { d: ' d', h: ' h', min: ' min', s: ' s', sep: ' ' },
  ja: { d: '日', h: '時間', min: '分', s: '秒', sep: '' },
  zh: { d: '天', h: '小时', min: '分钟', s: '秒', sep: '' },
};

/** zh in Traditional characters (--lang zh-TW / zh-HK, see ./lang.ts). */
const UNITS_HANT = { d: '天', h: '小時', min: '分鐘', s: '秒', sep: '' };

/** 57713 -> "16 h 2 min": the two most significant units, the lower one rounded. */
export function formatDuration(totalSeconds: number, lang: Lang = 'en'): string {
  const u = lang === 'zh' && chineseVariant() ? UNITS_HANT : UNITS[lang];
  const total = Math.round(Math.abs(totalSeconds));
  const parts: string[] = [];
  if (total >= 86400) {
    const hours = Math.round(total / 3600);
    const d = Math.floor(hours / 24);
    const h = hours % 24;
    parts.push(`${d}${u.d}`);
    if (h) parts.push(`${h}${u.h}`);
  } else if (total >= 3600) {
    const minutes = Math.round(total / 60);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    parts.push(`${h}${u.h}`);
    if (m) parts.push(`${m}${u.min}`);
  } else if (total >= 60) {
    const m = Math.floor(total / 60);
    const s = total % 60;
    parts.push(`${m}${u.min}`);
    if (s) parts.push(`${s}${u.s}`);
  } else {
    parts.push(`${total}${u.s}`);
  }
  return parts.join(u.sep);
}

const BYTE_WORDS: Record<Lang, [one: string, many: string]> = { en: ['byte', 'bytes'], ja: ['バイト', 'バイト'], zh: ['字节', '字节'] };

/** "1 byte", "512 bytes", "1.5 MiB = 1572864 bytes" (no brackets: templates often put a size in brackets). */
export function formatBytes(n: number, lang: Lang = 'en'): string {
  if (!Number.isFinite(n)) return String(n);
  const hant = lang === 'zh' ? chineseVariant() : null;
  const [one, many] = hant === 'zh-TW' ? ['位元組', '位元組'] : hant === 'zh-HK' ? ['字節', '字節'] : (BYTE_WORDS[lang] ?? BYTE_WORDS.en);
  const plain = `${n} ${n === 1 ? one : many}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i < 0 ? plain : `${dropZeros(v.toFixed(v < 10 ? 2 : 1))} ${units[i]} = ${plain}`;
}

/** "1.50" -> "1.5", "2.00" -> "2" (a fixed-point number without trailing zeros). */
function dropZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (end > 0 && s[end - 1] === '0') end--;
  if (s[end - 1] === '.') end--;
  return s.slice(0, end);
}

function toIso(v: unknown): string {
  if (typeof v === 'number') return new Date(v * 1000).toISOString();
  if (typeof v === 'string' && /^\d{9,11}$/.test(v)) return new Date(Number(v) * 1000).toISOString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function stringify(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

export function applyFilter(v: unknown, filter: string | undefined, lang: Lang): string {
  switch (filter) {
    case undefined:
      // a fact that is true or false reads as a word in prose, not as code
      return typeof v === 'boolean' ? YES_NO[lang][v ? 0 : 1] : stringify(v);
    case 'duration':
      return formatDuration(Number(v), lang);
    case 'json':
      return JSON.stringify(v);
    case 'iso':
      return toIso(v);
    case 'list':
      return Array.isArray(v) ? v.map(stringify).join(', ') : stringify(v);
    case 'bytes':
      return formatBytes(Number(v), lang);
    default:
      return stringify(v);
  }
}

const YES_NO: Record<Lang, [yes: string, no: string]> = { en: ['yes', 'no'], ja: ['はい', 'いいえ'], zh: ['是', '否'] };

const PLACEHOLDER = /\{([A-Za-z_][\w.-]*)(?:\|([a-z]+))?\}/g;

/** Fill "{name}" placeholders from `values`; a missing value leaves the placeholder in place. */
export function fill(template: string, values: Record<string, unknown>, lang: Lang = 'en'): string {
  return template.replace(PLACEHOLDER, (whole, name: string, filter: string | undefined) => {
    if (!(name in values) || values[name] === undefined) return whole;
    return applyFilter(values[name], filter, lang);
  });
}

/** Names used by a template, for tests that guard catalogue/facts agreement. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}
