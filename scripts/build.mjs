// Build: compile rules/ into the catalogue, then bundle the library and the CLI with esbuild.
// ora (spinners on a terminal) stays external and is imported lazily. busboy and the parts of
// undici that src/net/http.ts takes are bundled and evaluated when first needed (none of
// undici's fetch, WebSocket or caches).
//
// Start-up is a budget (bench/run.mjs: explain and check within 1.3x of `node -e 0`), so the
// CLI is shaped for it:
//  - one CommonJS script, dist/cli.cjs, compiled by bin/post-doctor.js with V8's code cache
//    (dist/cli.cjs.cache, written by scripts/code-cache.cjs after running a few commands): no ESM
//    loader, no parse, and the functions those commands ran are not compiled again; what a
//    command does not use is evaluated lazily (esbuild wraps what is imported dynamically), and
//    the CLI entry loads commander only for commands it does not dispatch itself
//    (src/cli/main.ts). The library, dist/api.js, is ESM and code split;
//  - Node built-ins are taken with process.getBuiltinModule() instead of ESM imports: an ESM
//    import of node:fs (or node:process) evaluates every lazy getter of the module (fs.promises,
//    fs.ReadStream, process.report, ...), which loads a dozen internal modules for nothing; and
//    no chunk needs createRequire any more;
//  - chalk's colour detection (which loads node:tty and node:net) is left out: post-doctor only
//    ever makes `new Chalk({ level })` with the level it decided itself (checked below);
//  - string-width is evaluated on its first call (its module builds ICU data at load);
//  - the catalogue is JSON read from side files (a large literal costs V8 compile time), English
//    only, and each entry's text only when it is first read; Japanese and Chinese are read when
//    asked for (Traditional Chinese, zh-TW and zh-HK, converted here from zh: scripts/zh-hant.mjs);
//  - every knowledge-base entry carries its match anchor, computed here (or, for a pattern
//    without one, an anchor per branch), so that the first explain neither parses the patterns
//    nor compiles the regular expressions of entries that cannot match.
import { build } from 'esbuild';
import { compileRules } from './compile-rules.mjs';
import { ZH_HANT, hantPack } from './zh-hant.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const catalogue = compileRules();
console.error(`rules: ${catalogue.kb.length} knowledge-base entries, ${catalogue.findings.length} findings`);

// ---------------------------------------------------------------------------
// Match anchors

/**
 * Literal strings (lower-cased) that every match of a regular expression source must contain.
 * Conservative: whatever is not understood (classes, escapes of letters, quantified or optional
 * parts, lookarounds, back-references) contributes nothing; an alternation contributes only
 * what all its branches contain. A source it cannot read gives [].
 */
export function requiredLiterals(src) {
  const n = analyseLiterals(src);
  return n ? n.required : [];
}

/**
 * What every match of a regular expression source must contain, as alternatives: a list of
 * choices, each a list of options, each option a list of literals (lower-cased). Every match
 * contains all the literals of at least one option of every choice. A required alternation whose
 * branches have no literal in common is a choice (its branches the options). [] when none, or
 * when the source cannot be read.
 */
export function requiredChoices(src) {
  const n = analyseLiterals(src);
  return n ? n.choices : [];
}

function analyseLiterals(src) {
  let i = 0;
  // choices: see requiredChoices (what the node requires beyond strings / whole)
  const none = () => ({ strings: [], whole: null, prefix: '', suffix: '', choices: [] });
  const lit = (c) => ({ strings: [], whole: c, prefix: c, suffix: c, choices: [] });
  const all = (n) => [...n.strings, n.prefix, n.suffix, ...(n.whole !== null ? [n.whole] : [])].filter((x) => x.length > 0);
  const maximal = (list) => {
    const u = [...new Set(list)].filter((x) => x.length > 0);
    return u.filter((x) => !u.some((y) => y !== x && y.includes(x)));
  };
  const fail = () => {
    throw new Error('unreadable');
  };
  function alternation() {
    const branches = [sequence()];
    while (src[i] === '|') {
      i++;
      branches.push(sequence());
    }
    if (branches.length === 1) return branches[0];
    const sets = branches.map(all);
    // one option per branch: its literals, or the options of its own first choice
    const options = branches.flatMap((b, k) => (sets[k].length ? [sets[k]] : (b.choices[0] ?? [])));
    const choice = branches.every((b, k) => sets[k].length || b.choices.length) ? [options] : [];
    if (sets.some((x) => x.length === 0)) return { ...none(), choices: choice };
    const common = [];
    for (const x of sets[0]) {
      for (let a = 0; a < x.length; a++) {
        for (let b = a + 1; b <= x.length; b++) {
          const sub = x.slice(a, b);
          if (sets.every((set) => set.some((y) => y.includes(sub)))) common.push(sub);
        }
      }
    }
    return { strings: maximal(common), whole: null, prefix: '', suffix: '', choices: choice };
  }
  function sequence() {
    const items = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') items.push(quantified(atom()));
    const strings = [];
    const choices = items.flatMap((it) => it.choices);
    let whole = '';
    let prefix = '';
    let run = null;
    let started = false;
    for (const it of items) {
      if (it.whole !== null) {
        if (whole !== null) whole += it.whole;
        if (!started) prefix += it.whole;
        run = (run ?? '') + it.whole;
        continue;
      }
      if (!started) prefix += it.prefix;
      started = true;
      whole = null;
      strings.push((run ?? '') + it.prefix, ...it.strings);
      run = it.suffix;
    }
    if (whole !== null) return { strings: [], whole, prefix: whole, suffix: whole, choices };
    if (run !== null) strings.push(run);
    return { strings: strings.filter((x) => x.length > 0), whole: null, prefix, suffix: run ?? '', choices };
  }
  function quantified(a) {
    const c = src[i];
    if (c === '*' || c === '?') {
      i++;
      if (src[i] === '?') i++;
      return none();
    }
    if (c === '+') {
      i++;
      if (src[i] === '?') i++;
      return { strings: all(a), whole: null, prefix: a.prefix, suffix: a.suffix, choices: a.choices };
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return a;
      i += m[0].length;
      if (src[i] === '?') i++;
      if (Number(m[1]) === 0) return none();
      if (!m[2] && Number(m[1]) === 1) return a;
      return { strings: all(a), whole: null, prefix: a.prefix, suffix: a.suffix, choices: a.choices };
    }
    return a;
  }
  function atom() {
    const c = src[i];
    if (c === '(') {
      i++;
      let look = false;
      if (src[i] === '?') {
        const g = /^\?(?:<([A-Za-z_]\w*)>|:|=|!|<=|<!)/.exec(src.slice(i));
        if (!g) fail();
        look = !g[1] && g[0] !== '?:';
        i += g[0].length;
      }
      const n = alternation();
      if (src[i] !== ')') fail();
      i++;
      return look ? none() : n;
    }
    if (c === '[') {
      i++;
      if (src[i] === '^') i++;
      if (src[i] === ']') i++;
      while (i < src.length && src[i] !== ']') {
        if (src[i] === '\\') i++;
        i++;
      }
      if (src[i] !== ']') fail();
      i++;
      return none();
    }
    if (c === '\\') {
      const d = src[i + 1];
      if (d === undefined) fail();
      i += 2;
      if (/[A-Za-z0-9]/.test(d)) {
        if (/[pPuxk]/.test(d)) {
          const arg = /^(\{[^}]*\}|<[^>]*>|[0-9a-fA-F]{2,4})/.exec(src.slice(i));
          if (arg) i += arg[0].length;
        } else if (d === 'c') i++;
        return none();
      }
      return lit(d.toLowerCase());
    }
    if (c === '.' || c === '^' || c === '$') {
      i++;
      return none();
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i)))) fail();
    i++;
    return lit(c.toLowerCase());
  }
  try {
    const n = alternation();
    return i === src.length ? { required: maximal(all(n)), choices: n.choices } : null;
  } catch {
    return null;
  }
}

/**
 * A stronger anchor for an entry whose own anchor is empty: the longest run of a required
 * literal of its pattern (and of the pattern as matched with whitespace removed) without
 * whitespace or "s". The explain engine tests `message.toLowerCase().includes(anchor)` before
 * running the pattern (flags "iu"); for plain ASCII other than "s" (which "iu" also matches as
 * U+017F) that test passes for every message the pattern matches, so no match is lost; and an
 * anchor without a space keeps the entry out of the prose search exactly as before.
 */
function strongAnchor(pattern, squashPattern) {
  const runs = (src) => requiredLiterals(src).flatMap((r) => r.split(/[^\x21-\x7e]|s/));
  const squashed = requiredLiterals(squashPattern(pattern));
  let best = '';
  for (const run of runs(pattern)) if (run.length > best.length && squashed.some((r) => r.includes(run))) best = run;
  return best.length >= 4 ? best : '';
}

/**
 * For an entry that has no anchor at all: literals one of which every message its pattern
 * matches contains (one per branch of a required alternation), each the longest run of an
 * option's literals without whitespace or "s" (as strongAnchor), of at least 4 characters; []
 * when there are none. The explain engine runs the pattern (as given or with quotes straightened,
 * not the whitespace-free reading) only on a message whose lower case contains one of them, so no
 * match is lost; the entry's anchor stays empty, so it stays out of the prose search as before.
 */
function anchorChoice(pattern) {
  let best = [];
  let bestMin = 0;
  for (const choice of requiredChoices(pattern)) {
    const runs = choice.map((option) => option.flatMap((r) => r.split(/[^\x21-\x7e]|s/)).reduce((a, b) => (b.length > a.length ? b : a), ''));
    const min = Math.min(...runs.map((r) => r.length));
    if (min >= 4 && min > bestMin) {
      best = [...new Set(runs)];
      bestMin = min;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// Plugins

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Built-ins that bootstrap does not load and that are heavy (node:crypto alone is 15 internal
 * modules): taken on first use of one of their exports, not when a chunk that names them loads.
 * (Never node:process or any module whose properties are assigned to.) */
const LAZY_BUILTINS = new Set(['crypto', 'os', 'child_process', 'http', 'https', 'net', 'tls', 'tty', 'zlib', 'dns', 'readline', 'http2', 'perf_hooks', 'worker_threads']);
const requireHere = createRequire(import.meta.url);
/**
 * Properties of a lazy built-in that are plain data, the same in every Node, read at build time.
 * undici's HTTP/2 client reads http2.constants (header names, error codes) when it loads, which
 * would load node:http2 (and with it tls and most of crypto: about 10 ms) for every request,
 * though post-doctor never speaks HTTP/2.
 */
const STATIC_PROPS = { http2: ['constants'] };

/**
 * Node built-ins through process.getBuiltinModule(). Imported by our (ESM) sources, a built-in is
 * an ESM module of the bundle exporting its properties (read once; a lazy getter such as
 * fs.ReadStream is left out, fs.promises is loaded by Node's module loader anyway). Required by
 * a CommonJS dependency, or one of LAZY_BUILTINS, it is a CommonJS module of the bundle, whose
 * properties are read when used (LAZY_BUILTINS: the built-in is loaded on first use).
 */
const EAGER_GETTERS = new Set(['fs.promises']);
/** `cjs`: the CLI's script (./cli.cjs), where every built-in is a CommonJS module of the bundle,
 * whose properties are read when used (fs.promises, which loads a dozen internal modules, is
 * then never touched: no source takes it). */
const builtinsPlugin = (format) => ({
  name: 'builtins-without-esm-facade',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) => {
      if (!builtins.has(args.path)) return undefined;
      const name = args.path.replace(/^node:/, '');
      const esm = format === 'esm' && (args.kind === 'import-statement' || args.kind === 'dynamic-import') && !LAZY_BUILTINS.has(name);
      return { path: name, namespace: esm ? 'pd-builtin-esm' : 'pd-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'pd-builtin-esm' }, (args) => {
      const id = JSON.stringify(`node:${args.path}`);
      const mod = requireHere(`node:${args.path}`);
      const names = Object.keys(mod).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default' && (!Object.getOwnPropertyDescriptor(mod, k)?.get || EAGER_GETTERS.has(`${args.path}.${k}`)));
      return { contents: `const m = process.getBuiltinModule(${id});\nexport default m;\nexport const { ${names.join(', ')} } = m;`, loader: 'js' };
    });
    b.onLoad({ filter: /.*/, namespace: 'pd-builtin' }, (args) => {
      const id = JSON.stringify(`node:${args.path}`);
      if (!LAZY_BUILTINS.has(args.path)) return { contents: `module.exports = process.getBuiltinModule(${id});`, loader: 'js' };
      const names = Object.keys(requireHere(`node:${args.path}`)).filter((k) => k !== 'default' && k !== '__esModule');
      // STATIC_PROPS: values read at build time, so that reading them loads nothing
      const fixed = STATIC_PROPS[args.path] ?? [];
      const props = names
        .map((k) =>
          fixed.includes(k)
            ? `${JSON.stringify(k)}: { value: ${JSON.stringify(requireHere(`node:${args.path}`)[k])}, enumerable: true }`
            : `${JSON.stringify(k)}: { get: () => load()[${JSON.stringify(k)}], enumerable: true }`,
        )
        .join(',\n  ');
      return { contents: `let mod;\nconst load = () => (mod ??= process.getBuiltinModule(${id}));\nmodule.exports = Object.defineProperties({}, {\n  ${props}\n});`, loader: 'js' };
    });
  },
});

/** chalk's colour detection (node:tty, node:os, node:net) is never used: see assertChalkUse. */
const chalkPlugin = {
  name: 'chalk-without-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) => (/[\\/]chalk[\\/]/.test(args.importer) ? { path: 'supports-color', namespace: 'pd-chalk' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'pd-chalk' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
  },
};

/** The sources take from chalk only `Chalk` (always given a level) and types. */
function assertChalkUse() {
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(join(root, 'src'));
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s+'chalk'/g)) {
      if (m[1]) continue;
      const names = /^\{([^}]*)\}$/.exec(m[2].trim());
      const values = names
        ? names[1]
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s && !s.startsWith('type '))
        : ['(default)'];
      if (values.some((v) => v !== 'Chalk'))
        throw new Error(`${f}: imports ${values.join(', ')} from chalk; the build leaves out chalk's colour detection (scripts/build.mjs), so only Chalk with an explicit level may be used`);
    }
    if (/new Chalk\(\s*\)/.test(text)) throw new Error(`${f}: new Chalk() without a level`);
  }
}
assertChalkUse();

/**
 * string-width evaluates `new Intl.Segmenter()` and four Unicode property expressions (\\p{RGI_Emoji}
 * with the v flag) when its module loads: about 45 ms of ICU at every start-up, for a function
 * that only a terminal's line wrapping (src/cli/wrap.ts) calls, and only for text that is not plain
 * ASCII. Importers get a stand-in that loads the module (bundled, evaluated on first call through
 * esbuild's lazy initialisation of a required ESM module) when it is first called.
 */
const stringWidthPlugin = {
  name: 'string-width-on-first-use',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.kind === 'import-statement' ? { path: 'string-width', namespace: 'pd-lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'pd-lazy' }, () => ({
      contents: "let width;\nexport default function stringWidth(input, options) {\n  width ??= require('string-width').default;\n  return width(input, options);\n}",
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const cataloguePlugin = {
  // The catalogue is large: JSON.parse of a side file is much faster for V8 than an object literal.
  name: 'catalogue-as-json-parse',
  setup(b) {
    // (the library and the CLI are two builds: the side files are made once, for the first)
    b.onLoad({ filter: /generated[\\/]catalogue\.json$/ }, (args) => (catalogueModule ??= catalogueSideFiles(args.path)));
  },
};

/** Write the catalogue's side files (dist/catalogue.*.json); the module that reads them. */
let catalogueModule = null;
async function catalogueSideFiles(path) {
  const { readFile, writeFile, mkdir } = await import('node:fs/promises');
  const full = JSON.parse(await readFile(path, 'utf8'));
  const en = (e) => ({ ...e, text: { en: e.text.en } });
  // Pre-compute each entry's match anchor (the literal its message must contain) with the
  // engine's own function, so the first explain does not parse 200 patterns; where that
  // finds none, a stronger one (strongAnchor) spares compiling the pattern.
  const tmp = join(root, 'node_modules', '.cache', 'post-doctor-build', 'match.mjs');
  await build({ entryPoints: [join(root, 'src/explain/match.ts')], bundle: true, platform: 'node', format: 'esm', outfile: tmp, logLevel: 'warning' });
  const { entryAnchor, squashPattern } = await import(`${tmp}?t=${Date.now()}`);
  for (const e of full.kb) {
    e.anchor = entryAnchor(e);
    if (e.anchor === '' && e.pattern) e.anchor = strongAnchor(e.pattern, squashPattern);
    if (e.anchor === '' && e.pattern) {
      const any = anchorChoice(e.pattern);
      if (any.length) e.anchorAny = any;
    }
  }
  const embedded = {
    kb: full.kb.map(en),
    findings: full.findings.map(en),
    ui: Object.fromEntries(Object.entries(full.ui).map(([k, v]) => [k, { en: v.en }])),
  };
  await mkdir(join(root, 'dist'), { recursive: true });
  for (const lang of ['ja', 'zh']) {
    const pack = { kb: {}, findings: {}, ui: {} };
    for (const e of full.kb) if (e.text[lang]) pack.kb[e.id] = e.text[lang];
    for (const e of full.findings) if (e.text[lang]) pack.findings[e.id] = e.text[lang];
    for (const [k, v] of Object.entries(full.ui)) if (v[lang]) pack.ui[k] = v[lang];
    await writeFile(join(root, 'dist', `catalogue.${lang}.json`), JSON.stringify(pack));
    // Traditional Chinese (--lang zh-TW / zh-HK): the zh pack converted (scripts/zh-hant.mjs)
    if (lang === 'zh') for (const locale of Object.keys(ZH_HANT)) await writeFile(join(root, 'dist', `catalogue.${locale}.json`), JSON.stringify(hantPack(pack, locale)));
  }
  // English is read from side files too (a large string literal costs V8 compile time), in
  // two parts: everything but the entries' texts (what matching and the checks read), and
  // the texts, one JSON array whose elements are parsed one by one, from their offsets, when
  // an entry's text is first read (explain shows a few entries: start-up parses 40% of the
  // catalogue). Non-ASCII is escaped: an ASCII file is read into a one-byte string, faster
  // to decode and to parse. The first texts are read alone (a positioned read of their bytes);
  // past READ_ALONE of them, the whole file.
  // Each entry's `text` is an accessor until first read. Turning a property parsed as data
  // into an accessor would make every entry a dictionary-mode object (about 10 ms of start-up,
  // mostly garbage collection), so the parsed entries stop before `text`: the accessor (one
  // getter and setter for all) is added to each, then the properties that followed `text`
  // (`after`), so that every entry keeps its keys in their order.
  const ascii = (json) => json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const split = (e) => {
    const keys = Object.keys(e);
    const t = keys.indexOf('text');
    return [Object.fromEntries(keys.slice(0, t).map((k) => [k, e[k]])), Object.fromEntries(keys.slice(t + 1).map((k) => [k, e[k]]))];
  };
  const entries = [...embedded.kb, ...embedded.findings];
  const core = { ...embedded, kb: embedded.kb.map((e) => split(e)[0]), findings: embedded.findings.map((e) => split(e)[0]) };
  const after = entries.map((e) => split(e)[1]);
  const pieces = entries.map((e) => ascii(JSON.stringify(e.text)));
  const at = [1];
  for (const piece of pieces) at.push(at[at.length - 1] + piece.length + 1);
  await writeFile(join(root, 'dist', 'catalogue.en.json'), ascii(JSON.stringify({ core, after })));
  await writeFile(join(root, 'dist', 'catalogue.en-text.json'), `[${pieces.join(',')}]`);
  const contents = [
    "import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';",
    "import { fileURLToPath } from 'node:url';",
    'const file = (name) => [`./${name}`, `../${name}`].map((r) => fileURLToPath(new URL(r, import.meta.url))).find((p) => existsSync(p));',
    "const { core: data, after } = JSON.parse(readFileSync(file('catalogue.en.json'), 'latin1'));",
    '// where each text starts in catalogue.en-text.json (knowledge base, then findings), and where the last ends',
    `const at = ${JSON.stringify(at)};`,
    'const READ_ALONE = 32;',
    'let textFile = null;',
    'let texts = null;',
    'let reads = 0;',
    'function readText(i) {',
    "  textFile ??= file('catalogue.en-text.json');",
    "  if (texts === null && ++reads > READ_ALONE) texts = readFileSync(textFile, 'latin1');",
    '  if (texts !== null) return JSON.parse(texts.slice(at[i], at[i + 1] - 1));',
    '  const buf = Buffer.allocUnsafe(at[i + 1] - 1 - at[i]);',
    "  const fd = openSync(textFile, 'r');",
    '  try {',
    '    for (let n = 0; n < buf.length; ) {',
    '      const got = readSync(fd, buf, n, buf.length - n, at[i] + n);',
    "      if (got === 0) throw new Error('catalogue.en-text.json is shorter than the catalogue says: rebuild post-doctor');",
    '      n += got;',
    '    }',
    '  } finally {',
    '    closeSync(fd);',
    '  }',
    "  return JSON.parse(buf.toString('latin1'));",
    '}',
    'const index = new Map();',
    "const own = (e, value) => Object.defineProperty(e, 'text', { value, writable: true, enumerable: true, configurable: true });",
    "// each entry's `text` is read on first use (then it is a plain property again)",
    'const lazyText = {',
    '  enumerable: true,',
    '  configurable: true,',
    '  get() { const value = readText(index.get(this)); own(this, value); return value; },',
    '  set(value) { own(this, value); },',
    '};',
    'data.kb.concat(data.findings).forEach((e, i) => {',
    '  index.set(e, i);',
    "  Object.defineProperty(e, 'text', lazyText);",
    '  Object.assign(e, after[i]);',
    '});',
    'export default data;',
  ].join('\n');
  return { contents, loader: 'js', resolveDir: dirname(path) };
}

// ---------------------------------------------------------------------------

rmSync(join(root, 'dist'), { recursive: true, force: true });
const minify = process.env.PD_BUILD_MINIFY !== '0';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify,
  legalComments: 'none',
  // class and function names survive minifying: a library error is an InputError, not an `s`
  keepNames: true,
  logLevel: 'warning',
  // ora (spinners, only on a terminal) is ESM only and loaded when a spinner is shown
  external: ['ora'],
  loader: { '.json': 'json' },
};
// The library: ESM, code split so that an import loads only what it uses.
await build({
  ...common,
  format: 'esm',
  plugins: [cataloguePlugin, builtinsPlugin('esm'), chalkPlugin, stringWidthPlugin],
  entryPoints: { api: join(root, 'src/api.ts') },
  outdir: join(root, 'dist'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// The CLI: one script, dist/cli.cjs, which bin/post-doctor.js compiles with V8's code cache
// (dist/cli.cjs.cache, written below). Node 20 has no compile cache for modules: an ESM graph is
// resolved, linked and parsed at every start (about 30 ms for explain's 16 chunks), and
// CommonJS is parsed too. A script compiled with its cache is not parsed at all, the functions
// the cache holds are not compiled again, and a function that never runs costs only its bytes.
// The file is one function expression, `(function (exports, require, module, __filename,
// __dirname) { ...the bundle... })`, so that the bin and the cache writer compile the very same
// text (the cache is refused for any other); what the bundle imports lazily is wrapped by esbuild
// and evaluated on first use.
await build({
  ...common,
  format: 'cjs',
  // ASCII only: read as latin1 (a one-byte string, no UTF-8 decoding); non-ASCII is escaped
  charset: 'ascii',
  plugins: [cataloguePlugin, builtinsPlugin('cjs'), chalkPlugin, stringWidthPlugin],
  define: { 'import.meta.url': '__pd_url' },
  banner: { js: "(function (exports, require, module, __filename, __dirname, __pd_import) {\nconst __pd_url = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '})' },
  entryPoints: { cli: join(root, 'src/cli/main.ts') },
  outExtension: { '.js': '.cjs' },
  outdir: join(root, 'dist'),
});
// ASCII only, so that the bin reads it as latin1 (a one-byte string, no UTF-8 decoding): esbuild
// escapes non-ASCII in strings (charset: 'ascii') but not in regular expression literals, where
// \uXXXX (one per UTF-16 unit, as a non-unicode pattern reads them; a unicode one reads a
// pair of them as the one character) means the same.
const cliFile = join(root, 'dist', 'cli.cjs');
const cliUtf8 = readFileSync(cliFile, 'utf8');
// (a character after a backslash would become an escaped backslash and letters)
if (/\\[^\x00-\x7f]/.test(cliUtf8)) throw new Error('dist/cli.cjs: a non-ASCII character after a backslash: escape it in the source');
let cliText = cliUtf8.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// import() of what stays external (ora: ESM only) goes through the bin (__pd_import): a script
// compiled by vm.Script can import() only with an experimental option (and a warning on stderr)
const externalImports = cliText.match(/\bimport\(/g)?.length ?? 0;
cliText = cliText.replaceAll('import("ora")', '__pd_import("ora")');
if (externalImports !== 1 || /\bimport\(/.test(cliText)) throw new Error(`dist/cli.cjs: expected one import() (of ora), found ${externalImports}: give any other to __pd_import`);
writeFileSync(cliFile, cliText);
// The code cache: a fresh process compiles the script, runs explain and check on bundled
// examples (their output discarded) and writes what V8 compiled (scripts/code-cache.cjs). Made
// by this Node; another Node refuses it and compiles the script as usual (same output, slower).
if (process.env.PD_BUILD_CODE_CACHE !== '0') execFileSync(process.execPath, [join(root, 'scripts', 'code-cache.cjs')], { cwd: root, stdio: 'inherit' });
// Type declarations of the library (package.json "types": dist/types/api.d.ts), from tsconfig.build.json.
if (process.env.PD_BUILD_TYPES !== '0') {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
}
console.error('built dist/cli.cjs (with its code cache), dist/api.js and dist/types/api.d.ts');
