// JSON inputs (HAR, JSON form, Postman, fetch options) read with the one JSON parser
// (src/core/json.ts), keeping positions and key order; a syntax error becomes an InputError
// with line and column.
import { InputError } from '../core/errors.js';
import { parseJsonTree, type JsonError, type JValue } from '../core/json.js';

/** Inputs nest deeper than policies may (a HAR's log.entries[].request...), but not without end. */
const MAX_DEPTH = 512;

function describe(c: string): string {
  return JSON.stringify(c);
}

/** The error in the words the input parsers have always used. */
function message(e: JsonError): string {
  const found = e.found;
  const ex = e.expected;
  switch (e.reason) {
    case 'unexpected-end':
      if (ex.length === 1 && ex[0] === '"' && found === '') return 'unterminated string';
      if (ex.includes('}') && ex.includes(',')) return 'unexpected end of input (missing })';
      if (ex.includes(']') && ex.includes(',')) return 'unexpected end of input (missing ])';
      return 'unexpected end of input';
    case 'trailing-data':
      return `unexpected ${describe(found)} after the end of the document`;
    case 'too-deep':
      return 'nested too deeply';
    case 'bad-number':
      return 'bad number';
    case 'bad-string':
      if (ex.length === 1) return 'control character in string (escape it)';
      return found === '\\' ? 'bad escape' : 'bad \\u escape';
    case 'trailing-comma':
      return ex.includes('"') ? `expected a property name in double quotes, found ${describe(found)}` : `unexpected ${describe(found)}`;
    default:
      if (ex.length === 1 && ex[0] === ':') return `expected ':' after property name, found ${describe(found)}`;
      if (ex.length === 1 && ex[0] === '"') return `expected a property name in double quotes, found ${describe(found)}`;
      if (ex.length === 2 && ex[1] === '}') return `expected ',' or '}', found ${describe(found)}`;
      if (ex.length === 2 && ex[1] === ']') return `expected ',' or ']', found ${describe(found)}`;
      return `unexpected ${describe(found)}`;
  }
}

/** Parse JSON text; syntax errors become InputError with line and column. */
export function parseJson(text: string, source: string): JValue {
  // a byte order mark at the start is not part of the document (the column stays the text's own)
  const r = parseJsonTree(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, MAX_DEPTH);
  if (r.ok) return r.value;
  throw new InputError(`invalid JSON: ${message(r.error)}`, { source, line: r.error.line, column: r.error.column });
}
