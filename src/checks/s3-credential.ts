// S3: the SigV4 credential scope and date, the region, and temporary keys.
// x-amz-credential is <AKID>/<yyyymmdd>/<region>/s3/aws4_request; x-amz-date is
// yyyymmddTHHMMSSZ on the credential's day; the credential's region must be the bucket
// endpoint's region (AWS: "the region 'x' is wrong; expecting 'y'"); a temporary key (ASIA...)
// needs x-amz-security-token before the file (else AWS does not know the key id).
import type { Check } from '../check/types.js';
import { maskCredential, maskValue } from '../core/mask.js';
import type { Finding } from '../core/types.js';
import type { S3EndpointInfo } from '../providers/s3/endpoint.js';
import { accessKeyId, awsScheme, fieldBeforeFile, isTemporaryKey, isYyyymmdd, parseAmzDate, predictFirst } from './s3-common.js';

export const AMZ_DATE_FORMAT = 'yyyymmddTHHMMSSZ';
export const CREDENTIAL_FORMAT = '<AKID>/<yyyymmdd>/<region>/s3/aws4_request';

export const s3Credential: Check = {
  id: 's3.credential',
  providers: ['s3'],
  run(ctx) {
    const out: Finding[] = [];
    const form = ctx.form;
    const rgw = ctx.server === 'rgw';

    if (awsScheme(form) === 'v4') {
      const credPart = fieldBeforeFile(form, 'x-amz-credential');
      let credDate: string | null = null;
      if (credPart && credPart.value.trim() !== '') {
        const credential = credPart.value.trim();
        const parts = credential.split('/');
        const masked = maskCredential(credential);
        const bad = (part: string, found: string, expected: string): void => {
          out.push({ id: 's3.credential-malformed', severity: 'error', facts: { credential: masked, part, found, expected, format: CREDENTIAL_FORMAT }, predicts: null, field: credPart.name });
        };
        if (parts.length !== 5 || parts.some((p) => p === '')) {
          bad('shape', `${parts.length}`, '5');
        } else {
          const [, date, region, service, terminator] = parts as [string, string, string, string, string];
          if (!isYyyymmdd(date)) bad('date', date, 'yyyymmdd');
          else credDate = date;
          if (service !== 's3') bad('service', service, 's3');
          if (terminator !== 'aws4_request') bad('terminator', terminator, 'aws4_request');
          const ep = ctx.endpoint as S3EndpointInfo | null;
          const expectedRegion = ep?.region ?? null;
          // custom endpoints carry no region; the legacy global endpoint only assumes us-east-1
          if (!rgw && ep && ep.aws && !ep.global && expectedRegion && region !== expectedRegion) {
            out.push({
              id: 's3.wrong-region',
              severity: 'error',
              facts: { region, expectedRegion, host: ep.host },
              // AWS answers a POST form 400 InvalidArgument (ArgumentName X-Amz-Credential); AuthorizationHeaderMalformed is its answer to header-signed requests
              predicts: predictFirst(['s3.post.wrong-region-argument', 's3.post.wrong-region'], { region, expectedRegion }),
              field: credPart.name,
            });
          }
        }
      }

      const datePart = fieldBeforeFile(form, 'x-amz-date');
      if (datePart && datePart.value.trim() !== '') {
        const date = datePart.value;
        if (parseAmzDate(date) === null) {
          out.push({ id: 's3.date-malformed', severity: 'error', facts: { date, format: AMZ_DATE_FORMAT }, predicts: null, field: datePart.name });
        } else if (credDate !== null && date.trim().slice(0, 8) !== credDate) {
          out.push({ id: 's3.date-credential-day', severity: 'error', facts: { date, credentialDate: credDate }, predicts: null, field: datePart.name });
        }
      }
    }

    const ak = accessKeyId(form);
    if (ak && isTemporaryKey(ak.value)) {
      const token = fieldBeforeFile(form, 'x-amz-security-token');
      if (!token || token.value.trim() === '') {
        out.push({
          id: 's3.security-token-missing',
          severity: 'error',
          facts: { accessKeyId: maskValue(ak.value), empty: token !== undefined, afterFile: !token && form.get('x-amz-security-token') !== undefined },
          // RGW refuses an empty token ("Invalid token", InvalidArgument) and answers an unknown key with an empty AccessDenied
          predicts: rgw ? predictFirst([token ? 'rgw.code.invalid-argument' : 'rgw.post.signature-mismatch']) : predictFirst(['s3.post.invalid-access-key-id']),
          field: 'x-amz-security-token',
        });
      }
    }
    return out;
  },
};
