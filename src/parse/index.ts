/**
 * Parses the discovered Python files.
 * TODO: minimal first version on the main thread; the worker pool comes next.
 */

import { readFileSync } from "node:fs";
import { linkParents } from "../python/ast.js";
import { PythonParser } from "../python/parser.js";
import type { ParseResult, SourceFile } from "./types.js";

export async function parseFiles(files: SourceFile[]): Promise<ParseResult> {
  const parser = await PythonParser.create();
  const result: ParseResult = { modules: [], skipped: [], errors: [] };
  for (const file of files) {
    if (file.kind !== "python") {
      continue;
    }
    const source = readFileSync(file.absPath, "utf8");
    const parsed = parser.parse(source);
    linkParents(parsed.root);
    result.modules.push({
      path: file.path,
      source,
      lineStarts: parsed.lineStarts,
      lines: parsed.lineStarts.length,
      root: parsed.root,
      comments: parsed.comments,
      syntaxErrors: parsed.syntaxErrors,
    });
  }

  return result;
}
