// What one `serve` process holds at most, whatever a page on any origin sends it. A browser
// form has a few dozen fields and headers and a diagnosis a few kilobytes; every number here
// is far above that and far below what would exhaust memory, descriptors or the terminal.
//
// The multipart part limit is the CLI's own (MAX_PARTS of src/input/multipart.ts, also used
// by `check` on captures and HARs): a form over it is refused like a malformed body, as the
// CLI refuses it with an input error. The others have no CLI counterpart (the CLI reads one
// request, from a file it was given) and are serve's own.
import { MAX_PARTS } from '../input/multipart.js';

/** Parts (fields and files) read from one multipart body: the CLI's limit. Over it: 400, the provider's malformed-body answer. */
export const SERVE_MAX_PARTS = MAX_PARTS;

/** HTTP request headers read per request (Node's own default is 2,000); the rest are dropped by the HTTP parser. */
export const SERVE_MAX_HEADERS = 100;

/** Bytes of the request line plus headers (Node's default, stated so it cannot grow with a flag); over it: 431. */
export const SERVE_MAX_HEADER_BYTES = 16 * 1024;

/** Open connections; more are closed by the server as soon as they are accepted. */
export const SERVE_MAX_CONNECTIONS = 64;

/**
 * Request bodies on disk at once (each one temporary file). Uploads beyond it wait, unread, for
 * a free slot; they are bounded by SERVE_MAX_CONNECTIONS.
 */
export const SERVE_MAX_BODIES = 8;

/** Bodies parsed and checked at once (parsing holds a body's fields in memory; checking is CPU-bound anyway). */
export const SERVE_MAX_JUDGES = 1;

/** A request body that sends nothing for this long is dropped (its temporary file removed). */
export const SERVE_BODY_IDLE_MS = 30_000;

/** Findings of one id kept per request; the rest are counted (DiagnosisFinding.more). */
export const SERVE_FINDINGS_PER_KIND = 3;

/** Findings kept per request in all; the rest are counted (Diagnosis.omitted). */
export const SERVE_MAX_FINDINGS = 40;

/** Characters of any one text of a diagnosis (path, key, file name, title, detail, fix step); longer ones are cut, ending in "…". */
export const SERVE_MAX_TEXT = 1024;

/** Lines of a fix step's block (the CORS configuration to apply) kept; the rest are cut ("…"). */
export const SERVE_MAX_FIX_LINES = 200;

/** Diagnoses kept for the live view, by count (ServeOptions.history) ... */
export const SERVE_HISTORY = 100;

/** ... and by size: the JSON of the kept diagnoses stays under this many bytes (the newest one is always kept). */
export const SERVE_HISTORY_BYTES = 8 * 1024 * 1024;

/** Bytes of one file or directory name in --store (the file systems' NAME_MAX). */
export const SERVE_STORE_NAME_MAX = 255;

/** Bytes of a path below --store (under Linux's PATH_MAX of 4,096, with room for the store directory itself). */
export const SERVE_STORE_PATH_MAX = 3072;

/** All of them, for the hint line and the tests. */
export const SERVE_LIMITS = {
  parts: SERVE_MAX_PARTS,
  headers: SERVE_MAX_HEADERS,
  headerBytes: SERVE_MAX_HEADER_BYTES,
  connections: SERVE_MAX_CONNECTIONS,
  bodies: SERVE_MAX_BODIES,
  judges: SERVE_MAX_JUDGES,
  bodyIdleMs: SERVE_BODY_IDLE_MS,
  findingsPerKind: SERVE_FINDINGS_PER_KIND,
  findings: SERVE_MAX_FINDINGS,
  text: SERVE_MAX_TEXT,
  history: SERVE_HISTORY,
  historyBytes: SERVE_HISTORY_BYTES,
  storeName: SERVE_STORE_NAME_MAX,
  storePath: SERVE_STORE_PATH_MAX,
} as const;
