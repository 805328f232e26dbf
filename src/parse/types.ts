/**
 * What the discover and parse stages hand forward: files found under the scanned roots, and for
 * Python files their converted syntax tree (when the file matters to the analysis) or just the
 * facts needed to decide that it does not.
 */

import type { Comment, PyNode, SyntaxProblem } from "../python/ast.js";

export type FileKind = "python" | "config" | "other";

export interface SourceFile {
  /** Path relative to the scan root, with `/` separators. */
  path: string;
  absPath: string;
  kind: FileKind;
  size: number;
}

export interface ParsedModule {
  /** Relative path, as in `SourceFile.path`. */
  path: string;
  source: string;
  lineStarts: number[];
  lines: number;
  root: PyNode;
  comments: Comment[];
  syntaxErrors: SyntaxProblem[];
}

/** A Python file that was parsed but whose tree was not kept (it does not touch Flask or AWS). */
export interface SkippedModule {
  path: string;
  lines: number;
  syntaxErrors: SyntaxProblem[];
  /** Absolute and relative imports the file makes, as written (`.models`, `flask_wtf.csrf`). */
  imports: string[];
}

/** A file or folder that could not be read, decoded or parsed, with a message a person understands. */
export interface FileError {
  file: string;
  message: string;
}

export interface ParseResult {
  modules: ParsedModule[];
  skipped: SkippedModule[];
  /** Files that could not be read or decoded, with a message a person understands. */
  errors: FileError[];
  /** Worker threads the parse ran on; 0 when it ran on the calling thread. */
  workers?: number;
}
