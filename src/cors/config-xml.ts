// XML forms of a bucket CORS configuration:
// - <CORSConfiguration><CORSRule>... as S3 (PutBucketCors / GetBucketCors), COS (PUT/GET Bucket
//   cors), OSS (PutBucketCors / GetBucketCors) and OBS (SetBucketCors / GetBucketCors) write it;
//   the four are nearly identical, so the shape alone rarely names the provider (see config.ts);
// - <CorsConfig><Cors>... of the GCS XML API (PUT Bucket cors).

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../core/errors.js';
import type { CorsRule } from './types.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * OBS's own namespace, as its GetBucketCors answer writes it:
 * `xmlns="http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/"` (the host is the region's
 * endpoint; other OBS clouds print theirs). SetBucketCors' documented request has no namespace.
 */
export function isObsNamespace(ns: string): boolean {
  return /^https?:\/\/obs\.[a-z0-9.-]+\/doc\/2015-06-30\/?$/i.test(ns);
}

export interface XmlReading {
  family: 's3' | 'gcs';
  rules: CorsRule[];
  responseVary?: boolean;
  /** The root element's xmlns, if any. */
  namespace: string | null;
}

type Node = Record<string, unknown>;

const REPEATED = new Set(['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'Cors', 'Origin', 'Method', 'ResponseHeader']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name: string) => REPEATED.has(name),
});

function fail(message: string, field: string, source?: string): never {
  throw new InputError(message, { source, field });
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, field: string, source?: string): string {
  if (typeof v === 'string') return v;
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'];
  if (isNode(v) && Object.keys(v).every((k) => k.startsWith('@_'))) return '';
  return fail('expected text, found nested elements', field, source);
}

function texts(v: unknown, field: string, source?: string): string[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x, i) => text(x, `${field}[${i + 1}]`, source));
}

function children(node: Node): string[] {
  return Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text');
}

function checkChildren(node: Node, known: readonly string[], field: string, source?: string): void {
  for (const k of children(node)) if (!known.includes(k)) fail(`unknown element <${k}> (expected ${known.join(', ')})`, field, source);
}

function integer(v: unknown, field: string, source?: string): number | undefined {
  if (v === undefined) return undefined;
  const s = text(v, field, source);
  if (!/^-?\d+$/.test(s)) fail(`expected a whole number of seconds, found '${s}'`, field, source);
  return Number(s);
}

function single(v: unknown, field: string, source?: string): unknown {
  if (Array.isArray(v)) fail('expected one element, found several', field, source);
  return v;
}

const RULE_CHILDREN = ['ID', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds'] as const;

function corsRule(v: unknown, index: number, source?: string): CorsRule {
  const field = `CORSConfiguration/CORSRule[${index + 1}]`;
  if (!isNode(v)) return fail('expected a CORSRule element with children', field, source);
  checkChildren(v, RULE_CHILDREN, field, source);
  const rule: CorsRule = {
    index,
    allowedOrigins: texts(v.AllowedOrigin, `${field}/AllowedOrigin`, source),
    allowedMethods: texts(v.AllowedMethod, `${field}/AllowedMethod`, source),
    allowedHeaders: texts(v.AllowedHeader, `${field}/AllowedHeader`, source),
    exposeHeaders: texts(v.ExposeHeader, `${field}/ExposeHeader`, source),
  };
  const age = integer(single(v.MaxAgeSeconds, `${field}/MaxAgeSeconds`, source), `${field}/MaxAgeSeconds`, source);
  if (age !== undefined) rule.maxAgeSeconds = age;
  if (v.ID !== undefined) rule.id = text(single(v.ID, `${field}/ID`, source), `${field}/ID`, source);
  return rule;
}

function responseVary(v: unknown, source?: string): boolean | undefined {
  if (v === undefined) return undefined;
  const s = text(single(v, 'CORSConfiguration/ResponseVary', source), 'CORSConfiguration/ResponseVary', source);
  if (s !== 'true' && s !== 'false') fail(`expected true or false, found '${s}'`, 'CORSConfiguration/ResponseVary', source);
  return s === 'true';
}

function readCorsConfiguration(root: unknown, source?: string): XmlReading {
  const node: Node = isNode(root) ? root : {};
  checkChildren(node, ['CORSRule', 'ResponseVary'], 'CORSConfiguration', source);
  const rules = ((node.CORSRule as unknown[] | undefined) ?? []).map((r, i) => corsRule(r, i, source));
  const ns = node['@_xmlns'];
  const out: XmlReading = { family: 's3', rules, namespace: typeof ns === 'string' ? ns : null };
  const vary = responseVary(node.ResponseVary, source);
  if (vary !== undefined) out.responseVary = vary;
  return out;
}

function listIn(v: unknown, child: string, field: string, source?: string): string[] {
  if (v === undefined) return [];
  const container = single(v, field, source);
  if (!isNode(container)) return [];
  checkChildren(container, [child], field, source);
  return texts(container[child], `${field}/${child}`, source);
}

function gcsCors(v: unknown, index: number, source?: string): CorsRule {
  const field = `CorsConfig/Cors[${index + 1}]`;
  if (!isNode(v)) return fail('expected a Cors element with children', field, source);
  checkChildren(v, ['Origins', 'Methods', 'ResponseHeaders', 'MaxAgeSec'], field, source);
  const headers = listIn(v.ResponseHeaders, 'ResponseHeader', `${field}/ResponseHeaders`, source);
  const rule: CorsRule = {
    index,
    allowedOrigins: listIn(v.Origins, 'Origin', `${field}/Origins`, source),
    allowedMethods: listIn(v.Methods, 'Method', `${field}/Methods`, source),
    allowedHeaders: headers,
    exposeHeaders: [...headers],
  };
  const age = integer(single(v.MaxAgeSec, `${field}/MaxAgeSec`, source), `${field}/MaxAgeSec`, source);
  if (age !== undefined) rule.maxAgeSeconds = age;
  return rule;
}

function readCorsConfig(root: unknown, source?: string): XmlReading {
  const node: Node = isNode(root) ? root : {};
  checkChildren(node, ['Cors'], 'CorsConfig', source);
  const rules = ((node.Cors as unknown[] | undefined) ?? []).map((r, i) => gcsCors(r, i, source));
  return { family: 'gcs', rules, namespace: null };
}

/** Reads an XML CORS configuration; throws InputError saying what is wrong and where. */
export function readXmlConfig(xml: string, source?: string): XmlReading {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new InputError(`CORS configuration is not well-formed XML: ${valid.err.msg}`, { source, line: valid.err.line, column: valid.err.col });
  const doc = parser.parse(xml) as Node;
  const roots = children(doc);
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) fail('expected one root element', '(document)', source);
  if (root === 'CORSConfiguration') return readCorsConfiguration(doc[root], source);
  if (root === 'CorsConfig') return readCorsConfig(doc[root], source);
  return fail(`root element is <${root}>; a CORS configuration is <CORSConfiguration> (S3, COS, OSS, OBS) or <CorsConfig> (GCS)`, root, source);
}
