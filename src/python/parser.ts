/**
 * Loads tree-sitter and the Python grammar (both WebAssembly, no native build) and parses source
 * text into the plain tree of `ast.ts`. One `PythonParser` per thread: tree-sitter parsers are not
 * shareable across workers.
 */

import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import { type ConvertedTree, computeLineStarts, convertTree } from "./ast.js";

const require = createRequire(import.meta.url);

export interface ParsedSource extends ConvertedTree {
  lineStarts: number[];
}

export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<PythonParser> {
    await Parser.init();
    const wasmPath = require.resolve("tree-sitter-python/tree-sitter-python.wasm");
    const language = await Language.load(wasmPath);
    const parser = new Parser();
    parser.setLanguage(language);

    return new PythonParser(parser);
  }

  /** Parses and converts; the tree-sitter tree is freed before returning. */
  parse(source: string): ParsedSource {
    const tree = this.parser.parse(source);
    if (!tree) {
      throw new Error("tree-sitter returned no tree");
    }
    try {
      const lineStarts = computeLineStarts(source);
      const converted = convertTree(tree, source, lineStarts);

      return { ...converted, lineStarts };
    } finally {
      tree.delete();
    }
  }

  /** Parses only to check syntax and count lines: the cost the benchmark calls "parse-only". */
  parseOnly(source: string): boolean {
    const tree = this.parser.parse(source);
    if (!tree) {
      return false;
    }
    const hasError = tree.rootNode.hasError;
    tree.delete();

    return hasError;
  }

  /** The raw tree-sitter tree, for callers that extract facts without converting everything. */
  parseRaw(source: string) {
    return this.parser.parse(source);
  }
}
