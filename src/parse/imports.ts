/**
 * Cheap facts taken from a raw tree-sitter tree before deciding whether a file is worth converting:
 * the imports it makes (anywhere, including inside functions, `try` blocks and `if` branches) and
 * whether any of them reaches a library the analysis models (Flask and its extensions, Werkzeug,
 * the AWS SDKs, PynamoDB, JWT, LLM clients). The walk visits statements only: an import is always
 * a statement, so expressions, which make up most of a tree, are never entered.
 */

import type { Tree, Node as TsNode } from "web-tree-sitter";
import { type PyNode, stringValue, walk } from "../python/ast.js";

export interface ImportRef {
  /** The module as written: `flask`, `flask_wtf.csrf`, `.models`, `..`, `.`. */
  module: string;
  /** Names after `from m import`, such as `["Flask", "request"]` or `["*"]`; empty for `import m`. */
  names: string[];
  /**
   * True for a dotted string handed to a loader, as in `app.config.from_object("settings.Prod")`:
   * the module is loaded without an import statement.
   */
  dynamic?: boolean;
}

/**
 * Where an import statement can begin: at the start of a line, or after `;` or `:` (as in
 * `try: import ujson as json`). The keyword is then confirmed against the tree, so the words
 * `from` and `import` in strings, comments and `raise ... from` are passed over.
 */
const IMPORT_KEYWORD = /(?:^|[;:])[ \t]*(from|import)\b/gm;

/**
 * Every `import` and `from ... import` statement of the file, in source order, wherever it sits
 * (module level, functions, `try` and `if` blocks). Finding candidates in the text and asking the
 * tree only about those costs a fraction of walking the statements through a cursor, since each
 * step of a cursor is a call into WebAssembly.
 */
export function extractImports(tree: Tree, source: string): ImportRef[] {
  const out: ImportRef[] = [];
  const root = tree.rootNode;
  let lastStatement = -1;
  IMPORT_KEYWORD.lastIndex = 0;
  for (let match = IMPORT_KEYWORD.exec(source); match; match = IMPORT_KEYWORD.exec(source)) {
    const keyword = match.index + match[0].length - match[1]!.length;
    const statement = root.descendantForIndex(keyword, keyword + 1)?.parent;
    if (
      statement &&
      statement.startIndex > lastStatement &&
      (statement.type === "import_statement" || statement.type === "import_from_statement")
    ) {
      lastStatement = statement.startIndex;
      readImport(statement, out);
    }
  }

  return out;
}

function readImport(node: TsNode, out: ImportRef[]): void {
  if (node.type === "import_statement") {
    // `import a.b as c, d` imports two modules.
    for (const name of node.childrenForFieldName("name")) {
      const dotted = name?.type === "aliased_import" ? name.childForFieldName("name") : name;
      if (dotted) {
        out.push({ module: dotted.text, names: [] });
      }
    }

    return;
  }
  const moduleName = node.childForFieldName("module_name");
  if (!moduleName) {
    return;
  }
  const names: string[] = [];
  for (const name of node.childrenForFieldName("name")) {
    const dotted = name?.type === "aliased_import" ? name.childForFieldName("name") : name;
    if (dotted) {
      names.push(dotted.text);
    }
  }
  if (node.children.some((c) => c?.type === "wildcard_import")) {
    names.push("*");
  }
  out.push({ module: moduleName.text.replace(/\s+/g, ""), names });
}

/** Top-level packages whose use makes a file matter to the analysis. */
const MODELLED_PACKAGES = new Set([
  "flask",
  "werkzeug",
  "boto3",
  "botocore",
  "aioboto3",
  "pynamodb",
  "jwt",
  "itsdangerous",
  "openai",
  "anthropic",
  "llama_index",
]);

/** True when the import reaches a library the Flask, DynamoDB or LLM models understand. */
export function isModelledImport(ref: ImportRef): boolean {
  if (ref.module.startsWith(".") || ref.dynamic) {
    return false;
  }
  const dot = ref.module.indexOf(".");
  const top = dot === -1 ? ref.module : ref.module.slice(0, dot);

  return MODELLED_PACKAGES.has(top) || top.startsWith("flask_") || top.startsWith("langchain");
}

/** Calls that load a module named by a string: Flask config loaders and import helpers. */
const STRING_LOADERS = new Set(["from_object", "import_string", "import_module", "__import__"]);

/**
 * Dotted names passed as literal strings to module loaders in an already converted tree, such as
 * `app.config.from_object("myapp.settings.Production")`, so the module they name joins the
 * analysis although no import statement mentions it.
 */
export function stringModuleReferences(root: PyNode): ImportRef[] {
  const out: ImportRef[] = [];
  walk(root, (node) => {
    if (node.type !== "call") {
      return undefined;
    }
    const fn = node.children.find((c) => c.field === "function");
    const name =
      fn?.type === "identifier"
        ? fn.text
        : fn?.type === "attribute"
          ? fn.children.find((c) => c.field === "attribute")?.text
          : undefined;
    if (!name || !STRING_LOADERS.has(name)) {
      return undefined;
    }
    const first = node.children
      .find((c) => c.field === "arguments")
      ?.children.find((c) => c.type !== "keyword_argument" && c.type !== "comment");
    // Werkzeug's `import_string` also accepts `package.module:attribute`.
    const value = first ? stringValue(first)?.replace(":", ".") : null;
    if (value && /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(value)) {
      out.push({ module: value, names: [], dynamic: true });
    }

    return undefined;
  });

  return out;
}
