/**
 * The work done for one Python file, the same in a worker thread and on the main thread: read and
 * check the bytes, parse with tree-sitter, take the imports, and convert the tree into plain nodes
 * only when the file matters to the analysis (or the caller asks for it). A file that cannot be
 * read, decoded or converted comes back as an error result; nothing here throws for a bad file.
 */

import type { Tree } from "web-tree-sitter";
import { computeLineStarts, convertTree, lineOf, type SyntaxProblem } from "../python/ast.js";
import { PythonParser } from "../python/parser.js";
import {
  extractImports,
  type ImportRef,
  isModelledImport,
  stringModuleReferences,
} from "./imports.js";
import { readTextFile } from "./source.js";
import type { ParsedModule, SkippedModule } from "./types.js";

/**
 * `analyse`: convert when the file imports a modelled library, else return what the relevance
 * closure needs. `convert`: always convert. `parse-only`: parse and count lines, nothing more (the
 * benchmark's baseline).
 */
export type TaskMode = "analyse" | "convert" | "parse-only";

export interface ParseTask {
  path: string;
  absPath: string;
  mode: TaskMode;
  maxBytes: number;
}

/** A converted tree crosses threads without parent links; the receiver restores them. */
export type TaskResult =
  | { kind: "parsed"; module: ParsedModule; imports: ImportRef[]; modelled: boolean }
  | { kind: "skipped"; module: SkippedModule; imports: ImportRef[] }
  | { kind: "error"; message: string };

/** Most syntax errors reported per file: past a few, more say nothing new. */
const MAX_SYNTAX_ERRORS = 20;

export class FileParser {
  private constructor(private parser: PythonParser) {}

  static async create(): Promise<FileParser> {
    return new FileParser(await PythonParser.create());
  }

  async run(task: ParseTask): Promise<TaskResult> {
    try {
      return this.runOnce(task);
    } catch (error) {
      // A trap inside the WebAssembly parser can leave it unusable: start a fresh one.
      this.parser = await PythonParser.create();

      return { kind: "error", message: failureMessage(error) };
    }
  }

  private runOnce(task: ParseTask): TaskResult {
    const read = readTextFile(task.absPath, task.maxBytes);
    if (!read.ok) {
      return { kind: "error", message: read.message };
    }
    const source = read.text;
    const tree = this.parser.parseRaw(source);
    if (!tree) {
      return { kind: "error", message: "the parser returned no tree; skipped" };
    }
    try {
      if (task.mode === "parse-only") {
        const module = {
          path: task.path,
          lines: countLines(source),
          syntaxErrors: [],
          imports: [],
        };

        return { kind: "skipped", module, imports: [] };
      }
      const imports = extractImports(tree, source);
      const modelled = imports.some(isModelledImport);
      if (task.mode === "convert" || modelled) {
        return convert(task.path, source, tree, imports, modelled);
      }
      const module: SkippedModule = {
        path: task.path,
        lines: countLines(source),
        syntaxErrors: tree.rootNode.hasError ? syntaxErrors(tree, source) : [],
        imports: [...new Set(imports.map((i) => i.module))],
      };

      return { kind: "skipped", module, imports };
    } finally {
      tree.delete();
    }
  }
}

function convert(
  path: string,
  source: string,
  tree: Tree,
  imports: ImportRef[],
  modelled: boolean,
): TaskResult {
  const lineStarts = computeLineStarts(source);
  const converted = convertTree(tree, source, lineStarts);
  const module: ParsedModule = {
    path,
    source,
    lineStarts,
    lines: lineStarts.length,
    root: converted.root,
    comments: converted.comments,
    // Collected here rather than taken from `convertTree`, which passes over missing anonymous
    // tokens (the `)` of `def f(:`) and so misses some broken files; both kinds of module then
    // report errors the same way.
    syntaxErrors: tree.rootNode.hasError ? syntaxErrors(tree, source) : [],
  };

  return {
    kind: "parsed",
    module,
    imports: [...imports, ...stringModuleReferences(converted.root)],
    modelled,
  };
}

/** Lines as `computeLineStarts` counts them, without building the array. */
export function countLines(source: string): number {
  let lines = 1;
  let index = source.indexOf("\n");
  while (index !== -1) {
    lines++;
    index = source.indexOf("\n", index + 1);
  }

  return lines;
}

/**
 * Syntax errors of a tree (error and missing nodes), worded as `convertTree` words them. Only
 * subtrees that contain an error are entered.
 */
function syntaxErrors(tree: Tree, source: string): SyntaxProblem[] {
  const lineStarts = computeLineStarts(source);
  const out: SyntaxProblem[] = [];
  const stack = [tree.rootNode];
  while (stack.length > 0 && out.length < MAX_SYNTAX_ERRORS) {
    const node = stack.pop()!;
    if (node.type === "ERROR" || node.isMissing) {
      const line = lineOf(lineStarts, node.startIndex);
      const column = node.startIndex - (lineStarts[line - 1] ?? 0) + 1;
      const what = node.isMissing ? `missing ${node.type}` : "unexpected syntax";
      out.push({ line, column, message: `${what} at line ${line}, column ${column}` });
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c && (c.hasError || c.isMissing)) {
        stack.push(c);
      }
    }
  }

  return out;
}

function failureMessage(error: unknown): string {
  if (error instanceof RangeError) {
    return "too deeply nested to analyse (the syntax tree exceeds the stack); skipped";
  }
  const text = error instanceof Error ? error.message : String(error);

  return `the parser failed on this file (${text}); skipped`;
}
