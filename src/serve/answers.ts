// What a bucket answers: the provider's error document (status, XML shape, code, wording
// from the knowledge base) and its success answers (204 / 200 / 201 with PostResponse /
// 303 to success_action_redirect), with the provider's request-id and Server headers.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { kbEntry } from '../core/catalogue.js';
import type { Prediction, ProviderId, ResolvedPrediction, ServerFlavour } from '../core/types.js';

/** A knowledge-base entry id (rules/kb). */
export type KbRule = Prediction['rule'];

/**
 * What an error answer says: a resolved prediction, or an answer serve gives on its own, whose
 * `rule` is empty when the knowledge base has no entry for it.
 */
export type ErrorSpec = Omit<ResolvedPrediction, 'rule'> & { rule: KbRule | '' };

export interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** Per-request identity of the answer (request id, trace ids). */
export interface AnswerContext {
  provider: ProviderId;
  server: ServerFlavour;
  requestId: string;
  /** Host the request was sent to (Host header). */
  host: string;
  /** Request path (for COS <Resource>). */
  path: string;
  bucket: string | null;
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A request id shaped like the provider's own. */
export function newRequestId(provider: ProviderId, server: ServerFlavour = 'aws'): string {
  switch (provider) {
    case 'cos':
      return randomBytes(24).toString('base64').replace(/[+/=]/g, '').slice(0, 32);
    case 'oss':
      return randomBytes(12).toString('hex').toUpperCase();
    case 's3':
      if (server === 'rgw') return `tx00000${randomBytes(8).toString('hex').slice(0, 15)}-${Math.floor(Date.now() / 1000).toString(16)}-1014-default`;
      // MinIO: fmt.Sprintf("%X", time.Now().UnixNano()), 16 upper-case hex digits (cmd/api-headers.go mustGetRequestID)
      if (server === 'minio') return (BigInt(Date.now()) * 1_000_000n + BigInt(randomInt(1_000_000))).toString(16).toUpperCase();
      return randomBytes(8).toString('hex').toUpperCase();
    case 'gcs':
      return randomBytes(36).toString('base64').replace(/[+/=]/g, '');
    case 'obs':
      // 32 upper-case hex digits, the first 16 the time in milliseconds
      return `${Date.now().toString(16).toUpperCase().padStart(16, '0')}${randomBytes(8).toString('hex').toUpperCase()}`;
    case 'tos':
      return `${randomBytes(12).toString('hex')}-${randomBytes(4).toString('hex').slice(0, 7)}-sandbox-tos-front-sbx-1`;
  }
}

/** Server header and request-id header names, as each provider sends them. */
export function providerHeaders(ctx: AnswerContext): Array<[string, string]> {
  switch (ctx.provider) {
    case 'cos':
      return [
        ['Server', 'tencent-cos'],
        ['x-cos-request-id', ctx.requestId],
      ];
    case 'oss':
      return [
        ['Server', 'AliyunOSS'],
        ['x-oss-request-id', ctx.requestId],
      ];
    case 's3':
      // MinIO: Server "MinIO" (cmd/api-headers.go setCommonHeaders), x-amz-request-id, and x-amz-id-2 the node's HostId
      if (ctx.server === 'minio') {
        return [
          ['Server', 'MinIO'],
          ['x-amz-request-id', ctx.requestId],
          ['x-amz-id-2', minioHostId(ctx)],
        ];
      }
      return ctx.server === 'rgw'
        ? [
            ['Server', 'Ceph Object Gateway (squid)'],
            ['x-amz-request-id', ctx.requestId],
          ]
        : [
            ['Server', 'AmazonS3'],
            ['x-amz-request-id', ctx.requestId],
            ['x-amz-id-2', hostId(ctx)],
          ];
    case 'gcs':
      return [
        ['Server', 'UploadServer'],
        ['x-guploader-uploadid', ctx.requestId],
      ];
    case 'obs':
      return [
        ['Server', 'OBS'],
        ['x-obs-request-id', ctx.requestId],
        ['x-obs-id-2', hostId(ctx)],
      ];
    case 'tos':
      return [
        ['Server', 'TosServer'],
        ['x-tos-request-id', ctx.requestId],
        ['x-tos-id-2', hostId(ctx)],
      ];
  }
}

/** Headers a page may read across origins (Access-Control-Expose-Headers). */
export function exposedHeaders(provider: ProviderId): string[] {
  const rid = { cos: 'x-cos-request-id', oss: 'x-oss-request-id', s3: 'x-amz-request-id', gcs: 'x-guploader-uploadid', obs: 'x-obs-request-id', tos: 'x-tos-request-id' }[provider];
  return ['ETag', 'Date', 'Location', rid];
}

function hostId(ctx: AnswerContext): string {
  // stable for a request: derived from its id
  return createHash('sha256').update(`host-id:${ctx.requestId}`).digest('base64').slice(0, 76);
}

/** MinIO's HostId: the hex SHA-256 of the node's name (cmd/generic-handlers.go globalLocalNodeNameHex), here of the Host. */
function minioHostId(ctx: AnswerContext): string {
  return createHash('sha256').update(ctx.host).digest('hex');
}

/** encoding/xml's EscapeText, as MinIO's documents are written (quotes as &#34; and &#39;). */
function goXmlEscape(s: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
  return s.replace(/[&<>"'\t\n\r]/g, (c) => map[c] ?? c);
}

/**
 * MinIO's error document (cmd/api-errors.go APIErrorResponse, written by cmd/api-response.go
 * writeErrorResponse through encoding/xml): Code, Message, Key and BucketName (left out when
 * empty; the POST policy handler's request has no object name, so no Key), Resource (the request
 * path), Region (only on a server with a region set; none here), RequestId, HostId. No other
 * elements (AWS's ProposedSize, StringToSign ... are not MinIO's).
 */
function minioErrorBody(p: { code: string; message: string }, ctx: AnswerContext): string {
  const el = (name: string, value: string): string => `<${name}>${goXmlEscape(value)}</${name}>`;
  let resource = ctx.path;
  try {
    resource = decodeURIComponent(ctx.path);
  } catch {
    // r.URL.Path as sent
  }
  const parts = [el('Code', p.code), el('Message', p.message)];
  if (ctx.bucket) parts.push(el('BucketName', ctx.bucket));
  parts.push(el('Resource', resource), el('RequestId', ctx.requestId), el('HostId', minioHostId(ctx)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${parts.join('')}</Error>`;
}

/** Extra elements of an error document, by name (S3 ProposedSize, GCS Details, ...). */
export type ErrorExtras = Array<[string, string]>;

/** The provider's error document for a resolved prediction. */
export function errorAnswer(spec: ErrorSpec, ctx: AnswerContext, extras: ErrorExtras = []): Answer {
  // what the documents leave out (TOS answers known only by their EC) stays out of the XML providers' documents as empty text
  const p = { ...spec, code: spec.code ?? '', message: spec.message ?? '' };
  const headers: Array<[string, string]> = [['Content-Type', 'application/xml'], ...providerHeaders(ctx)];
  const el = (name: string, value: string, indent = ''): string => `${indent}<${name}>${xmlEscape(value)}</${name}>`;
  let body: string;
  switch (ctx.provider) {
    case 'cos': {
      const trace = createHash('sha1').update(`trace:${ctx.requestId}`).digest('base64');
      const lines = [el('Code', p.code, '\t'), el('Message', p.message, '\t'), el('Resource', `${ctx.host}${ctx.path}`, '\t'), el('RequestId', ctx.requestId, '\t'), el('TraceId', trace, '\t')];
      for (const [k, v] of extras) lines.push(el(k, v, '\t'));
      body = `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n${lines.join('\n')}\n</Error>`;
      break;
    }
    case 'oss': {
      const ec = p.rule ? kbEntry(p.rule)?.ec?.[0] : undefined;
      const lines = [el('Code', p.code, '  '), el('Message', p.message, '  '), el('RequestId', ctx.requestId, '  '), el('HostId', ctx.bucket ? `${ctx.bucket}.${ctx.host}` : ctx.host, '  ')];
      for (const [k, v] of extras) lines.push(el(k, v, '  '));
      if (ec) {
        lines.push(el('EC', ec, '  '));
        lines.push(el('RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${ec}`, '  '));
        headers.push(['x-oss-ec', ec]);
      }
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${lines.join('\n')}\n</Error>\n`;
      break;
    }
    case 's3': {
      if (ctx.server === 'minio') {
        body = minioErrorBody(p, ctx);
        break;
      }
      const parts = [el('Code', p.code), el('Message', p.message)];
      for (const [k, v] of extras) parts.push(el(k, v));
      if (ctx.server === 'rgw') {
        if (ctx.bucket) parts.push(el('BucketName', ctx.bucket));
        parts.push(el('RequestId', ctx.requestId), el('HostId', 'sandbox-default-default'));
      } else {
        parts.push(el('RequestId', ctx.requestId), el('HostId', hostId(ctx)));
      }
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${parts.join('')}</Error>`;
      break;
    }
    case 'gcs': {
      const parts = [el('Code', p.code), el('Message', p.message)];
      for (const [k, v] of extras) parts.push(el(k, v));
      body = `<?xml version='1.0' encoding='UTF-8'?><Error>${parts.join('')}</Error>`;
      break;
    }
    case 'obs': {
      const lines = [el('Code', p.code, '  '), el('Message', p.message, '  ')];
      for (const [k, v] of extras) lines.push(el(k, v, '  '));
      lines.push(el('RequestId', ctx.requestId, '  '), el('HostId', hostId(ctx), '  '));
      body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${lines.join('\n')}\n</Error>`;
      break;
    }
    case 'tos': {
      // TOS answers in JSON, with the EC also in x-tos-ec
      const ec = p.rule ? kbEntry(p.rule)?.ec?.[0] : undefined;
      headers[0] = ['Content-Type', 'application/json'];
      const doc: Record<string, string> = {};
      if (spec.code !== null) doc.Code = spec.code;
      if (spec.message !== null) doc.Message = spec.message;
      doc.RequestId = ctx.requestId;
      doc.HostId = hostId(ctx);
      for (const [k, v] of extras) doc[k] = v;
      if (ec) {
        doc.EC = ec;
        headers.push(['x-tos-ec', ec]);
      }
      body = JSON.stringify(doc);
      break;
    }
  }
  return { status: p.status || 400, headers, body };
}

export interface Stored {
  bucket: string;
  key: string;
  etag: string;
  /** Public URL of the object. */
  location: string;
}

/**
 * The success answer: success_action_redirect (303 with bucket, key and etag in the query),
 * else success_action_status 200 / 201 (201 carries a PostResponse document), else 204.
 */
export function successAnswer(stored: Stored, fields: { status?: string; redirect?: string }, ctx: AnswerContext): Answer {
  const headers: Array<[string, string]> = [...providerHeaders(ctx), ['ETag', stored.etag]];
  const redirect = fields.redirect?.trim();
  if (redirect && /^https?:\/\//i.test(redirect)) {
    const q = `bucket=${encodeURIComponent(stored.bucket)}&key=${encodeURIComponent(stored.key)}&etag=${encodeURIComponent(stored.etag)}`;
    const location = redirect + (redirect.includes('?') ? '&' : '?') + q;
    headers.push(['Location', location]);
    return { status: 303, headers, body: '' };
  }
  headers.push(['Location', stored.location]);
  const status = fields.status?.trim();
  if (status === '201') {
    headers.unshift(['Content-Type', 'application/xml']);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xmlEscape(stored.location)}</Location>` +
      `<Bucket>${xmlEscape(stored.bucket)}</Bucket><Key>${xmlEscape(stored.key)}</Key><ETag>${xmlEscape(stored.etag)}</ETag></PostResponse>`;
    return { status: 201, headers, body };
  }
  if (status === '200') return { status: 200, headers, body: '' };
  return { status: 204, headers, body: '' };
}

/** First knowledge-base entry of `ids` that exists. */
export function firstRule(ids: Array<string | undefined>): KbRule | null {
  for (const id of ids) if (id && kbEntry(id)) return id as KbRule;
  return null;
}

/** KB entries for the answers serve gives on its own (not predicted by check). */
export function ruleFor(situation: 'cors' | 'no-such-bucket' | 'method-not-allowed' | 'internal-error', provider: ProviderId, server: ServerFlavour): KbRule | null {
  const rgw = provider === 's3' && server === 'rgw';
  switch (situation) {
    case 'cors':
      return firstRule(
        provider === 'cos'
          ? ['cos.403.access-forbidden', 'cos.code.access-forbidden']
          : provider === 'oss'
            ? ['oss.cors.not-allowed']
            : provider === 's3'
              ? [rgw ? 'rgw.cors.not-allowed' : undefined, 's3.cors.not-allowed', 's3.code.access-forbidden']
              : provider === 'obs'
                ? ['obs.cors.not-allowed']
                : provider === 'gcs'
                  ? ['gcs.cors.not-allowed', 'gcs.code.access-forbidden']
                  : // TOS's refusal of a preflight is not documented
                    [],
      );
    case 'no-such-bucket':
      return firstRule([rgw ? 'rgw.code.no-such-bucket' : undefined, `${provider}.code.no-such-bucket`, 'generic.code.no-such-bucket']);
    case 'method-not-allowed':
      return firstRule([
        provider === 's3' && server === 'minio' ? 'minio.post.method-not-allowed' : undefined,
        `${provider}.code.method-not-allowed`,
        provider === 'oss' ? 'oss.request.method-not-allowed' : undefined,
        provider === 'obs' ? 'obs.post.method-not-allowed' : undefined,
        'generic.http.405',
      ]);
    case 'internal-error':
      return firstRule([`${provider}.code.internal-error`, 'generic.code.internal-error']);
  }
}
