// S3: the SigV4 credential scope and date, the region, and temporary keys.
// x-amz-credential is <AKID>/<yyyymmdd>/<region>/s3/aws4_request; x-amz-date is
// yyyymmddTHHMMSSZ on the credential's day; the credential's region must be the bucket
// endpoint's region (AWS: "the region 'x' is wrong; expecting 'y'"); a temporary key (ASIA...)
// needs x-amz-security-token before the file (else AWS does not know the key id).
import type { Check, CheckFinding } from '../check/types.js';
import { maskValue } from '../core/mask.js';
import type { S3EndpointInfo } from '../providers/s3/endpoint.js';
import { SCHEMES } from '../providers/schemes/index.js';
import { fieldBeforeFile, predictFirst, v4CredentialFindings } from './shared.js';
import { accessKeyId, awsScheme, isTemporaryKey } from './s3-common.js';

const V4 = SCHEMES['s3-v4'];

export const s3Credential: Check = {
  id: 's3.credential',
  providers: ['s3'],
  emits: ['s3.credential-malformed', 's3.date-malformed', 's3.date-credential-day', 's3.wrong-region', 's3.security-token-missing'],
  run(ctx) {
    const out: CheckFinding[] = [];
    const form = ctx.form;
    const rgw = ctx.server === 'rgw';

    if (awsScheme(form) === 'v4') {
      const ep = ctx.endpoint as S3EndpointInfo | null;
      const expectedRegion = ep?.region ?? null;
      const ids = {
        malformed: { id: 's3.credential-malformed' },
        dateMalformed: { id: 's3.date-malformed' },
        dateDay: { id: 's3.date-credential-day' },
      } as const;
      const v4 = v4CredentialFindings(form, V4, ids, (region, _masked, credPart) =>
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
