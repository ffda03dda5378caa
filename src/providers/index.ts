// The provider registry: one adapter per folder.
import type { ProviderId } from '../core/types.js';
import type { ProviderAdapter } from './types.js';
import { cosAdapter } from './cos/index.js';
import { ossAdapter } from './oss/index.js';
import { s3Adapter } from './s3/index.js';
import { gcsAdapter } from './gcs/index.js';
import { obsAdapter } from './obs/index.js';
import { tosAdapter } from './tos/index.js';

export const adapters: Record<ProviderId, ProviderAdapter> = {
  cos: cosAdapter,
  oss: ossAdapter,
  s3: s3Adapter,
  gcs: gcsAdapter,
  obs: obsAdapter,
  tos: tosAdapter,
};

export function adapter(id: ProviderId): ProviderAdapter {
  return adapters[id];
}
