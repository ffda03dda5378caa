// explain of a console CORS line names the rule to add, in the provider's own format, and that
// rule lets the page through by the same engine check --cors-config uses.
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/explain/index.js';
import { evaluateActual, evaluatePreflight, parseCorsConfig } from '../../src/cors/index.js';

const LINES: Array<[string, 's3' | 'oss' | 'cos' | 'gcs', boolean]> = [
  [
    "Access to fetch at 'https://examplebucket.s3.eu-central-1.amazonaws.com/' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    's3',
    false,
  ],
  [
    "Access to XMLHttpRequest at 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    'oss',
    true,
  ],
  [
    "Access to fetch at 'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    'cos',
    false,
  ],
  [
    "Access to fetch at 'https://storage.googleapis.com/example-bucket' from origin 'http://localhost:8080' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    'gcs',
    false,
  ],
];

describe('explain: the CORS rule to add', () => {
  it.each(LINES)('%s', async (line, provider, preflight) => {
    const r = await explain(line, {});
    expect(r.provider).toBe(provider);
    const fix = r.corsFix!;
    expect(fix).toBeDefined();
    const origin = /from origin '([^']+)'/.exec(line)![1]!;
    expect(fix.origin).toBe(origin);
    const config = parseCorsConfig(fix.text, { provider });
    expect(evaluateActual(config, { origin, method: 'POST' }).allowed).toBe(true);
    if (preflight) expect(evaluatePreflight(config, { origin, method: 'POST', requestHeaders: ['x-oss-meta-owner', 'content-md5'] }).allowed).toBe(true);
  });

  it('no rule when the blocked URL is the signing API, or the provider is unknown', async () => {
    const api = await explain(
      "Access to fetch at 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/sign' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      {},
    );
    expect(api.corsFix).toBeUndefined();
    const unknown = await explain(
      "Access to fetch at 'https://files.example.com/upload' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      {},
    );
    expect(unknown.corsFix).toBeUndefined();
  });
});
