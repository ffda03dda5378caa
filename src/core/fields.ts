// Read-only view over a request's form parts, for checks and adapters.
import type { FieldPart, FilePart, Part, UploadRequest } from './types.js';

export class FormView {
  readonly parts: readonly Part[];
  constructor(req: UploadRequest) {
    this.parts = req.parts;
  }

  /** Field parts (not files) in order. */
  fields(): FieldPart[] {
    return this.parts.filter((p): p is FieldPart => p.kind === 'field');
  }

  /** File parts in order. */
  files(): FilePart[] {
    return this.parts.filter((p): p is FilePart => p.kind === 'file');
  }

  /** First field with this name; `exact` compares case-sensitively (default: case-insensitive). */
  get(name: string, exact = false): FieldPart | undefined {
    return this.fields().find((p) => (exact ? p.name === name : p.name.toLowerCase() === name.toLowerCase()));
  }

  value(name: string, exact = false): string | undefined {
    return this.get(name, exact)?.value;
  }

  /** All fields with this name (case-insensitive unless `exact`). */
  all(name: string, exact = false): FieldPart[] {
    return this.fields().filter((p) => (exact ? p.name === name : p.name.toLowerCase() === name.toLowerCase()));
  }

  /** Index in `parts` of the first part with this name, or -1. */
  indexOf(name: string, exact = false): number {
    return this.parts.findIndex((p) => (exact ? p.name === name : p.name.toLowerCase() === name.toLowerCase()));
  }

  /** Index of the first file part, or -1. */
  firstFileIndex(): number {
    return this.parts.findIndex((p) => p.kind === 'file');
  }

  /** The upload's file: the first file part, if any. */
  file(): FilePart | undefined {
    return this.files()[0];
  }

  /** Fields sent before the first file part (what the server evaluates). */
  fieldsBeforeFile(): FieldPart[] {
    const i = this.firstFileIndex();
    const before = i < 0 ? this.parts : this.parts.slice(0, i);
    return before.filter((p): p is FieldPart => p.kind === 'field');
  }
}

/** Header lookup, case-insensitive. */
export function header(req: UploadRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}
