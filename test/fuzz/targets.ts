// Fuzz targets shared by the in-suite fuzz tests (test/fuzz/*.test.ts) and `npm run fuzz`
// (scripts/fuzz.mjs bundles this file). Each target runs one input and throws a
// FuzzFailure when a property is broken:
//  - parsers return a value or throw InputError (never another exception, never the
//    "cannot read input:" wrapper that marks a parser bug), and an InputError names a place
//    (line, column, field or byte offset);
//  - engines (check, explain, policy, multipart) never throw on parsed input, no check
//    crashes (internal.check-failed), and the renderers never print the secret;
//  - the CLI exits 0, 1 or 2 (never 3), and on exit 2 prints exactly one line
//    "post-doctor: ..." naming a place.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { check, detectProvider } from '../../src/check/index.js';
import { InputError } from '../../src/core/errors.js';
import { Redactor } from '../../src/core/mask.js';
import type { UploadRequest } from '../../src/core/types.js';
import { explain } from '../../src/explain/index.js';
import { parseMultipart, readUploadRequest } from '../../src/input/index.js';
import { analysePolicy } from '../../src/policy/index.js';
import { renderCheckJson } from '../../src/render/check-json.js';
import { renderCheckText } from '../../src/render/check-text.js';
import { renderExplainJson } from '../../src/render/explain-json.js';
import { renderExplainText } from '../../src/render/explain-text.js';
import * as g from './gen.js';

export class FuzzFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

export interface FuzzEnv {
  /** A scratch directory (cwd of relative paths, CLI input files). */
  dir: string;
}

export interface FuzzTarget<T = unknown> {
  name: string;
  /** What it covers, for the report. */
  what: string;
  arb: fc.Arbitrary<T>;
  run(input: T, env: FuzzEnv): Promise<void>;
}

export const FUZZ_NOW = new Date('2024-01-01T00:00:00Z');
/** A secret the renderers must never print. */
export const FUZZ_SECRET = 'FuzzSecretKey_ZQ8mW3nV7xK2pL9r';

function fail(msg: string): never {
  throw new FuzzFailure(msg);
}

/** An InputError names a place: line, column, field or byte offset. */
export function locates(e: InputError): boolean {
  const w = e.where;
  return w.line !== undefined || w.column !== undefined || w.field !== undefined || w.offset !== undefined;
}

function checkInputError(e: unknown, what: string): void {
  if (!(e instanceof InputError)) fail(`${what} threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack ?? ''}`);
  if (e.message.startsWith('cannot read input:')) fail(`${what}: parser bug wrapped as input error: ${e.message}`);
  if (!locates(e)) fail(`${what}: input error names no place (line, column, field or offset): ${e.oneLine()}`);
  if (e.oneLine().includes('\n')) fail(`${what}: input error is not one line: ${JSON.stringify(e.oneLine())}`);
}

function sanityOfRequest(req: UploadRequest): void {
  if (!Array.isArray(req.parts)) fail('request has no parts array');
  for (const p of req.parts) {
    if (typeof p.name !== 'string') fail('part without a name');
    if (p.kind === 'field' && typeof p.value !== 'string') fail(`field ${p.name} has a non-string value`);
    if (p.kind === 'file' && p.size !== null && (!Number.isInteger(p.size) || p.size < 0)) fail(`file part ${p.name} has size ${p.size}`);
  }
}

const plain = new Chalk({ level: 0 });

/** Run the check engine on a parsed request and render it both ways; properties of the output. */
export async function checkAndRender(req: UploadRequest): Promise<void> {
  const provider = detectProvider(req).provider ?? 'cos';
  const result = await check(req, { provider, now: FUZZ_NOW, secret: FUZZ_SECRET });
  const crashed = result.findings.find((f) => f.id === 'internal.check-failed');
  if (crashed) fail(`a check crashed: ${JSON.stringify(crashed.facts)}`);
  const redactor = new Redactor().addRequest(req).addSecret(FUZZ_SECRET);
  if (result.signature?.expected) redactor.addSensitive(result.signature.expected);
  if (result.signature?.provided) redactor.addSensitive(result.signature.provided);
  const json = renderCheckJson(result, { lang: 'en', redactor });
  try {
    JSON.parse(json);
  } catch (e) {
    fail(`check JSON output does not parse: ${(e as Error).message}`);
  }
  const text = renderCheckText(result, { lang: 'en', redactor, chalk: plain });
  if (json.includes(FUZZ_SECRET) || text.includes(FUZZ_SECRET)) fail('the secret was printed');
  if (result.signature?.expected && result.signature.expected.length >= 16 && (json.includes(result.signature.expected) || text.includes(result.signature.expected))) {
    fail('the expected signature was printed in full');
  }
}

function uploadTarget(name: string, what: string, arb: fc.Arbitrary<string>): FuzzTarget<string> {
  return {
    name,
    what,
    arb,
    async run(text, env) {
      let req: UploadRequest;
      try {
        req = await readUploadRequest({ text, path: null, source: 'fuzz' }, { cwd: env.dir });
      } catch (e) {
        checkInputError(e, 'readUploadRequest');
        return;
      }
      sanityOfRequest(req);
      await checkAndRender(req);
    },
  };
}

export const multipartTarget: FuzzTarget<{ body: string; contentType: string | null }> = {
  name: 'multipart',
  what: 'parseMultipart on generated and damaged multipart/form-data bodies',
  arb: g.multipartCase,
  async run(input) {
    const data = Buffer.from(input.body, 'utf8');
    let r;
    try {
      r = await parseMultipart({ kind: 'buffer', data }, input.contentType);
    } catch (e) {
      fail(`parseMultipart threw: ${(e as Error)?.stack ?? String(e)}`);
    }
    if (r.bodyLength !== data.length) fail(`bodyLength ${r.bodyLength} != ${data.length}`);
    for (const p of r.bodyProblems) if (p.offset !== undefined && (p.offset < 0 || p.offset > data.length)) fail(`problem ${p.kind} at offset ${p.offset} outside the body (${data.length})`);
    for (const p of r.parts) {
      if (p.offset !== undefined && (p.offset < 0 || p.offset > data.length)) fail(`part ${p.name} at offset ${p.offset} outside the body`);
      if (p.kind === 'file' && p.size !== null && (p.size < 0 || p.size > data.length)) fail(`file part size ${p.size} outside the body`);
    }
  },
};

export const policyTarget: FuzzTarget<string> = {
  name: 'policy',
  what: 'analysePolicy on base64 / JSON policy field values',
  arb: g.policyField,
  async run(value) {
    let a;
    try {
      a = analysePolicy(value);
    } catch (e) {
      fail(`analysePolicy threw: ${(e as Error)?.stack ?? String(e)}`);
    }
    if (!Array.isArray(a.problems)) fail('no problems array');
    if (a.jsonError && (a.jsonError.offset < 0 || a.jsonError.offset > (a.policy?.json.length ?? 0))) fail(`JSON error offset ${a.jsonError.offset} outside the text`);
    if (a.policy?.document && !Array.isArray(a.policy.conditions)) fail('conditions is not an array');
  },
};

export const explainTarget: FuzzTarget<string> = {
  name: 'explain',
  what: 'explain() on XML, HTTP, JSON, message, code and EC answers, rendered as text and JSON',
  arb: g.explainText,
  async run(text) {
    let r;
    try {
      r = explain(text, { now: FUZZ_NOW, source: 'fuzz' });
    } catch (e) {
      if (!(e instanceof InputError)) fail(`explain threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`);
      if (e.oneLine().includes('\n')) fail('input error is not one line');
      return;
    }
    const json = renderExplainJson(r);
    JSON.parse(json);
    const shown = renderExplainText(r, plain);
    if (RAW_CONTROL.test(shown)) fail(`explain text output carries a raw control character: ${JSON.stringify(shown.slice(0, 200))}`);
  },
};

/** What no text output may carry raw: C0 (but newline and tab), DEL, C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Pieces of pasted errors whose repetition made earlier regexes backtrack for seconds. */
const HOSTILE_PIECES = [
  '<',
  '<?',
  '<!--',
  '<![CDATA[',
  '<Code>',
  '</',
  '<Error><Code>AccessDenied</Code><',
  ' ',
  '\n',
  '\t',
  '"',
  "'",
  '{',
  '{"Code":"',
  '\\',
  'An error occurred (',
  '(Service: Amazon S3; ',
  'operation error S3: ',
  "Access to fetch at '",
  'Cross-Origin Request Blocked: ',
  'ConnectionTimeoutError Connect timeout for ',
  'Policy condition failed: eq: $key',
  'error status : -1 reply timeout, cost:',
  'Invalid according to Policy: Policy Condition failed: ',
  "The authorization header is malformed; the region '",
  'Extra input fields: ',
  'code: ',
  "message: '",
  'StatusCode=403, ErrorCode=',
  'x-amz-request-id: ',
  '\u001b]0;',
  '\u001b[2J',
  '\r',
  'EC: ',
  '0002-',
];

export const explainHostileTarget: FuzzTarget<string> = {
  name: 'explain-hostile',
  what: 'explain() on long runs of the fragments that make regexes backtrack (repeated literals, whitespace, unclosed delimiters, control characters); must stay fast',
  arb: fc.array(fc.tuple(fc.constantFrom(...HOSTILE_PIECES), fc.integer({ min: 1, max: 4000 })), { minLength: 1, maxLength: 4 }).map((parts) => parts.map(([p, n]) => p.repeat(n)).join('')),
  async run(text, env) {
    await explainTarget.run(text, env);
  },
};

// ---------------------------------------------------------------------------
// The CLI end to end, in process.

export interface CliCase {
  command: 'check' | 'explain' | 'sign';
  /** Input written to a file (check/explain), or given as words (explain). */
  input: string;
  asFile: boolean;
  options: string[];
}

const isoOpt = fc.oneof(fc.constantFrom('2024-01-01T00:00:00Z', '2019-08-29T08:00:00Z', '2030-01-01', 'Wed, 21 Oct 2015 07:28:00 GMT'), g.fieldValue);

const checkOptions = fc
  .record(
    {
      format: fc.constantFrom('text', 'json', 'xml'),
      now: isoOpt,
      serverTime: isoOpt,
      provider: fc.constantFrom('cos', 'oss', 's3', 'gcs', 'azure'),
      lang: fc.constantFrom('en', 'ja', 'zh', 'fr'),
      entry: fc.constantFrom('1', '2', '0', 'x', '99'),
      secretEnv: fc.constantFrom('FUZZ_SECRET', 'NOT_SET'),
      server: fc.constantFrom('aws', 'rgw'),
      endpointStyle: fc.constantFrom('virtual', 'path'),
      debug: fc.constant(true),
      noColor: fc.constant(true),
    },
    { requiredKeys: [] },
  )
  .map((o) => {
    const a: string[] = [];
    if (o.format) a.push('--format', o.format);
    if (o.now) a.push('--now', o.now);
    if (o.serverTime) a.push('--server-time', o.serverTime);
    if (o.provider) a.push('--provider', o.provider);
    if (o.lang) a.push('--lang', o.lang);
    if (o.entry) a.push('--entry', o.entry);
    if (o.secretEnv) a.push('--secret-env', o.secretEnv);
    if (o.server) a.push('--server', o.server);
    if (o.endpointStyle) a.push('--endpoint-style', o.endpointStyle);
    if (o.debug) a.push('--debug');
    if (o.noColor) a.push('--no-color');
    return a;
  });

const explainOptions = fc
  .record(
    {
      format: fc.constantFrom('text', 'json', 'yaml'),
      now: isoOpt,
      provider: fc.constantFrom('cos', 'oss', 's3', 'gcs', 'x'),
      lang: fc.constantFrom('en', 'ja', 'zh', 'xx'),
      debug: fc.constant(true),
    },
    { requiredKeys: [] },
  )
  .map((o) => {
    const a: string[] = [];
    if (o.format) a.push('--format', o.format);
    if (o.now) a.push('--now', o.now);
    if (o.provider) a.push('--provider', o.provider);
    if (o.lang) a.push('--lang', o.lang);
    if (o.debug) a.push('--debug');
    return a;
  });

const signOptions = fc
  .record(
    {
      provider: fc.constantFrom('cos', 'oss', 's3', 'gcs', 'nope'),
      bucket: fc.oneof(fc.constantFrom('examplebucket-1250000000', 'my-bucket', 'b'), g.fieldValue),
      region: fc.oneof(fc.constantFrom('ap-beijing', 'cn-hangzhou', 'us-east-1', 'auto'), g.fieldValue),
      key: g.fieldValue,
      keyPrefix: g.fieldValue,
      expires: fc.oneof(fc.constantFrom('30m', '1h', '2d', '0s', '-1h', '2030-01-01T00:00:00Z'), g.fieldValue),
      minSize: fc.oneof(fc.constantFrom('0', '10', '-1', '1e30'), g.fieldValue),
      maxSize: fc.oneof(fc.constantFrom('0', '1048576', '99999999999999999999'), g.fieldValue),
      contentTypePrefix: g.fieldValue,
      field: fc.array(
        fc.oneof(
          fc.tuple(g.fieldValue, g.fieldValue).map(([k, v]) => `${k}=${v}`),
          g.fieldValue,
        ),
        { minLength: 1, maxLength: 3 },
      ),
      signatureVersion: fc.constantFrom('v1', 'v2', 'v4', 'v9'),
      accessKey: fc.oneof(fc.constantFrom('AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q', 'LTAI5tExampleKeyId0001', 'AKIAIOSFODNN7EXAMPLE', 'GOOG1EXAMPLE'), g.fieldValue),
      secretEnv: fc.constantFrom('FUZZ_SECRET', 'NOT_SET'),
      endpoint: fc.oneof(fc.constantFrom('http://127.0.0.1:9000/b', 'https://example.com'), g.fieldValue),
      format: fc.constantFrom('json', 'curl', 'html', 'text'),
      now: isoOpt,
    },
    { requiredKeys: [] },
  )
  .map((o) => {
    const a: string[] = [];
    const add = (flag: string, v: string | undefined) => {
      if (v !== undefined) a.push(flag, v);
    };
    add('--provider', o.provider);
    add('--bucket', o.bucket);
    add('--region', o.region);
    add('--key', o.key);
    add('--key-prefix', o.keyPrefix);
    add('--expires', o.expires);
    add('--min-size', o.minSize);
    add('--max-size', o.maxSize);
    add('--content-type-prefix', o.contentTypePrefix);
    if (o.field) a.push('--field', ...o.field);
    add('--signature-version', o.signatureVersion);
    add('--access-key', o.accessKey);
    add('--secret-env', o.secretEnv);
    add('--endpoint', o.endpoint);
    add('--format', o.format);
    add('--now', o.now);
    return a;
  });

export const cliCase: fc.Arbitrary<CliCase> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ command: fc.constant('check' as const), input: g.anyUploadText, asFile: fc.constant(true), options: checkOptions }) },
  { weight: 2, arbitrary: fc.record({ command: fc.constant('explain' as const), input: g.explainText, asFile: fc.boolean(), options: explainOptions }) },
  { weight: 1, arbitrary: fc.record({ command: fc.constant('sign' as const), input: fc.constant(''), asFile: fc.constant(false), options: signOptions }) },
);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

type RunFn = (argv: string[], io: import('../../src/cli/io.js').Io) => Promise<number>;
let runCli: RunFn | null = null;

/** The CLI's run(), loaded on first use (main.ts pulls in every command). */
export async function loadCli(): Promise<RunFn> {
  if (!runCli) runCli = (await import('../../src/cli/main.js')).run as RunFn;
  return runCli;
}

export async function runInProcess(argv: string[], env: Record<string, string>, cwd: string, stdin: string | null = null): Promise<CliRun> {
  const run = await loadCli();
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'post-doctor', ...argv], {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    isTTY: false,
    stdinIsTTY: stdin === null,
    readStdin: async () => Buffer.from(stdin ?? '', 'utf8'),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

/**
 * Where a one-line error points: a position ("file:12:5", "line 3", "field 'x'", "byte offset 9"),
 * an option ("--now ..."), or, for a problem of the input as a whole (empty, not text), the
 * input itself ("stdin: ...", "argument: ...", "<path>: ...").
 */
export const PLACE = /:\d+(:\d+)?: |\bline \d+|field '|byte offset \d+|(^|\s)--[a-z][a-z-]*\b|'--[a-z]/;
const WHOLE_INPUT = /^post-doctor: (stdin|argument|\/[^:]*|[A-Za-z]:[^:]*|[^\s:][^:]*): /;

let fileCounter = 0;

export const cliTarget: FuzzTarget<CliCase> = {
  name: 'cli',
  what: 'run(argv) in process: check, explain and sign with generated inputs and options',
  arb: cliCase,
  async run(c, env) {
    const argv: string[] = [c.command];
    let file: string | null = null;
    if (c.command !== 'sign') {
      if (c.asFile) {
        mkdirSync(env.dir, { recursive: true });
        file = join(env.dir, `in-${process.pid}-${fileCounter++ % 8}.txt`);
        writeFileSync(file, c.input);
        argv.push(file);
      } else {
        // the words of a pasted message; "-" would read stdin, an option-like word is an option
        argv.push('--', c.input);
      }
    }
    argv.push(...c.options);
    const r = await runInProcess(argv, { FUZZ_SECRET, NO_COLOR: '1' }, env.dir);
    if (![0, 1, 2].includes(r.code)) fail(`exit ${r.code}\nstderr: ${r.stderr}`);
    if (r.code === 2) {
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      const mine = lines.filter((l) => l.startsWith('post-doctor: '));
      // commander's own usage errors are "error: ..." plus a help hint
      const commander = lines.length > 0 && lines[0]!.startsWith('error: ');
      if (!commander) {
        if (mine.length !== 1 || !r.stderr.endsWith('\n')) fail(`exit 2 without exactly one "post-doctor: " line:\n${r.stderr}`);
        // sign reads no input: its refusals are option values (UsageError), named by value
        if (c.command !== 'sign' && !PLACE.test(mine[0]!) && !WHOLE_INPUT.test(mine[0]!)) fail(`exit 2 error names no place: ${mine[0]}`);
      }
    }
    const all = r.stdout + r.stderr;
    if (all.includes(FUZZ_SECRET)) fail('the secret was printed');
  },
};

export const TARGETS: FuzzTarget<any>[] = [
  uploadTarget('raw', 'readUploadRequest + check on raw HTTP captures', g.rawText),
  uploadTarget('har', 'readUploadRequest + check on HAR exports (text and params)', g.harText),
  uploadTarget('curl-bash', 'readUploadRequest + check on bash "Copy as cURL"', g.curlBashText),
  uploadTarget('curl-cmd', 'readUploadRequest + check on cmd "Copy as cURL"', g.curlCmdText),
  uploadTarget('curl-powershell', 'readUploadRequest + check on PowerShell curl.exe', g.curlPowerShellText),
  uploadTarget('jsonform', 'readUploadRequest + check on JSON form descriptions', g.jsonFormText),
  multipartTarget,
  policyTarget,
  explainTarget,
  explainHostileTarget,
  cliTarget,
];

export function target(name: string): FuzzTarget<any> {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target ${name}`);
  return t;
}

/** Run one case under a time limit; returns the elapsed milliseconds. */
export async function timed<T>(t: FuzzTarget<T>, input: T, env: FuzzEnv): Promise<number> {
  const start = performance.now();
  await t.run(input, env);
  return performance.now() - start;
}
