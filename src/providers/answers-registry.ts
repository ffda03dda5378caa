// The answer registry: how each provider's error answers are recognised and read. The adapter
// registry (./index.ts) holds the same readers; this one loads no signing or endpoint code, for
// explain. Order: the order in which providers are tried where the order matters (host names).
import type { ProviderId } from '../core/types.js';
import type { AnswerReader } from './types.js';
import { cosAnswers } from './cos/errors.js';
import { ossAnswers } from './oss/errors.js';
import { s3Answers } from './s3/errors.js';
import { gcsAnswers } from './gcs/errors.js';
import { obsAnswers } from './obs/errors.js';
import { tosAnswers } from './tos/errors.js';

export const answerReaders: Readonly<Record<ProviderId, AnswerReader>> = {
  s3: s3Answers,
  oss: ossAnswers,
  cos: cosAnswers,
  gcs: gcsAnswers,
  obs: obsAnswers,
  tos: tosAnswers,
};
