// The explicit list of checks, in the order their findings are reported (within a severity).
import type { Check } from '../check/types.js';
import { bodyProblems } from './body-problems.js';
import { bodyInputNotes } from './body-input-notes.js';
import { policyEncoding } from './policy-encoding.js';
import { policyStructure } from './policy-structure.js';
import { timeExpiration } from './time-expiration.js';
import { timeSkew } from './time-skew.js';
import { timeValidity } from './time-validity.js';
import { fileCount } from './file-count.js';
import { fileOrder } from './file-order.js';
import { fileSize } from './file-size.js';
import { signatureVerify } from './signature-verify.js';
import { endpointProblems } from './endpoint-problems.js';
import { cosSignatureFields } from './cos-signature-fields.js';
import { cosSignAlgorithm } from './cos-sign-algorithm.js';
import { cosPolicyRequiredConditions } from './cos-policy-required-conditions.js';
import { cosQAk } from './cos-q-ak.js';
import { cosKeyTime } from './cos-key-time.js';
import { cosBucket } from './cos-bucket.js';
import { cosKey } from './cos-key.js';
import { cosKeyCondition } from './cos-key-condition.js';
import { cosConditions } from './cos-conditions.js';
import { cosSuccessAction } from './cos-success-action.js';
import { cosTrafficLimit } from './cos-traffic-limit.js';
import { cosSecurityToken } from './cos-security-token.js';
import { ossSignatureFields } from './oss-signature-fields.js';
import { ossFieldNames } from './oss-field-names.js';
import { ossV4Fields } from './oss-v4-fields.js';
import { ossV4Policy } from './oss-v4-policy.js';
import { ossSecurityToken } from './oss-security-token.js';
import { ossKey } from './oss-key.js';
import { ossFieldSize } from './oss-field-size.js';
import { ossConditions } from './oss-conditions.js';
import { ossCallback } from './oss-callback.js';
import { ossSuccessAction } from './oss-success-action.js';
import { s3SignatureFields } from './s3-signature-fields.js';
import { s3PolicyFields } from './s3-policy-fields.js';
import { s3Conditions } from './s3-conditions.js';
import { s3Credential } from './s3-credential.js';
import { s3PreData } from './s3-pre-data.js';
import { gcsFields } from './gcs-fields.js';
import { gcsPolicyFields } from './gcs-policy-fields.js';
import { gcsConditions } from './gcs-conditions.js';
import { gcsCredential } from './gcs-credential.js';
import { obsFields } from './obs-fields.js';
import { obsPolicyFields } from './obs-policy-fields.js';
import { obsConditions } from './obs-conditions.js';
import { tosFields } from './tos-fields.js';
import { tosPolicyFields } from './tos-policy-fields.js';
import { tosConditions } from './tos-conditions.js';
import { tosFormSize } from './tos-form-size.js';
import { corsRules } from './cors.js';

export const checks: readonly Check[] = [
  bodyProblems,
  policyEncoding,
  policyStructure,
  timeExpiration,
  timeSkew,
  timeValidity,
  fileCount,
  fileOrder,
  fileSize,
  signatureVerify,
  // provider checks
  endpointProblems,
  cosSignatureFields,
  cosSignAlgorithm,
  cosPolicyRequiredConditions,
  cosQAk,
  cosKeyTime,
  cosBucket,
  cosKey,
  cosKeyCondition,
  cosConditions,
  cosSuccessAction,
  cosTrafficLimit,
  cosSecurityToken,
  ossSignatureFields,
  ossFieldNames,
  ossV4Fields,
  ossV4Policy,
  ossSecurityToken,
  ossKey,
  ossFieldSize,
  ossConditions,
  ossCallback,
  ossSuccessAction,
  s3SignatureFields,
  s3Credential,
  s3PolicyFields,
  s3Conditions,
  s3PreData,
  gcsFields,
  gcsCredential,
  obsFields,
  obsPolicyFields,
  obsConditions,
  tosFields,
  tosPolicyFields,
  tosConditions,
  tosFormSize,
  gcsPolicyFields,
  gcsConditions,
  // the bucket's CORS rules, when given (check --cors-config)
  corsRules,
  bodyInputNotes,
];
