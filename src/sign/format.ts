// Renderers of a signed form: JSON document, a curl command, a minimal HTML page.
// Pure: they return text; interface words come from rules/ui/sign.yaml.

import { ui } from '../core/catalogue.js';
import type { Lang } from '../core/types.js';
import type { SignedForm } from './index.js';

/** The signed form as the JSON document it is (the library's SignedForm, key for key). */
export function renderSignJson(form: SignedForm): string {
  return `${JSON.stringify(form, null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// curl

/** A shell word in single quotes: every byte literal, a quote written as '\''. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Can `name=value` go through `curl -F` unchanged? -F reads a leading @ or < as a file, a
 * leading " as a quoted value, and ";type=" and the like after the value; anything
 * of that kind goes through --form-string, which sends the value as it is.
 */
export function plainFormValue(value: string): boolean {
  return !/^[@<"\s]/.test(value) && !/[;\r\n]/.test(value) && !/\s$/.test(value);
}

/**
 * A bash curl command posting the form, the file (path in $FILE) last. Only the command,
 * with no comments, so that `post-doctor check` reads it back as a capture.
 */
export function renderSignCurl(form: SignedForm, lang: Lang = 'en'): string {
  const args: string[] = [`curl -sS -i ${shellQuote(form.url)}`];
  for (const [name, value] of form.fields) {
    const opt = plainFormValue(value) ? '-F' : '--form-string';
    args.push(`${opt} ${shellQuote(`${name}=${value}`)}`);
  }
  // Double quotes so that $FILE expands; the message after :? must not close the quotes.
  const missing = ui('sign.curl.file-unset', lang).replace(/["`$\\}]/g, '');
  args.push(`-F "${form.file.field}=@\${FILE:?${missing}}"`);
  return `${args.join(' \\\n  ')}\n`;
}

// ---------------------------------------------------------------------------
// HTML

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A complete page with one form: hidden inputs in order, then the file input named
 * "file" and an unnamed submit button (a named button would be sent as one more field).
 * A field whose value the user must supply (a Content-Type prefix) is a visible text input.
 */
export function renderSignHtml(form: SignedForm, lang: Lang = 'en'): string {
  const needs = new Map(form.needs.map((n) => [n.field, n]));
  const title = htmlEscape(ui('sign.html.title', lang, { provider: form.provider }));
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push(`<html lang="${lang}">`);
  out.push('<head>');
  out.push('<meta charset="utf-8">');
  out.push(`<title>${title}</title>`);
  out.push('</head>');
  out.push('<body>');
  out.push(`<h1>${title}</h1>`);
  out.push(`<p>${htmlEscape(ui('sign.html.valid-until', lang, { expiration: form.policy.expiration }))}</p>`);
  out.push(`<form method="post" action="${htmlEscape(form.url)}" enctype="multipart/form-data">`);
  for (const [name, value] of form.fields) {
    const need = needs.get(name);
    if (need) {
      const label = htmlEscape(ui('sign.html.needs-label', lang, { ...need }));
      out.push(`  <label>${label} <input type="text" name="${htmlEscape(name)}" value="${htmlEscape(value)}" required></label><br>`);
    } else {
      out.push(`  <input type="hidden" name="${htmlEscape(name)}" value="${htmlEscape(value)}">`);
    }
  }
  out.push(`  <input type="file" name="${htmlEscape(form.file.field)}" required>`);
  out.push(`  <button type="submit">${htmlEscape(ui('sign.html.submit', lang))}</button>`);
  out.push('</form>');
  out.push('</body>');
  out.push('</html>');
  return `${out.join('\n')}\n`;
}

/** A signed form's renderers by name (`sign --format`). */
export const SIGN_FORMATS: Readonly<Record<'json' | 'curl' | 'html', (form: SignedForm, lang: Lang) => string>> = {
  json: (form) => renderSignJson(form),
  curl: renderSignCurl,
  html: renderSignHtml,
};
