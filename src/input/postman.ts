// A Postman collection (v2.0 / v2.1 JSON): the request whose body is `formdata`.
// Items nest in folders (`item` arrays); a form entry is {key, value, type: "text"} or
// {key, type: "file", src: path | [paths] | null}, `disabled: true` entries are not sent.
// Collection variables ({{name}}) are substituted; others come from an environment that was
// not given and are said to be unresolved. Postman sends the form in the listed order, with a
// boundary of its own, so the body's framing is not judged.
import { InputError } from '../core/errors.js';
import type { FilePart, Part, UploadRequest } from '../core/types.js';
import { jget, jscalar, type JValue } from '../core/json.js';
import { MAX_HEADERS, NOTE, basename, curlContentTypeFor, fileSize, resolvePath } from './util.js';
import type { InputOptions } from './types.js';

/** True when a parsed JSON document is a Postman collection. */
export function isPostmanCollection(doc: JValue): boolean {
  const info = jget(doc, 'info');
  const schema = jscalar(jget(info, 'schema')) ?? '';
  return jget(doc, 'item')?.kind === 'array' && (/getpostman\.com\/json\/collection/i.test(schema) || jget(info, '_postman_id') !== undefined);
}

interface Found {
  request: JValue;
  name: string;
}

/** Requests with a formdata body, depth first in document order. */
function collect(items: JValue | undefined, out: Found[], depth: number): void {
  if (items?.kind !== 'array' || depth > 64) return;
  for (const it of items.items) {
    const request = jget(it, 'request');
    if (request?.kind === 'object' && jscalar(jget(jget(request, 'body'), 'mode')) === 'formdata') out.push({ request, name: jscalar(jget(it, 'name')) ?? '' });
    collect(jget(it, 'item'), out, depth + 1);
  }
}

class Vars {
  readonly unresolved = new Set<string>();
  constructor(private readonly values: Map<string, string>) {}
  apply(s: string): string {
    return s.replace(/\{\{([^{}]{1,200})\}\}/g, (whole, name: string) => {
      const v = this.values.get(name.trim());
      if (v !== undefined) return v;
      this.unresolved.add(name.trim());
      return whole;
    });
  }
}

function variables(doc: JValue): Vars {
  const values = new Map<string, string>();
  const list = jget(doc, 'variable');
  if (list?.kind === 'array') {
    for (const v of list.items) {
      if (disabled(v)) continue;
      const k = jscalar(jget(v, 'key')) ?? jscalar(jget(v, 'id'));
      const val = jscalar(jget(v, 'value'));
      if (k !== undefined && val !== undefined) values.set(k, val);
    }
  }
  return new Vars(values);
}

function disabled(v: JValue): boolean {
  const d = jget(v, 'disabled');
  return d?.kind === 'bool' && d.value;
}

/** request.url: a string, or {raw} / {protocol, host[], port, path[], query[]}. */
function urlOf(request: JValue): string | null {
  const u = jget(request, 'url');
  if (u === undefined) return null;
  if (u.kind === 'string') return u.value;
  const raw = jscalar(jget(u, 'raw'));
  if (raw !== undefined) return raw;
  const join = (v: JValue | undefined, sep: string): string => (v?.kind === 'array' ? v.items.map((x) => jscalar(x) ?? '').join(sep) : (jscalar(v) ?? ''));
  const host = join(jget(u, 'host'), '.');
  if (host === '') return null;
  const protocol = jscalar(jget(u, 'protocol')) ?? 'https';
  const port = jscalar(jget(u, 'port'));
  const path = join(jget(u, 'path'), '/');
  return `${protocol}://${host}${port ? `:${port}` : ''}/${path}`;
}

/** A parsed Postman collection -> UploadRequest of its (last, or --entry) formdata request. */
export async function parsePostman(doc: JValue, source: string, opts: InputOptions = {}): Promise<UploadRequest> {
  const found: Found[] = [];
  collect(jget(doc, 'item'), found, 0);
  const count = found.length;
  if (count === 0) throw new InputError('the Postman collection has no request with a form-data body', { source, line: doc.line, column: doc.column });
  const notes: UploadRequest['notes'] = [];
  let pick = count;
  if (opts.entry !== undefined) {
    if (!Number.isInteger(opts.entry) || opts.entry < 1 || opts.entry > count) {
      throw new InputError(`entry ${opts.entry} is out of range: the collection has ${count} form-data ${count === 1 ? 'request' : 'requests'} (1-${count})`, { source, option: 'entry' });
    }
    pick = opts.entry;
  } else if (count > 1) notes.push({ id: NOTE.harEntryPicked, facts: { entry: pick, count } });
  const { request } = found[pick - 1]!;
  const vars = variables(doc);
  const method = vars.apply(jscalar(jget(request, 'method')) ?? 'GET').toUpperCase();
  const rawUrl = urlOf(request);
  const url = rawUrl === null ? null : vars.apply(rawUrl);
  const headers: Array<[string, string]> = [];
  const hs = jget(request, 'header');
  if (hs?.kind === 'array') {
    for (const h of hs.items) {
      if (disabled(h)) continue;
      const k = jscalar(jget(h, 'key'));
      if (k === undefined) continue;
      headers.push([vars.apply(k), vars.apply(jscalar(jget(h, 'value')) ?? '')]);
    }
  }
  if (headers.length > MAX_HEADERS) throw new InputError(`the request has ${headers.length} headers, more than post-doctor reads (${MAX_HEADERS})`, { source, field: 'headers' });
  const parts: Part[] = [];
  const form = jget(jget(request, 'body'), 'formdata');
  if (form?.kind === 'array') {
    for (const e of form.items) {
      if (disabled(e)) continue;
      const key = jscalar(jget(e, 'key'));
      if (key === undefined) continue;
      const name = vars.apply(key);
      const contentType = jscalar(jget(e, 'contentType')) ?? null;
      if (jscalar(jget(e, 'type')) === 'file') {
        const src = jget(e, 'src');
        const paths = src?.kind === 'array' ? src.items.map((x) => jscalar(x)).filter((x): x is string => x !== undefined) : [jscalar(src)].filter((x): x is string => x !== undefined && x !== '');
        if (paths.length === 0) {
          parts.push({ kind: 'file', name, filename: null, contentType, size: null, sizeSource: 'unknown', source: { type: 'placeholder' } });
          notes.push({ id: NOTE.placeholderFile, facts: { field: name } });
          continue;
        }
        for (const p of paths) parts.push(await filePart(name, p, contentType, opts, notes));
        continue;
      }
      parts.push({ kind: 'field', name, value: vars.apply(jscalar(jget(e, 'value')) ?? '') });
    }
  }
  if (vars.unresolved.size) notes.push({ id: NOTE.unresolvedVariable, facts: { names: [...vars.unresolved] } });
  return { method, url, headers, parts, boundary: null, bodyProblems: [], notes };
}

async function filePart(name: string, src: string, contentType: string | null, opts: InputOptions, notes: UploadRequest['notes']): Promise<FilePart> {
  const path = resolvePath(src, opts.cwd);
  const size = await fileSize(path);
  const part: FilePart = { kind: 'file', name, filename: basename(src), contentType: contentType ?? curlContentTypeFor(src), size, source: { type: 'path', path } };
  if (size === null) {
    notes.push({ id: NOTE.fileMissing, facts: { path } });
    part.sizeSource = 'unknown';
  } else part.sizeSource = 'bytes';
  return part;
}
