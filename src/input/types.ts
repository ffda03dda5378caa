// Input of the parsers: what readInputText (src/cli/io.ts) returns, and the CLI options.

export interface InputSource {
  /** The input text (for a file on disk, its content; parsers may stream `path` instead). */
  text: string;
  /** Path on disk when the input is a file. */
  path: string | null;
  /** Name for error messages ("stdin", a path, "argument"). */
  source: string;
}

export interface InputOptions {
  /** HAR: which POST multipart entry (1-based). */
  entry?: number;
  /** The real file, when the capture holds a placeholder (--file). */
  file?: string;
  /** Directory that relative paths (curl -F @file, JSON file.path, --file) are resolved against. */
  cwd?: string;
}
