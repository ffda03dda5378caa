// Human text wrapped to the terminal's width. Widths are display columns (string-width: East
// Asian wide and fullwidth characters and emoji count 2, colour sequences 0). A line breaks only
// at spaces, or between two characters of Chinese or Japanese text (not before a closing mark
// such as "。" or "）", nor after an opening one such as "（"); never inside a word, a URL or a
// colour sequence: a word longer than the line stands on a line of its own, as it is.
// A continuation line keeps the line's leading indentation, and the hanging indent of a list
// marker ("- ", "1. ", the "✗ " / "! " / "i " of a finding) when the line has one. Colours open at
// a break are closed before it and opened again after the indentation.
import stringWidth from 'string-width';

/** A colour (SGR) sequence, or any other CSI sequence: zero width, never split. */
const ANSI = /\u001b\[[0-9;:?]*[ -/]*[@-~]/y;
/** Leading indentation, then a list marker with the space after it. */
const MARKER = /^([ \t]*)((?:[-*+•·‣✗✓✔✘!i]|\d{1,3}[.)]) +)?/;
/** No break before these (closing marks, small kana, prolonged sound mark; ASCII closers next to CJK). */
const NO_BREAK_BEFORE = new Set([...'、。，．・：；？！）」』】〕〉》〗〙〛”’ー々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ〜～…‥゛゜ゝゞヽヾ％‰℃,.:;!?)]}%']);
/** No break after these (opening marks). */
const NO_BREAK_AFTER = new Set([...'（「『【〔〈《〖〘〚“‘([{']);
/** Below this many columns nothing is wrapped: a narrower column reads worse than the terminal's own wrap. */
const MIN_WIDTH = 20;
/** A continuation indent that would leave fewer columns than this is dropped (then the indentation alone, then nothing). */
const MIN_TEXT = 16;

let segmenter: Intl.Segmenter | null = null;

function graphemes(s: string): string[] {
  // one code unit per character for plain ASCII: no segmenter needed
  if (/^[\x20-\x7e]*$/.test(s)) return [...s];
  segmenter ??= new Intl.Segmenter();
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

function charWidth(g: string): number {
  const n = g.charCodeAt(0);
  if (g.length === 1 && n >= 0x20 && n < 0x7f) return 1;
  return stringWidth(g);
}

/** Display width of `s`: colour sequences count 0, wide characters 2 (a tab counts to the next multiple of 8). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const t of tokens(s)) {
    if (t.kind === 'ansi') continue;
    if (t.text === '\t') w += 8 - (w % 8);
    else w += t.width;
  }
  return w;
}

interface Token {
  kind: 'ansi' | 'space' | 'char';
  text: string;
  width: number;
}

function tokens(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let run = '';
  const flush = (): void => {
    if (!run) return;
    for (const g of graphemes(run)) out.push({ kind: 'char', text: g, width: charWidth(g) });
    run = '';
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\u001b') {
      ANSI.lastIndex = i;
      const m = ANSI.exec(s);
      if (m) {
        flush();
        out.push({ kind: 'ansi', text: m[0], width: 0 });
        i += m[0].length;
        continue;
      }
    }
    if (c === ' ' || c === '\t') {
      flush();
      out.push({ kind: 'space', text: c, width: c === ' ' ? 1 : 8 });
      i++;
      continue;
    }
    run += c;
    i++;
  }
  flush();
  return out;
}

/** Colour state: the SGR parameters in force, by attribute, so that a break can close and reopen them. */
class Sgr {
  private readonly on = new Map<string, string>();

  apply(seq: string): void {
    const m = /^\u001b\[([0-9;:]*)m$/.exec(seq);
    if (!m) return;
    const params = m[1] === '' ? ['0'] : m[1]!.split(';');
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const n = Number(p.split(':')[0]);
      if (n === 0) this.on.clear();
      else if (n === 38 || n === 48 || n === 58) {
        // extended colour: 38;5;N or 38;2;R;G;B (or the colon forms, one parameter)
        let value = p;
        if (!p.includes(':')) {
          const more = params[i + 1] === '5' ? 2 : params[i + 1] === '2' ? 4 : 0;
          value = params.slice(i, i + 1 + more).join(';');
          i += more;
        }
        this.on.set(String(n), value);
      } else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) this.on.set('38', p);
      else if (n === 39) this.on.delete('38');
      else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) this.on.set('48', p);
      else if (n === 49) this.on.delete('48');
      else if (n === 59) this.on.delete('58');
      else if (n === 1 || n === 2) this.on.set(`w${n}`, p);
      else if (n === 22) {
        this.on.delete('w1');
        this.on.delete('w2');
      } else if (n >= 3 && n <= 9) this.on.set(`a${n}`, p);
      else if (n >= 23 && n <= 29) this.on.delete(`a${n - 20}`);
    }
  }

  get active(): boolean {
    return this.on.size > 0;
  }

  /** The sequence that sets the state again after a reset. */
  reopen(): string {
    return this.on.size ? `\u001b[${[...this.on.values()].join(';')}m` : '';
  }
}

/** A piece of a line that is never broken: a word, a URL, one wide character (with its glued marks). */
interface Piece {
  text: string;
  width: number;
  /** Spaces before it (dropped when the line breaks there); '' when it follows directly. */
  gap: string;
  /** Whether the line may break before it. */
  breakable: boolean;
}

const isWide = (t: Token): boolean => t.kind === 'char' && t.width === 2;

/** Split one line's text (after its indentation and marker) into pieces. */
function pieces(toks: Token[]): { list: Piece[]; trailing: string } {
  const list: Piece[] = [];
  let cur: Piece | null = null;
  let gap = '';
  let lead = ''; // colour sequences waiting for the next piece
  let prev: Token | null = null; // last character of the current piece
  const start = (t: Token, breakable: boolean): void => {
    cur = { text: lead + t.text, width: t.width, gap, breakable };
    list.push(cur);
    lead = '';
    gap = '';
    prev = t;
  };
  for (const t of toks) {
    if (t.kind === 'ansi') {
      if (cur !== null && gap === '') (cur as Piece).text += t.text;
      else lead += t.text;
      continue;
    }
    if (t.kind === 'space') {
      gap += t.text;
      continue;
    }
    const c = cur as Piece | null;
    if (c === null) {
      start(t, false);
      continue;
    }
    if (gap !== '') {
      start(t, true);
      continue;
    }
    // no space between: break only between wide (CJK) characters, by the kinsoku rules, and never inside a URL
    const p = prev as Token | null;
    const cjk = p !== null && (isWide(t) || isWide(p));
    const inUrl = c.text.includes('://');
    if (cjk && !inUrl && !NO_BREAK_BEFORE.has(t.text) && !NO_BREAK_AFTER.has(p.text)) {
      start(t, true);
      continue;
    }
    c.text += lead + t.text;
    c.width += t.width;
    lead = '';
    prev = t;
  }
  return { list, trailing: gap + lead };
}

export interface WrapOptions {
  /** Continuation lines are indented at least this many columns (a record whose first line starts at column 0). */
  hangingIndent?: number;
}

/** One line wrapped to `width` columns (no newline inside `line`). */
function wrapLine(line: string, width: number, opts: WrapOptions): string {
  if (displayWidth(line) <= width) return line;
  const toks = tokens(line);
  // the indentation and the marker, read on the text without colour sequences
  const plain = toks
    .filter((t) => t.kind !== 'ansi')
    .map((t) => t.text)
    .join('');
  const m = MARKER.exec(plain)!;
  const indent = m[1] ?? '';
  const marker = m[2] ?? '';
  let k = 0;
  let taken = 0;
  while (k < toks.length && taken < indent.length + marker.length) {
    if (toks[k]!.kind !== 'ansi') taken += toks[k]!.text.length;
    k++;
  }
  // colour sequences right after the marker stay with it
  while (k < toks.length && toks[k]!.kind === 'ansi' && marker !== '') k++;
  const head = toks.slice(0, k);
  const sgr = new Sgr();
  for (const t of head) if (t.kind === 'ansi') sgr.apply(t.text);
  const indentWidth = displayWidth(indent);
  const markerWidth = displayWidth(marker);
  const hang = Math.max(indentWidth + markerWidth, opts.hangingIndent ?? 0);
  let cont = indent + ' '.repeat(hang - indentWidth);
  if (width - hang < MIN_TEXT) cont = width - indentWidth < MIN_TEXT ? '' : indent;
  const contWidth = displayWidth(cont);

  const { list, trailing } = pieces(toks.slice(k));
  let out = head.map((t) => t.text).join('');
  let col = displayWidth(out);
  let first = true;
  for (const p of list) {
    const gapWidth = displayWidth(p.gap);
    if (!first && p.breakable && col + gapWidth + p.width > width && col > contWidth) {
      out += `${sgr.active ? '\u001b[0m' : ''}\n${cont}${sgr.reopen()}`;
      col = contWidth;
    } else {
      out += p.gap;
      col += gapWidth;
    }
    out += p.text;
    col += p.width;
    first = false;
    for (const a of p.text.matchAll(/\u001b\[[0-9;:]*m/g)) sgr.apply(a[0]);
  }
  return out + trailing.replace(/[ \t]+/g, '');
}

/**
 * `text` wrapped to `width` display columns, line by line (see the head of this file). Lines
 * that fit are unchanged; below 20 columns nothing is wrapped.
 */
export function wrapText(text: string, width: number, opts: WrapOptions = {}): string {
  if (!Number.isFinite(width) || width < MIN_WIDTH) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, Math.floor(width), opts))
    .join('\n');
}
