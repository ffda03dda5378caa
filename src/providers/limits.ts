// Size and time limits of the services, one copy each, for the signer and the checks.
import type { ProviderId } from '../core/types.js';

/** UTF-8 length in bytes. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Longest object key in bytes (UTF-8), per provider. */
export const KEY_MAX_BYTES: Readonly<Record<ProviderId, number>> = { cos: 850, oss: 1023, s3: 1024, gcs: 1024, obs: 1024, tos: 696 };

/** Longest form field in bytes, where the service refuses longer ones (OSS: FieldItemTooLong). */
export const FIELD_MAX_BYTES: Readonly<Partial<Record<ProviderId, number>>> = { oss: 4096 };

/** Amazon's limit on the form fields before the file ("POST request fields preceeding the upload file was too large"). */
export const PRE_DATA_MAX_BYTES = 20 * 1024;

/** Largest object a single POST may upload (5 GiB): the default content-length-range maximum. */
export const DEFAULT_MAX_SIZE = 5 * 1024 * 1024 * 1024;

/** Longest validity GCS policies and OSS V4 signatures accept, and beyond which any policy is suspicious. */
export const MAX_VALIDITY_SECONDS = 7 * 24 * 3600;
