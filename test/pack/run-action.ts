// Runs the steps of a composite action.yml locally, the way a GitHub runner would: `${{ … }}`
// expressions substituted (inputs with their defaults, github.action_path, steps.<id>.outputs),
// each `run` in `bash --noprofile --norc -eo pipefail`, GITHUB_OUTPUT collected per step.
// Only what action.yml uses is supported; anything else throws so the test notices.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ActionDoc {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Array<Record<string, any>> };
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export function loadAction(path: string): ActionDoc {
  return parse(readFileSync(path, 'utf8')) as ActionDoc;
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    if (line.includes('<<')) throw new Error(`multi-line GITHUB_OUTPUT not supported: ${line}`);
    const i = line.indexOf('=');
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export async function runAction(doc: ActionDoc, opts: { actionPath: string; inputs: Record<string, string>; env?: Record<string, string>; cwd: string; timeoutMs?: number }): Promise<ActionRun> {
  for (const k of Object.keys(opts.inputs)) if (!(k in doc.inputs)) throw new Error(`unknown input ${k}`);
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.inputs)) inputs[k] = opts.inputs[k] ?? v.default ?? '';
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expr = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => {
      let m: RegExpMatchArray | null;
      if ((m = e.match(/^inputs\.([\w-]+)$/))) {
        if (!(m[1]! in inputs)) throw new Error(`undeclared input ${m[1]}`);
        return inputs[m[1]!]!;
      }
      if (e === 'github.action_path') return opts.actionPath;
      if ((m = e.match(/^steps\.([\w-]+)\.outputs\.([\w-]+)$/))) return stepOutputs[m[1]!]?.[m[2]!] ?? '';
      throw new Error(`unsupported expression: ${e}`);
    });

  const tmp = mkdtempSync(join(tmpdir(), 'pd-action-run-'));
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const [n, step] of doc.runs.steps.entries()) {
    if (step.uses) throw new Error(`step ${n}: uses steps are not run here`);
    if (step.if !== undefined) throw new Error(`step ${n}: if: is not supported here`);
    if (step.shell !== 'bash') throw new Error(`step ${n}: shell ${step.shell}`);
    const script = join(tmp, `step-${n}.sh`);
    writeFileSync(script, expr(String(step.run)));
    const outFile = join(tmp, `output-${n}`);
    writeFileSync(outFile, '');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITHUB_') && !k.startsWith('PD_')) env[k] = v;
    Object.assign(env, opts.env ?? {}, { GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: opts.actionPath, GITHUB_OUTPUT: outFile });
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(String(v));
    const cwd = step['working-directory'] ? resolve(opts.cwd, expr(String(step['working-directory']))) : opts.cwd;
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((res, rej) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let o = '';
      let e = '';
      child.stdout.on('data', (d: Buffer) => (o += d.toString()));
      child.stderr.on('data', (d: Buffer) => (e += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
      child.on('error', rej);
      child.on('close', (c) => {
        clearTimeout(timer);
        res({ code: c ?? -1, stdout: o, stderr: e });
      });
    });
    stdout += r.stdout;
    stderr += r.stderr;
    if (step.id) stepOutputs[step.id] = readOutputs(outFile);
    if (r.code !== 0) {
      code = r.code;
      break;
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.outputs ?? {})) outputs[k] = expr(v.value);
  return { code, stdout, stderr, outputs };
}
