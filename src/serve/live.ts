// The live view: one self-contained HTML page (no external assets) that polls the
// diagnoses as JSON and lists them, newest first, with verdict, answer, findings and fix steps.
// Words come from rules/ui/serve.yaml; the page inserts every value as text, never as HTML:
// `code` in the words of rules/ becomes a <code> element whose text is set (textContent), and
// what the server writes into the page itself is HTML-escaped first (htmlInline). Labels ("Field:",
// "Fix:") are set apart from their values, with the language's colon (rules/ui serve.live.label),
// and the parts of a line are joined by the same separators everywhere: " · " between facts, " — "
// before a remark, " → " between a request and its answer.
import { ui } from '../core/catalogue.js';
import { chineseVariant } from '../core/lang.js';
import type { UiKey } from '../generated/ids.js';
import type { Lang, ProviderId } from '../core/types.js';

export const LIVE_API = '/_post-doctor/requests';

/** The provider's display name (shared with explain). */
export function providerName(provider: ProviderId, lang: Lang): string {
  return ui(`explain.provider.${provider}`, lang);
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * `inline code` in a text of rules/: the text and code pieces in order; a backtick without its pair
 * stays text. The page runs this very function (its source is put in SCRIPT), so it uses nothing
 * from outside its own body.
 */
export function codeSpans(s: string): Array<{ code: boolean; text: string }> {
  const out: Array<{ code: boolean; text: string }> = [];
  let i = 0;
  while (i < s.length) {
    const a = s.indexOf('`', i);
    const b = a < 0 ? -1 : s.indexOf('`', a + 1);
    if (a < 0 || b < 0) {
      out.push({ code: false, text: s.slice(i) });
      break;
    }
    if (a > i) out.push({ code: false, text: s.slice(i, a) });
    if (b > a + 1) out.push({ code: true, text: s.slice(a + 1, b) });
    else out.push({ code: false, text: '``' });
    i = b + 1;
  }
  return out;
}

/** JSON that is safe inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text from rules/ for the page's HTML: escaped first, then each `code` span as <code>. */
export function htmlInline(s: string): string {
  return codeSpans(s)
    .map((p) => (p.code ? `<code>${htmlEscape(p.text)}</code>` : htmlEscape(p.text)))
    .join('');
}

const STYLE = `
:root { color-scheme: light; --ok: #17803d; --bad: #b42318; --warn: #b54708; --muted: #667085; --line: #e4e7ec; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; background: #f9fafb; }
header { padding: 16px 24px; background: #101828; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header p { margin: 4px 0 0; color: #d0d5dd; }
main { padding: 16px 24px; max-width: 1100px; }
.empty { color: var(--muted); padding: 24px 0; }
.req { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 6px; margin: 0 0 12px; padding: 12px 16px; }
.req.accepted, .req.allowed { border-left-color: var(--ok); }
.req.refused, .req.blocked { border-left-color: var(--bad); }
.head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.id { color: var(--muted); font-variant-numeric: tabular-nums; }
.line { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.badge { border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.accepted .badge, .allowed .badge { background: var(--ok); }
.refused .badge, .badge.blocked { background: var(--bad); }
.time { margin-left: auto; color: var(--muted); font-size: 12px; }
.answer { margin: 6px 0 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; word-break: break-word; }
.meta { margin: 4px 0 0; color: var(--muted); font-size: 13px; word-break: break-all; }
ul.findings { list-style: none; margin: 8px 0 0; padding: 0; }
ul.findings > li { margin: 6px 0 0; padding: 6px 10px; border-radius: 4px; background: #f2f4f7; }
ul.findings > li.cause { background: #fef3f2; outline: 1px solid #fecdca; }
.sev { font-weight: 700; margin-right: 6px; }
.sev.error { color: var(--bad); } .sev.warning { color: var(--warn); } .sev.info { color: var(--muted); }
.ftitle { font-weight: 600; }
.sep { color: var(--muted); }
.tag { font-size: 12px; font-weight: 600; color: var(--bad); }
code { font: 12.5px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef0f3; border-radius: 3px; padding: 0 3px; word-break: break-all; }
header code { background: #344054; color: #fff; }
.more { color: var(--muted); font-variant-numeric: tabular-nums; }
.detail { margin: 2px 0 0; }
.fix { margin: 4px 0 0 18px; padding: 0; }
.fix pre.block { margin: 4px 0 0; padding: 6px 8px; background: #fff; border: 1px solid var(--line); border-radius: 4px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; overflow-x: auto; }
.label { font-weight: 600; color: #344054; }
.meta .label { color: #475467; }
.answer .label { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
li > .label { margin-top: 4px; }
#status { color: var(--bad); font-size: 12px; }
`;

const SCRIPT = `
(function () {
  var W = JSON.parse(document.getElementById('pd-words').textContent);
  var list = document.getElementById('requests');
  var empty = document.getElementById('empty');
  var status = document.getElementById('status');
  var last = 0;
  var SEP = ' \\u00b7 ', DASH = ' \\u2014 ', ARROW = ' \\u2192 ';
  var codeSpans = (${codeSpans.toString()});
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined && text !== null) e.textContent = String(text); return e; }
  function text(s) { return document.createTextNode(String(s)); }
  /* text of rules/: \`code\` spans as <code>, everything else as text */
  function rich(tag, cls, s) { var e = el(tag, cls); codeSpans(String(s)).forEach(function (p) { e.appendChild(p.code ? el('code', '', p.text) : text(p.text)); }); return e; }
  /* "Label: value": the label set apart (with the language's colon), then the value */
  function labelled(label, value) { var e = el('span', 'fact'); e.appendChild(el('span', 'label', label)); if (/:$/.test(label)) e.appendChild(text(' ')); e.appendChild(typeof value === 'string' ? text(value) : value); return e; }
  function joined(cls, parts) { var p = el('p', cls); parts.forEach(function (x, i) { if (i) p.appendChild(el('span', 'sep', SEP)); p.appendChild(x); }); return p; }
  function card(d) {
    var c = el('section', 'req ' + d.verdict + (d.blocked ? ' blocked' : '')); c.setAttribute('data-id', d.id); c.setAttribute('data-verdict', d.verdict); c.setAttribute('data-request-id', d.requestId);
    if (d.blocked) c.setAttribute('data-blocked', 'true');
    if (d.cause) c.setAttribute('data-cause', d.cause);
    var h = el('div', 'head');
    h.appendChild(el('span', 'id', '#' + d.id));
    h.appendChild(el('span', 'line', d.method + ' ' + d.path + ARROW + d.status + (d.code ? ' ' + d.code : '')));
    h.appendChild(el('span', 'badge', W.verdict[d.verdict] || d.verdict));
    if (d.blocked) h.appendChild(el('span', 'badge blocked', W.blocked));
    h.appendChild(el('span', 'time', d.time.replace('T', ' ').replace(/\\.\\d+Z$/, 'Z')));
    c.appendChild(h);
    if (d.message) c.appendChild(joined('answer', [labelled(W.answer, d.message)]));
    var meta = [];
    if (d.origin) meta.push(labelled(W.origin, d.origin));
    if (d.key) meta.push(labelled(W.key, d.key));
    if (d.file) meta.push(labelled(W.file, (d.file.name || d.file.field) + (d.file.sizeText ? ' (' + d.file.sizeText + ')' : '')));
    if (d.etag) meta.push(labelled(W.etag, d.etag));
    if (meta.length) c.appendChild(joined('meta', meta));
    if (d.kind !== 'preflight' || d.findings.length) {
      var shown = d.findings.filter(function (f) { return f.severity !== 'info' || f.id === 'serve.stored'; });
      if (!shown.length && d.verdict === 'accepted' && !d.blocked) c.appendChild(el('p', 'meta', W.noFindings));
      if (shown.length) {
        var ul = el('ul', 'findings');
        shown.forEach(function (f) {
          var li = el('li', f.id === d.cause ? 'cause' : ''); li.setAttribute('data-finding', f.id);
          var t = el('div', 'ftitle-line');
          t.appendChild(el('span', 'sev ' + f.severity, f.severity === 'error' ? '\\u2717' : f.severity === 'warning' ? '!' : 'i'));
          t.appendChild(rich('span', 'ftitle', f.title));
          if (f.more) t.appendChild(el('span', 'more', ' (+' + f.more + ')'));
          if (f.id === d.cause) { t.appendChild(el('span', 'sep', DASH)); t.appendChild(el('span', 'tag', W.cause)); }
          li.appendChild(t);
          li.appendChild(rich('p', 'detail', f.detail));
          if (f.field) li.appendChild(joined('meta field', [labelled(W.field, el('code', '', f.field))]));
          if (f.fix && f.fix.length) {
            var fx = el('ol', 'fix');
            f.fix.forEach(function (s, i) {
              var step = rich('li', '', s);
              var block = f.fixBlocks && f.fixBlocks[i];
              if (block && block.length) step.appendChild(el('pre', 'block', block.join('\\n')));
              fx.appendChild(step);
            });
            li.appendChild(el('div', 'label', W.fix)); li.appendChild(fx);
          }
          ul.appendChild(li);
        });
        c.appendChild(ul);
      }
      if (d.omitted) c.appendChild(el('p', 'meta omitted', '\\u2026 +' + d.omitted));
    }
    return c;
  }
  function poll() {
    fetch(W.api + '?after=' + last, { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (j) {
      status.textContent = '';
      j.requests.forEach(function (d) { if (d.id > last) last = d.id; list.insertBefore(card(d), list.firstChild); });
      empty.hidden = list.children.length > 0;
    }).catch(function () { status.textContent = W.offline; }).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
`;

export function livePage(o: { provider: ProviderId; url: string; lang: Lang }): string {
  const L = o.lang;
  const label = (key: UiKey): string => ui('serve.live.label', L, { label: ui(key, L) });
  const words = {
    api: LIVE_API,
    verdict: { accepted: ui('serve.verdict.accepted', L), refused: ui('serve.verdict.refused', L), allowed: ui('serve.verdict.allowed', L) },
    blocked: ui('serve.verdict.blocked', L),
    answer: label('serve.live.answer'),
    noFindings: ui('serve.live.no-findings', L),
    fix: label('serve.live.fix'),
    origin: label('serve.live.origin'),
    key: label('serve.live.key'),
    file: label('serve.live.file'),
    etag: label('serve.live.etag'),
    field: label('serve.live.field'),
    cause: ui('serve.live.cause', L),
    offline: ui('serve.live.offline', L),
  };
  const title = ui('serve.live.title', L);
  return `<!doctype html>
<html lang="${L === 'zh' ? (chineseVariant() ?? 'zh') : L}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${htmlInline(title)}</h1><p>${htmlInline(ui('serve.live.subtitle', L, { provider: providerName(o.provider, L), url: o.url }))} <span id="status"></span></p></header>
<main>
<p id="empty" class="empty">${htmlInline(ui('serve.live.empty', L, { url: o.url }))}</p>
<div id="requests"></div>
</main>
<script type="application/json" id="pd-words">${scriptJson(words)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
