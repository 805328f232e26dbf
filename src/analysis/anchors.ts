/**
 * Where a finding points: a file and a line range, plus the code text that makes its id stable
 * when unrelated lines move.
 */

import type { PyNode } from "../python/ast.js";
import { lineOf } from "../python/ast.js";
import type { Module } from "../python/project.js";

export interface Anchor {
  file: string;
  line: number;
  endLine: number;
  column: number;
  /** Normalised code of the anchor, for the fingerprint. */
  text: string;
}

/** A route as rules see it; defined by the Flask model. */
export type { Route as RouteRef } from "../flask/model.js";

export function anchorAt(module: Module, node: PyNode, endNode?: PyNode): Anchor {
  const line = lineOf(module.lineStarts, node.start);
  const endLine = lineOf(
    module.lineStarts,
    (endNode ?? node).end - 1 < node.start ? node.start : (endNode ?? node).start,
  );
  const column = node.start - (module.lineStarts[line - 1] ?? 0) + 1;
  const text = module.source
    .slice(node.start, Math.min(node.end, node.start + 200))
    .replace(/\s+/g, " ");

  return { file: module.path, line, endLine: Math.max(line, endLine), column, text };
}

/** An anchor for a non-Python file (JSON settings, .env), by line. */
export function anchorInText(file: string, line: number, text: string): Anchor {
  return { file, line, endLine: line, column: 1, text };
}
