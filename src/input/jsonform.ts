// JSON form description -> UploadRequest.
//
// {
//   "url": "https://bucket.example.com/", "method": "POST",
//   "headers": {"Origin": "..."} | [["Origin", "..."]],
//   "fields": [["key", "a.jpg"], ["file", null], ["x", "after the file"]] | {"key": "a.jpg"},
//   "file": {"name": "a.jpg", "field": "file", "path": "./a.jpg" | "size": 1024 | "content": "...", "contentType": "image/jpeg"}
// }
// The file part goes last unless `fields` holds a marker for it: a [name, null] pair (or
// [name, {"file": true}], or "name": null in the object form).
import { InputError, type Where } from '../core/errors.js';
import type { FilePart, Part, UploadRequest } from '../core/types.js';
import { jget, jscalar, type JValue } from '../core/json.js';
import { INLINE_LIMIT } from './multipart.js';
import { NOTE, basename, fileSize, resolvePath } from './util.js';
import type { InputOptions } from './types.js';

function bad(msg: string, v: JValue, source: string, field: string): InputError {
  const where: Where = { source, line: v.line, column: v.column, field };
  return new InputError(msg, where);
}

function isMarker(v: JValue): boolean {
  if (v.kind === 'null') return true;
  if (v.kind === 'object') {
    const f = jget(v, 'file');
    return f?.kind === 'bool' && f.value === true;
  }
  return false;
}

function pairs(v: JValue, what: string, source: string): Array<{ key: string; value: JValue; at: JValue; path: string }> {
  const out: Array<{ key: string; value: JValue; at: JValue; path: string }> = [];
  if (v.kind === 'object') {
    for (const [k, x] of v.entries) out.push({ key: k, value: x, at: x, path: `${what}.${k}` });
    return out;
  }
  if (v.kind === 'array') {
    v.items.forEach((item, i) => {
      const path = `${what}[${i}]`;
      if (item.kind === 'array') {
        const k = item.items[0];
        const x = item.items[1];
        if (item.items.length !== 2 || k === undefined || x === undefined || k.kind !== 'string') throw bad('expected a [name, value] pair', item, source, path);
        out.push({ key: k.value, value: x, at: item, path });
      } else if (item.kind === 'object' && jget(item, 'name')?.kind === 'string') {
        const name = jget(item, 'name') as { value: string };
        out.push({ key: name.value, value: jget(item, 'value') ?? { kind: 'null', line: item.line, column: item.column }, at: item, path });
      } else {
        throw bad('expected a [name, value] pair', item, source, path);
      }
    });
    return out;
  }
  throw bad(`"${what}" must be an object or an array of [name, value] pairs`, v, source, what);
}

async function filePart(fileV: JValue | undefined, markerName: string | undefined, source: string, opts: InputOptions, notes: UploadRequest['notes']): Promise<FilePart> {
  if (fileV !== undefined && fileV.kind !== 'object') throw bad('"file" must be an object', fileV, source, 'file');
  const str = (k: string): string | undefined => {
    const x = jget(fileV, k);
    if (x === undefined || x.kind === 'null') return undefined;
    if (x.kind !== 'string') throw bad(`"file.${k}" must be a string`, x, source, `file.${k}`);
    return x.value;
  };
  const fieldName = str('field') ?? markerName ?? 'file';
  const path = str('path');
  const content = str('content');
  const sizeV = jget(fileV, 'size');
  let size: number | null = null;
  if (sizeV !== undefined && sizeV.kind !== 'null') {
    if (sizeV.kind !== 'number' || !Number.isInteger(sizeV.value) || sizeV.value < 0) throw bad('"file.size" must be a whole number of bytes', sizeV, source, 'file.size');
    size = sizeV.value;
  }
  const part: FilePart = {
    kind: 'file',
    name: fieldName,
    filename: str('name') ?? (path !== undefined ? basename(path) : null),
    contentType: str('contentType') ?? str('type') ?? null,
    size,
    source: { type: 'placeholder' },
  };
  if (path !== undefined) {
    const abs = resolvePath(path, opts.cwd);
    part.source = { type: 'path', path: abs };
    const st = await fileSize(abs);
    if (st === null) notes.push({ id: NOTE.fileMissing, facts: { path: abs } });
    else part.size = st;
  } else if (content !== undefined) {
    const data = Buffer.from(content, 'utf8');
    part.size = data.length;
    part.source = data.length < INLINE_LIMIT ? { type: 'inline', data: new Uint8Array(data) } : { type: 'generated', size: data.length };
  } else if (size !== null) {
    part.source = { type: 'generated', size };
  } else {
    part.source = { type: 'placeholder' };
    notes.push({ id: NOTE.placeholderFile, facts: { field: fieldName } });
  }
  return part;
}

/** Parsed JSON form description -> UploadRequest. */
export async function parseJsonForm(doc: JValue, source: string, opts: InputOptions = {}): Promise<UploadRequest> {
  if (doc.kind !== 'object') throw bad('a JSON form description must be an object', doc, source, '(root)');
  const req: UploadRequest = { method: 'POST', url: null, headers: [], parts: [], boundary: null, bodyProblems: [], notes: [] };
  const urlV = jget(doc, 'url');
  if (urlV !== undefined && urlV.kind !== 'null') {
    if (urlV.kind !== 'string') throw bad('"url" must be a string', urlV, source, 'url');
    req.url = urlV.value;
  }
  const methodV = jget(doc, 'method');
  if (methodV !== undefined && methodV.kind !== 'null') {
    if (methodV.kind !== 'string' || !/^[A-Za-z]+$/.test(methodV.value)) throw bad('"method" must be an HTTP method name', methodV, source, 'method');
    req.method = methodV.value.toUpperCase();
  }
  const headersV = jget(doc, 'headers');
  if (headersV !== undefined && headersV.kind !== 'null') {
    for (const p of pairs(headersV, 'headers', source)) {
      const v = jscalar(p.value);
      if (v === undefined) throw bad('a header value must be a string', p.at, source, p.path);
      req.headers.push([p.key, v]);
    }
  }
  const fileV = jget(doc, 'file');
  const hasFile = fileV !== undefined && fileV.kind !== 'null';
  const fieldsV = jget(doc, 'fields');
  let placed = false;
  const parts: Part[] = [];
  if (fieldsV !== undefined && fieldsV.kind !== 'null') {
    for (const p of pairs(fieldsV, 'fields', source)) {
      if (isMarker(p.value)) {
        if (placed) throw bad('only one file marker is allowed in "fields"', p.at, source, p.path);
        placed = true;
        parts.push(await filePart(hasFile ? fileV : undefined, p.key, source, opts, req.notes));
        continue;
      }
      const v = jscalar(p.value);
      if (v === undefined) throw bad('a field value must be a string, number or boolean (null marks the file part)', p.at, source, p.path);
      parts.push({ kind: 'field', name: p.key, value: v });
    }
  }
  if (hasFile && !placed) parts.push(await filePart(fileV, undefined, source, opts, req.notes));
  req.parts = parts;
  const ct = req.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const m = ct ? /boundary=("?)([^";]+)\1/i.exec(ct) : null;
  req.boundary = m ? m[2]! : null;
  return req;
}
