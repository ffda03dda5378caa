// S3: the SigV4 credential scope and date, the region, and temporary keys.
// x-amz-credential is <AKID>/<yyyymmdd>/<region>/s3/aws4_request; x-amz-date is
// yyyymmddTHHMMSSZ on the credential's day; the credential's region must be the bucket
// endpoint's region (AWS: "the region 'x' is wrong; expecting 'y'"); a temporary key (ASIA...)
// needs x-amz-security-token before the file (else AWS does not know the key id).
// MinIO parses the credential its own way and never reads x-amz-date (see minioRun).
import type { Check, CheckContext, CheckFinding } from '../check/types.js';
import { maskCredential, maskValue } from '../core/mask.js';
import type { S3EndpointInfo } from '../providers/s3/endpoint.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { fieldBeforeFile, predictFirst, v4CredentialFindings } from './shared.js';
import { accessKeyId, awsScheme, isTemporaryKey } from './s3-common.js';
import { minioCredentialAnswer, minioForm, minioGet, trimCredential } from './s3-minio.js';

const V4 = SCHEMES['s3-v4'];

const IDS = {
  malformed: { id: 's3.credential-malformed' },
  dateMalformed: { id: 's3.date-malformed' },
  dateDay: { id: 's3.date-credential-day' },
} as const;

/**
 * MinIO, on its SigV4 path (no `signature` field; cmd/signature-v4.go doesPolicySignatureV4Match):
 * a credential finding carries MinIO's answer to the credential (cmd/signature-v4-parser.go
 * parseCredentialHeader, which reads the first failing part its own way), and is a warning when
 * MinIO reads the credential all the same (trailing slashes, an access key holding slashes, any
 * region on a server without one). x-amz-date is read by no signature code, only by a policy
 * condition (s3.conditions): its findings are warnings. The region is compared only with a region
 * the server has set, which the request does not tell; temporary MinIO keys carry no prefix to
 * know them by (a missing x-amz-security-token is refused as InvalidTokenId only for them).
 */
function minioRun(ctx: CheckContext): CheckFinding[] {
  const mf = minioForm(ctx.form);
  if (mf.values.has('Signature')) return [];
  const credential = minioGet(mf, 'X-Amz-Credential') ?? '';
  const answer = minioCredentialAnswer(credential);
  const part = mf.values.get('X-Amz-Credential')?.[0]?.part;
  if (part && credential.trim() === '') {
    // sent empty: "Credential=" splits into one empty element
    const facts = { credential, part: 'shape', found: '1', expected: '5', format: V4.credential?.pattern ?? '' };
    return [{ id: 's3.credential-malformed', facts, predicts: answer, field: part.name }];
  }
  const v4 = v4CredentialFindings(ctx.form, V4, IDS, () => null);
  const out: CheckFinding[] = v4.findings.map((f) => {
    if (f.id === 's3.credential-malformed') return answer ? { ...f, predicts: answer } : { ...f, severity: 'warning' as const };
    return { ...f, predicts: null, severity: 'warning' as const };
  });
  if (part && answer?.rule === 'minio.post.invalid-access-key-id' && !out.some((f) => f.id === 's3.credential-malformed')) {
    // auth.IsAccessKeyValid: an access key shorter than 3 characters is unknown before any lookup
    const accessKey = trimCredential(credential).split('/').slice(0, -4).join('/');
    const facts = { credential: maskCredential(credential.trim()), part: 'access key', found: maskValue(accessKey), expected: '3+', format: V4.credential?.pattern ?? '' };
    out.unshift({ id: 's3.credential-malformed', facts, predicts: answer, field: part.name });
  }
  return out;
}

export const s3Credential: Check = {
  id: 's3.credential',
  providers: ['s3'],
  emits: ['s3.credential-malformed', 's3.date-malformed', 's3.date-credential-day', 's3.wrong-region', 's3.security-token-missing'],
  run(ctx) {
    if (ctx.server === 'minio') return minioRun(ctx);
    const out: CheckFinding[] = [];
    const form = ctx.form;
    const rgw = ctx.server === 'rgw';

    if (awsScheme(form) === 'v4') {
      const ep = ctx.endpoint as S3EndpointInfo | null;
      const expectedRegion = ep?.region ?? null;
      const v4 = v4CredentialFindings(form, V4, IDS, (region, _masked, credPart) =>
        // custom endpoints carry no region; the legacy global endpoint only assumes us-east-1
        !rgw && ep && ep.aws && !ep.global && expectedRegion && region !== expectedRegion
          ? {
              id: 's3.wrong-region',
              facts: { region, expectedRegion, host: ep.host },
              // AWS answers a POST form 400 InvalidArgument (ArgumentName X-Amz-Credential); AuthorizationHeaderMalformed is its answer to header-signed requests
              predicts: predictFirst(['s3.post.wrong-region-argument', 's3.post.wrong-region'], { region, expectedRegion }),
              field: credPart.name,
            }
          : null,
      );
      out.push(...v4.findings);
    }

    const ak = accessKeyId(form);
    if (ak && isTemporaryKey(ak.value)) {
      const token = fieldBeforeFile(form, V4.fields.token as string);
      if (!token || token.value.trim() === '') {
        out.push({
          id: 's3.security-token-missing',
          facts: { accessKeyId: maskValue(ak.value), empty: token !== undefined, afterFile: !token && form.get(V4.fields.token as string) !== undefined },
          // RGW refuses an empty token ("Invalid token", InvalidArgument) and answers an unknown key with an empty AccessDenied
          predicts: rgw ? predictFirst([token ? 'rgw.code.invalid-argument' : 'rgw.post.signature-mismatch']) : predictFirst(['s3.post.invalid-access-key-id']),
          field: V4.fields.token as string,
        });
      }
    }
    return out;
  },
};
