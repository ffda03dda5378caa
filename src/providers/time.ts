// The date and time formats of the signing schemes, one copy each: the compact UTC time of
// x-amz-date / x-oss-date / x-goog-date, the credential's yyyymmdd day, COS's "start;end"
// key time, and the policy's expiration.
import type { ProviderId } from '../core/types.js';

/** The compact time format, as the providers' documents write it. */
export const COMPACT_TIME_FORMAT = 'yyyymmddTHHMMSSZ';

/** yyyymmddTHHMMSSZ (UTC, whole seconds). */
export function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Epoch ms of a yyyymmddTHHMMSSZ time that names a real instant, else null (the text is taken as it is: trim first if the server does). */
export function parseCompactTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t;
}

/** The yyyymmdd a compact time starts with (after trimming), or null. */
export function dayOf(compact: string | null | undefined): string | null {
  if (!compact) return null;
  return /^(\d{8})/.exec(compact.trim())?.[1] ?? null;
}

/** Is this yyyymmdd a real calendar day? */
export function isYyyymmdd(s: string): boolean {
  return parseCompactTime(`${s}T000000Z`) !== null;
}

/** yyyymmdd shifted by `days` (UTC calendar), or null when `date` is not yyyymmdd. */
export function shiftDay(date: string, days: number): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000;
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '');
}

/** COS key time "start;end" (unix seconds). */
export function formatKeyTime(startSec: number, endSec: number): string {
  return `${startSec};${endSec}`;
}

/** Parse a COS key time "start;end" (unix seconds); null when it is not two integers. */
export function parseKeyTime(v: string): { start: number; end: number } | null {
  const m = /^(\d{1,12});(\d{1,12})$/.exec(v);
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** A policy's expiration: ISO 8601 UTC, whole seconds (GCS without the fraction). */
export function policyExpiration(at: Date, provider: ProviderId): string {
  const iso = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
  return provider === 'gcs' ? iso.replace(/\.\d{3}Z$/, 'Z') : iso;
}
