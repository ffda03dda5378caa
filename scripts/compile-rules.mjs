// Compiles rules/**/*.yaml into src/generated/catalogue.json, validating every file
// against rules/schema/*.schema.json. A bad rules file fails the build with its name.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, renameSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'rules');

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export function loadRules() {
  const ajv = new Ajv({ allErrors: true });
  const schema = (n) => JSON.parse(readFileSync(join(rulesDir, 'schema', `${n}.schema.json`), 'utf8'));
  const validators = { kb: ajv.compile(schema('kb')), findings: ajv.compile(schema('findings')), ui: ajv.compile(schema('ui')) };
  const catalogue = { kb: [], findings: [], ui: {} };
  const errors = [];
  const seen = new Map();
  for (const file of walk(rulesDir)) {
    const rel = relative(root, file);
    const kind = rel.startsWith(join('rules', 'kb')) ? 'kb' : rel.startsWith(join('rules', 'findings')) ? 'findings' : rel.startsWith(join('rules', 'ui')) ? 'ui' : null;
    if (!kind) {
      errors.push(`${rel}: not under rules/kb, rules/findings or rules/ui`);
      continue;
    }
    let doc;
    try {
      doc = YAML.parse(readFileSync(file, 'utf8'), { uniqueKeys: true });
    } catch (e) {
      errors.push(`${rel}: ${e.message}`);
      continue;
    }
    if (!validators[kind](doc)) {
      for (const err of validators[kind].errors) errors.push(`${rel}: ${err.instancePath || '/'} ${err.message}`);
      continue;
    }
    if (kind === 'ui') {
      for (const [k, v] of Object.entries(doc.strings)) {
        if (k in catalogue.ui) errors.push(`${rel}: duplicate interface string ${k}`);
        catalogue.ui[k] = v;
      }
      continue;
    }
    for (const entry of doc.entries) {
      const key = `${kind}:${entry.id}`;
      if (seen.has(key)) errors.push(`${rel}: duplicate id ${entry.id} (also in ${seen.get(key)})`);
      seen.set(key, rel);
      if (kind === 'kb' && entry.pattern) {
        try {
          new RegExp(entry.pattern, 'iu');
        } catch (e) {
          errors.push(`${rel}: ${entry.id}: bad pattern: ${e.message}`);
        }
      }
      catalogue[kind].push({ ...entry, file: rel });
    }
  }
  return { catalogue, errors };
}

export function compileRules() {
  const { catalogue, errors } = loadRules();
  if (errors.length) {
    throw new Error(`rules/ has ${errors.length} problem(s):\n  ${errors.join('\n  ')}`);
  }
  mkdirSync(join(root, 'src', 'generated'), { recursive: true });
  // write-then-rename: concurrent builds never see a half-written file
  const out = join(root, 'src', 'generated', 'catalogue.json');
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(catalogue));
  renameSync(tmp, out);
  return catalogue;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const c = compileRules();
    console.error(`rules: ${c.kb.length} knowledge-base entries, ${c.findings.length} findings, ${Object.keys(c.ui).length} interface strings`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
