// What the scheme descriptions share: the verification flow (fields, parameters, secret,
// recompute, compare, search), and the mistake candidates more than one scheme uses.
import { decodeBase64Lenient, fromBase64, fromHex, sameBytes } from '../../crypto/index.js';
import { findMistake, notChecked, secretVariants, type MistakeCandidate, type SignatureReportWithFacts } from '../../crypto/search.js';
import { missingFields } from '../form.js';
import type { SignatureContext } from '../types.js';
import type { FieldReader, PolicyText, SigningScheme } from './types.js';

/** Why a form cannot be checked: a `signature.*` finding id and its facts. */
export interface Unchecked {
  reason: string;
  facts: Record<string, unknown>;
}

/** The form's fields as a reader. */
export function formReader(ctx: Pick<SignatureContext, 'form'>): FieldReader {
  return (name) => ctx.form.value(name);
}

/** The policy as the form sends it, and the bytes the server decodes it to (whitespace ignored). */
export function formPolicy(s: SigningScheme, ctx: SignatureContext): PolicyText {
  const base64 = ctx.form.value(s.fields.policy) ?? '';
  return { base64, bytes: decodeBase64Lenient(base64) };
}

/**
 * The first steps of every verification: the required fields are sent and not blank, then the
 * scheme's own parameters are usable (`precheck`). Either a not-checked report, or the signature
 * the form provides.
 */
export function prepare(s: SigningScheme, ctx: SignatureContext, precheck?: (ctx: SignatureContext) => Unchecked | null): { report: SignatureReportWithFacts } | { provided: string } {
  const provided = ctx.form.value(s.fields.signature) ?? null;
  const m = missingFields(ctx.form, s.required);
  if (m.missing.length) {
    return { report: notChecked(s.id, 'signature.fields-missing', { scheme: s.id, missing: m.missing, absent: m.absent, empty: m.empty }, [], provided || null) };
  }
  const problem = precheck?.(ctx);
  if (problem) return { report: notChecked(s.id, problem.reason, { scheme: s.id, ...problem.facts }, [], provided) };
  return { provided: provided as string };
}

/**
 * Verification with a secret: prepare, require the secret (then `afterSecret`), sign the form's
 * policy again, compare, and on a mismatch name the first mistake that reproduces the provided
 * signature.
 */
export function verifyWithSecret(
  s: SigningScheme,
  ctx: SignatureContext,
  o: {
    precheck?: (ctx: SignatureContext) => Unchecked | null;
    afterSecret?: (ctx: SignatureContext, policy: PolicyText) => Unchecked | null;
    facts: (ctx: SignatureContext, policy: PolicyText) => Record<string, unknown>;
  },
): SignatureReportWithFacts {
  const p = prepare(s, ctx, o.precheck);
  if ('report' in p) return p.report;
  const provided = p.provided;
  if (!ctx.secret) return notChecked(s.id, 'signature.no-secret', { scheme: s.id }, [], provided);
  const policy = formPolicy(s, ctx);
  const late = o.afterSecret?.(ctx, policy);
  if (late) return notChecked(s.id, late.reason, { scheme: s.id, ...late.facts }, [], provided);
  const r = s.sign({ secret: ctx.secret, policy, field: formReader(ctx) });
  const facts: Record<string, unknown> = { scheme: s.id, ...o.facts(ctx, policy) };
  const valid = r.signature === provided;
  let mistake: string | null = null;
  if (!valid) {
    const found = findMistake(provided, s.mistakes(ctx, r.signature, provided));
    if (found) {
      mistake = found.mistake;
      facts['mistakeFacts'] = found.facts;
    }
  }
  return { scheme: s.id, checked: true, valid, steps: r.steps, expected: r.signature, provided, mistake, facts };
}

// ---------------------------------------------------------------------------
// Mistake candidates shared by several schemes.

/** A hex signature written in base64, or in uppercase hex. */
export function* hexOutputMistakes(expected: string, provided: string): Generator<MistakeCandidate> {
  yield { mistake: 'signature.mistake.base64-output', compute: () => (sameBytes(fromBase64(provided), fromHex(expected)) ? provided : null) };
  yield { mistake: 'signature.mistake.uppercase-hex', compute: () => (provided !== expected && provided.toLowerCase() === expected ? provided : null) };
}

/** A base64 signature written in hex, or URL-encoded. */
export function* base64OutputMistakes(expected: string, provided: string): Generator<MistakeCandidate> {
  const expectedBytes = Buffer.from(expected, 'base64');
  yield { mistake: 'signature.mistake.hex-output', compute: () => (sameBytes(fromHex(provided), expectedBytes) ? provided : null) };
  yield {
    mistake: 'signature.mistake.url-encoded',
    compute: () => {
      if (!provided.includes('%')) return null;
      try {
        return decodeURIComponent(provided) === expected ? provided : null;
      } catch {
        return null;
      }
    },
  };
}

/** Signed with the secret carrying (or stripped of) stray whitespace. */
export function* secretWhitespaceMistakes(secret: string, signWith: (secret: string) => string): Generator<MistakeCandidate> {
  for (const v of secretVariants(secret)) {
    yield { mistake: 'signature.mistake.secret-whitespace', facts: { variant: v.variant }, compute: () => signWith(v.secret) };
  }
}

/** How a copy of the policy text may differ from what was sent: its line endings or its final newline. */
export type LineEdit = 'crlf-to-lf' | 'lf-to-crlf' | 'trailing-newline-removed' | 'trailing-newline-added' | 'trailing-crlf-added';

/** The policy text with its line endings or final newline changed; each differs from the input and from the others. */
export function lineEndingEdits(text: string): Array<{ edit: LineEdit; text: string }> {
  const out: Array<{ edit: LineEdit; text: string }> = [];
  const add = (edit: LineEdit, t: string): void => {
    if (t !== text && !out.some((o) => o.text === t)) out.push({ edit, text: t });
  };
  if (text.includes('\r\n')) add('crlf-to-lf', text.replace(/\r\n/g, '\n'));
  if (/(^|[^\r])\n/.test(text)) add('lf-to-crlf', text.replace(/\r?\n/g, '\r\n'));
  if (/\r?\n$/.test(text)) add('trailing-newline-removed', text.replace(/\r?\n$/, ''));
  else {
    add('trailing-newline-added', `${text}\n`);
    add('trailing-crlf-added', `${text}\r\n`);
  }
  return out;
}

/**
 * The policy's base64 text re-encoded with other line endings (CRLF <-> LF) or with the final
 * newline added / removed: what a signer produces when it signs a copy of the JSON that an editor,
 * a template or a transport changed. A final newline is added in the style the text already uses.
 */
export function policyLineEndings(policyBase64: string): Array<{ base64: string; facts: Record<string, unknown> }> {
  const json = decodeBase64Lenient(policyBase64).toString('utf8');
  const crlfOnly = json.includes('\r\n') && !/(^|[^\r])\n/.test(json);
  const out: Array<{ base64: string; facts: Record<string, unknown> }> = [];
  for (const e of lineEndingEdits(json)) {
    if (e.edit === (crlfOnly ? 'trailing-newline-added' : 'trailing-crlf-added')) continue;
    const facts =
      e.edit === 'crlf-to-lf'
        ? { sent: 'CRLF', signed: 'LF' }
        : e.edit === 'lf-to-crlf'
          ? { sent: 'LF', signed: 'CRLF' }
          : { finalNewline: e.edit === 'trailing-newline-removed' ? 'removed' : 'added' };
    const b = Buffer.from(e.text, 'utf8').toString('base64');
    if (b !== policyBase64 && !out.some((o) => o.base64 === b)) out.push({ base64: b, facts });
  }
  return out;
}
