// A predicted answer is said as "probably" where the knowledge-base entry documents the code but
// not that the provider gives it in this situation (src/check/predict.ts, Inferred cells).
import { describe, expect, it } from 'vitest';
import { predict } from '../../src/check/predict.js';
import { predictionWords, resolvePrediction } from '../../src/core/catalogue.js';
import { LANGS } from '../../src/core/types.js';

describe('prediction basis', () => {
  it("OBS's answer to a policy it cannot read is inferred; COS's is documented", () => {
    const obs = predict('policy.not-object', { provider: 'obs', server: 'aws' });
    expect(obs).toEqual({ rule: 'obs.code.invalid-policy-document', basis: 'inferred' });
    const cos = predict('policy.not-object', { provider: 'cos', server: 'aws' });
    expect(cos?.basis).toBeUndefined();
    const words = predictionWords(resolvePrediction(obs!), 'en');
    expect(words).toMatch(/^server would probably refuse it: .*InvalidPolicyDocument/);
    expect(words).toContain('not its answer to this situation');
    expect(predictionWords(resolvePrediction(cos!), 'en')).not.toContain('probably');
    for (const lang of LANGS) expect(predictionWords(resolvePrediction(obs!), lang)).toContain('InvalidPolicyDocument');
  });

  it('an inferred answer with a full wording is still said as probable, with all it knows', () => {
    const p = predict('signature.invalid', { provider: 'tos', server: 'aws' });
    expect(p?.basis).toBe('inferred');
    const r = resolvePrediction(p!);
    expect(r.status).toBe(403);
    expect(predictionWords(r, 'en')).toMatch(/^server would probably refuse it: 403 SignatureDoesNotMatch The request signature/);
  });
});
