// Amazon S3 and S3-compatible (Ceph RGW, MinIO) error answers: how to recognise them, which
// server flavour answered, and what the answer carries beyond code and message.
import type { ServerFlavour } from '../../core/types.js';
import type { AnswerReader, ErrorAnswer } from '../types.js';
import { maskValue } from '../../core/mask.js';
import { clockFacts, confidence, elementValue, headerValue, numberOrText, setIf, toIsoTime } from '../answer.js';

/** RGW transaction ids: "tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1014-default". */
const RGW_TXID = /^tx[0-9a-f]{8,}-[0-9a-f]{6,}-[0-9a-f]+-[\w.-]+$/i;

/** Which S3 server answered: 'rgw' (Ceph RGW), 'aws' (Amazon S3), or null when unknown. */
export function detectServer(a: ErrorAnswer): ServerFlavour | null {
  const server = headerValue(a.headers, 'server') ?? '';
  const rid = a.requestId ?? headerValue(a.headers, 'x-amz-request-id') ?? '';
  if (/ceph|radosgw|\brgw\b/i.test(server) || RGW_TXID.test(rid)) return 'rgw';
  if (/minio/i.test(server) || isMinioAnswer(a)) return 'minio';
  if (a.hostId && /^[0-9a-f]+-[\w.-]+-[\w.-]+$/i.test(a.hostId) && !/=$/.test(a.hostId) && /tx[0-9a-f]/i.test(rid)) return 'rgw';
  if (/amazons3/i.test(server) || (a.hostId && isAwsHostId(a.hostId))) return 'aws';
  // an IAM or STS ARN quoted by the answer ("User: arn:aws:sts::... is not authorized"): Amazon S3 itself
  if (/\barn:aws(?:-cn|-us-gov)?:(?:iam|sts|s3)::/.test(a.body.slice(0, 262_144))) return 'aws';
  return null;
}

/**
 * MinIO's error documents carry Key, BucketName and Resource together, and a HostId that is a
 * hex digest, a UUID or a short node name rather than AWS's base64 extended request id.
 */
export function isMinioAnswer(a: ErrorAnswer): boolean {
  const names = new Set(Object.keys(a.elements).map((k) => k.toLowerCase()));
  if (names.has('bucketname') && names.has('resource') && names.has('key')) return true;
  const h = a.hostId ?? '';
  if (/^[0-9a-f]{64}$/.test(h) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(h)) return a.requestId === null || /^[0-9A-F]{16}$/.test(a.requestId);
  return false;
}

function isAwsHostId(h: string): boolean {
  return h.length >= 40 && /^[A-Za-z0-9+/]+={0,2}$/.test(h) && (/[+/=]/.test(h) || (/[A-Z]/.test(h) && /[a-z]/.test(h)));
}

/** AWS services whose hosts show up in upload pastes and are no bucket (API gateways, functions, identity...). */
const AWS_NOT_S3 =
  /(?:^|\.)(?:execute-api|lambda-url|lambda|elb|elasticloadbalancing|cloudfront|compute|ec2|sts|iam|cognito-idp|cognito-identity|sqs|sns|dynamodb|kinesis|logs|monitoring|secretsmanager|ssm|kms|rds|apigateway|appsync-api|amplifyapp|elasticbeanstalk|ecr|ecs|eks)\./;

/** Whether a host is an S3 bucket endpoint (Amazon S3, or a known S3-compatible service). */
function storageHost(h: string): { server?: ServerFlavour } | null {
  if (/(?:^|\.)s3(?:[.-][a-z0-9-]{1,40}){0,4}\.amazonaws\.com(?:\.cn)?$/.test(h)) return { server: 'aws' };
  // another *.amazonaws.com name ("bucket.region.amazonaws.com" as users write it) that names no
  // other AWS service: a bucket host. The service list is what upload pastes show besides S3.
  if (/\.amazonaws\.com(?:\.cn)?$/.test(h) && !AWS_NOT_S3.test(h)) return { server: 'aws' };
  if (/(?:^|\.)(?:digitaloceanspaces\.com|r2\.cloudflarestorage\.com|wasabisys\.com|backblazeb2\.com)$/.test(h)) return {};
  return null;
}

/** Confidence 0..1 that the answer came from S3 or an S3-compatible server. */
export function detectResponse(a: ErrorAnswer): number {
  const score = confidence();
  const bump = score.bump;
  const server = headerValue(a.headers, 'server');
  if (server && /amazons3/i.test(server)) bump(0.97);
  if (server && /ceph|radosgw|\brgw\b|minio/i.test(server)) bump(0.95);
  if (headerValue(a.headers, 'x-amz-request-id') || headerValue(a.headers, 'x-amz-id-2') || headerValue(a.headers, 'x-amz-bucket-region')) bump(0.9);
  if (a.requestId && RGW_TXID.test(a.requestId)) bump(0.92);
  if (a.hostId && isAwsHostId(a.hostId)) bump(0.75);
  if (a.requestId && /^[0-9A-F]{16}$/.test(a.requestId)) bump(0.5);
  if (isMinioAnswer(a)) bump(0.8);
  // an S3 endpoint in the text (not any AWS host: an API gateway is no bucket)
  if (/(?:^|[\s/.@'"(])s3[.-][a-z0-9.-]{0,60}amazonaws\.com|\.s3\.amazonaws\.com/i.test(a.body.slice(0, 262_144))) bump(0.8);
  if (a.message && /\bAWS\b|x-amz-|X-Amz-|AWSAccessKeyId/.test(a.message)) bump(0.7);
  // the signature details AWS adds to SignatureDoesNotMatch (OSS names its key OSSAccessKeyId)
  if (elementValue(a, 'AWSAccessKeyId') !== null || elementValue(a, 'CanonicalRequest') !== null) bump(0.8);
  const sts = elementValue(a, 'StringToSign');
  if (sts && /^AWS4-HMAC-SHA256\b/.test(sts.trim())) bump(0.8);
  return score.value;
}

/** Facts an S3 answer carries beyond code and message (server flavour included when known). */
export function answerFacts(a: ErrorAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const flavour = detectServer(a);
  if (flavour) out.server = flavour;
  for (const name of ['ProposedSize', 'MaxSizeAllowed', 'MinSizeAllowed']) {
    const v = elementValue(a, name);
    if (v) out[name[0]!.toLowerCase() + name.slice(1)] = numberOrText(v);
  }
  setIf(out, 'stringToSign', elementValue(a, 'StringToSign'));
  setIf(out, 'condition', elementValue(a, 'Condition'));
  const region = elementValue(a, 'Region') ?? headerValue(a.headers, 'x-amz-bucket-region');
  setIf(out, 'expectedRegion', region);
  setIf(out, 'endpoint', elementValue(a, 'Endpoint'));
  setIf(out, 'bucket', elementValue(a, 'Bucket') ?? elementValue(a, 'BucketName'));
  setIf(out, 'argumentName', elementValue(a, 'ArgumentName'));
  setIf(out, 'argumentValue', elementValue(a, 'ArgumentValue'));
  setIf(out, 'hostId', a.hostId);
  const key = elementValue(a, 'AWSAccessKeyId');
  if (key) out.accessKeyId = maskValue(key);
  const sig = elementValue(a, 'SignatureProvided');
  if (sig) out.signatureProvided = maskValue(sig);
  clockFacts(a, out);
  const exp = elementValue(a, 'Expires');
  if (exp) out.expiration = toIsoTime(exp) ?? exp;
  return out;
}

/** How S3 answers are recognised and read (the answer registry, src/providers/answers-registry.ts). */
export const s3Answers: AnswerReader = {
  id: 's3',
  detectResponse,
  answerFacts,
  storageHost,
  sdks: { botocore: 0.5, 'aws-java': 0.5, 'aws-go': 0.5, 'aws-php': 0.5, 'aws-dotnet': 0.5, 'aws-js-v3': 0.5, 'aws-js-v2': 0.45, minio: 0.7 },
};
