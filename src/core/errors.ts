// Exit codes and the typed input error every parser throws.

export const EXIT = {
  OK: 0,
  PROBLEMS: 1,
  USAGE: 2,
  INTERNAL: 3,
} as const;

export interface Where {
  /** Input name (file path, "stdin", "argument"). */
  source?: string;
  line?: number;
  column?: number;
  field?: string;
  offset?: number;
  /** The option of the call (a library option name, e.g. "provider") that would settle it. */
  option?: string;
  /**
   * The option whose value is wrong (a library option name, e.g. "fieldsPath"); the message then
   * starts with that name, which the command line shows as its flag.
   */
  about?: string;
}

/**
 * Bad or unreadable input. The CLI prints `post-doctor: <where>: <message>` on one
 * line and exits 2. Parsers throw this and nothing else for input they refuse.
 */
export class InputError extends Error {
  readonly where: Where;
  constructor(message: string, where: Where = {}) {
    super(message);
    this.name = 'InputError';
    this.where = where;
  }

  /** One line: "file.har:12:5: field 'policy': message (byte 1234)". */
  oneLine(): string {
    const w = this.where;
    let loc = w.source ?? '';
    if (w.line !== undefined) loc += `${loc ? ':' : 'line '}${w.line}`;
    if (w.line !== undefined && w.column !== undefined) loc += `:${w.column}`;
    const parts: string[] = [];
    if (loc) parts.push(loc);
    if (w.field !== undefined) parts.push(`field '${w.field}'`);
    let msg = this.message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join(' ');
    if (w.offset !== undefined) msg += ` (byte offset ${w.offset})`;
    parts.push(msg);
    return parts.join(': ');
  }
}

/** Bad usage of the library or the command line (an option's value, a missing option): exit 2. */
export class UsageError extends Error {
  /** The option of the call (a library option name, e.g. "region") that would settle it. */
  readonly option: string | undefined;
  /** The option whose value is wrong; the message starts with its name (see Where.about). */
  readonly about: string | undefined;
  constructor(message: string, opts?: string | { option?: string; about?: string }) {
    super(message);
    this.name = 'UsageError';
    const o = typeof opts === 'string' ? { option: opts } : (opts ?? {});
    this.option = o.option;
    this.about = o.about;
  }
}

/** Network failure of a command that sends (replay, probe): exit 3. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** A JSON.parse message without the piece of the input V8 quotes in it ('"abc..." is not valid
 * JSON'): the input may hold a password or token. */
export function jsonErrorText(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  // a plain search, not a regex: the quoted input may be long and full of quotes
  const tail = ' is not valid JSON';
  if (!m.endsWith(tail)) return m;
  // V8 quotes the input as ', "abc"' or, cut, as ', ..."abc"...'
  const found = [m.indexOf(', "'), m.indexOf(', ..."')].filter((i) => i >= 0);
  return found.length ? `${m.slice(0, Math.min(...found))}: not valid JSON` : m;
}
