/**
 * A plain JavaScript syntax tree for Python, converted once from tree-sitter's tree.
 *
 * tree-sitter nodes live in WebAssembly memory, cannot cross worker threads and are slow to walk
 * from JavaScript (every property read is a call into the module). The analysis walks handler bodies
 * many times, so each parsed file is converted into these small objects: the node type and field
 * names are tree-sitter-python's own, offsets are JavaScript string indices into the source, and
 * only named nodes are kept, plus the anonymous tokens that carry meaning (operators such as `==`,
 * `not in`, `+`, `and`), which keep their text.
 */

import type { Tree } from "web-tree-sitter";

export interface PyNode {
  readonly type: string;
  /** Start and end as indices into the file's source string (UTF-16 code units). */
  readonly start: number;
  readonly end: number;
  /** The field name this node has in its parent (`left`, `function`, `arguments`, ...). */
  readonly field: string | null;
  /** Present on leaves: identifiers, literals, operators, string pieces, comments. */
  readonly text?: string;
  readonly children: PyNode[];
  /** Set by `linkParents` once the tree reaches the thread that analyses it. */
  parent: PyNode | null;
}

export interface Comment {
  /** 1-based line of the comment. */
  line: number;
  text: string;
}

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export interface ConvertedTree {
  root: PyNode;
  comments: Comment[];
  syntaxErrors: SyntaxProblem[];
}

/**
 * Leaf types whose text is kept. Everything else is reconstructed from the source when needed.
 */
const TEXT_TYPES = new Set([
  "identifier",
  "string_start",
  "string_content",
  "string_end",
  "escape_sequence",
  "integer",
  "float",
  "true",
  "false",
  "none",
  "ellipsis",
  "type_conversion",
  "format_specifier",
  "keyword_identifier",
  "dotted_name",
  "import_prefix",
  "wildcard_import",
]);

/** Anonymous tokens kept even without a field name, because their presence changes meaning. */
const KEPT_ANONYMOUS = new Set(["async", "await", "*", "**", "not", "is", "in", "lambda"]);

/**
 * Converts a tree-sitter tree into plain nodes, collecting comments and syntax errors on the way.
 * Uses a cursor: far cheaper than materialising a tree-sitter `Node` for every child.
 */
export function convertTree(tree: Tree, source: string, lineStarts: number[]): ConvertedTree {
  const comments: Comment[] = [];
  const syntaxErrors: SyntaxProblem[] = [];
  const cursor = tree.walk();

  const visit = (field: string | null): PyNode | null => {
    const type = cursor.nodeType;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const named = cursor.nodeIsNamed;

    if (type === "comment") {
      comments.push({ line: lineOf(lineStarts, start), text: source.slice(start, end) });
      return null;
    }

    if (type === "ERROR" || cursor.nodeIsMissing) {
      if (syntaxErrors.length < 20) {
        const line = lineOf(lineStarts, start);
        const column = start - (lineStarts[line - 1] ?? 0) + 1;
        const what = cursor.nodeIsMissing ? `missing ${type}` : "unexpected syntax";
        syntaxErrors.push({ line, column, message: `${what} at line ${line}, column ${column}` });
      }
    }

    const children: PyNode[] = [];
    if (cursor.gotoFirstChild()) {
      do {
        const childNamed = cursor.nodeIsNamed;
        const childField = cursor.currentFieldName;
        if (childNamed || childField !== null || KEPT_ANONYMOUS.has(cursor.nodeType)) {
          const child = visit(childField);
          if (child) {
            children.push(child);
          }
        }
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }

    const keepText = !named || TEXT_TYPES.has(type) || (children.length === 0 && end - start < 256);
    const node: PyNode = keepText
      ? { type, start, end, field, text: source.slice(start, end), children, parent: null }
      : { type, start, end, field, children, parent: null };

    return node;
  };

  const root = visit(null) ?? emptyModule(source.length);
  cursor.delete();

  return { root, comments, syntaxErrors };
}

function emptyModule(length: number): PyNode {
  return { type: "module", start: 0, end: length, field: null, children: [], parent: null };
}

/** Sets `parent` on every node; trees arrive from workers without parents (cheaper to copy). */
export function linkParents(root: PyNode): void {
  const stack: PyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.children) {
      child.parent = node;
      stack.push(child);
    }
  }
}

/** Indices at which each line starts; line N (1-based) starts at `lineStarts[N - 1]`. */
export function computeLineStarts(source: string): number[] {
  const starts = [0];
  let index = source.indexOf("\n");
  while (index !== -1) {
    starts.push(index + 1);
    index = source.indexOf("\n", index + 1);
  }

  return starts;
}

/** The 1-based line holding `index`. */
export function lineOf(lineStarts: readonly number[], index: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= index) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }

  return lo + 1;
}

// ---------------------------------------------------------------------------------------------
// Small accessors used everywhere. They keep the rest of the code free of child-index arithmetic.

export function child(node: PyNode, field: string): PyNode | undefined {
  for (const c of node.children) {
    if (c.field === field) {
      return c;
    }
  }

  return undefined;
}

export function childrenByField(node: PyNode, field: string): PyNode[] {
  return node.children.filter((c) => c.field === field);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((c) => c.type !== "comment");
}

export function firstOfType(node: PyNode, type: string): PyNode | undefined {
  return node.children.find((c) => c.type === type);
}

/** Depth-first walk; return `false` from the visitor to skip a node's children. */
export function walk(node: PyNode, visitor: (n: PyNode) => boolean | undefined): void {
  const stack: PyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visitor(n) === false) {
      continue;
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]!);
    }
  }
}

/** Walks a function body without entering nested function, lambda or class definitions. */
export function walkScope(node: PyNode, visitor: (n: PyNode) => boolean | undefined): void {
  walk(node, (n) => {
    if (n !== node && isScopeBoundary(n)) {
      return false;
    }

    return visitor(n);
  });
}

export function isScopeBoundary(n: PyNode): boolean {
  return (
    n.type === "function_definition" ||
    n.type === "class_definition" ||
    n.type === "lambda" ||
    n.type === "decorated_definition"
  );
}

export function ancestors(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  let p = node.parent;
  while (p) {
    out.push(p);
    p = p.parent;
  }

  return out;
}

/** The innermost enclosing function definition, or null at module level. */
export function enclosingFunction(node: PyNode): PyNode | null {
  let p = node.parent;
  while (p) {
    if (p.type === "function_definition") {
      return p;
    }
    p = p.parent;
  }

  return null;
}

/** Unwraps `( expr )`. */
export function unparen(node: PyNode): PyNode {
  let n = node;
  while (n.type === "parenthesized_expression" && n.children.length === 1) {
    n = n.children[0]!;
  }

  return n;
}

/** The literal value of a string node, or null if it interpolates (f-string) or is not a string. */
export function stringValue(node: PyNode): string | null {
  const n = unparen(node);
  if (n.type === "concatenated_string") {
    let out = "";
    for (const part of n.children) {
      const v = stringValue(part);
      if (v === null) {
        return null;
      }
      out += v;
    }

    return out;
  }
  if (n.type !== "string") {
    return null;
  }
  const startToken = n.children.find((c) => c.type === "string_start")?.text ?? "";
  const raw = /r/i.test(startToken);
  let out = "";
  for (const part of n.children) {
    if (part.type === "interpolation") {
      return null;
    }
    if (part.type === "string_content") {
      out += part.text ?? "";
    } else if (part.type === "escape_sequence") {
      out += raw ? (part.text ?? "") : decodeEscape(part.text ?? "");
    }
  }

  return out;
}

export function isFString(node: PyNode): boolean {
  const n = unparen(node);
  if (n.type === "concatenated_string") {
    return n.children.some(isFString);
  }
  if (n.type !== "string") {
    return false;
  }
  const startToken = n.children.find((c) => c.type === "string_start")?.text ?? "";

  return /f/i.test(startToken);
}

function decodeEscape(text: string): string {
  const simple: Record<string, string> = {
    "\\n": "\n",
    "\\t": "\t",
    "\\r": "\r",
    "\\\\": "\\",
    "\\'": "'",
    '\\"': '"',
    "\\0": "\0",
  };
  const known = simple[text];
  if (known !== undefined) {
    return known;
  }
  if (/^\\x[0-9a-fA-F]{2}$/.test(text) || /^\\u[0-9a-fA-F]{4}$/.test(text)) {
    return String.fromCharCode(Number.parseInt(text.slice(2), 16));
  }

  return text;
}

/** `a.b.c` as ["a", "b", "c"] when the expression is a plain dotted name, else null. */
export function dottedParts(node: PyNode): string[] | null {
  const n = unparen(node);
  if (n.type === "identifier") {
    return [n.text ?? ""];
  }
  if (n.type === "attribute") {
    const obj = child(n, "object");
    const attr = child(n, "attribute");
    if (!obj || !attr) {
      return null;
    }
    const head = dottedParts(obj);

    return head ? [...head, attr.text ?? ""] : null;
  }

  return null;
}

/** The operator tokens of a comparison, in order (`==`, `!=`, `in`, `not in`, `is`, `is not`). */
export function comparisonOperators(node: PyNode): string[] {
  return node.children.filter((c) => c.field === "operators").map((c) => normaliseOp(c.text ?? ""));
}

function normaliseOp(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Operands of a comparison (everything that is not an operator token). */
export function comparisonOperands(node: PyNode): PyNode[] {
  return node.children.filter((c) => c.field !== "operators");
}

/** Positional and keyword arguments of a call. */
export interface CallArgs {
  positional: PyNode[];
  keywords: Map<string, PyNode>;
  /** `*args` / `**kwargs` splats, which make the argument list open-ended. */
  splats: PyNode[];
}

export function callArgs(call: PyNode): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map(), splats: [] };
  const args = child(call, "arguments");
  if (!args) {
    return out;
  }
  for (const a of args.children) {
    if (a.type === "keyword_argument") {
      const name = child(a, "name")?.text;
      const value = child(a, "value");
      if (name && value) {
        out.keywords.set(name, value);
      }
    } else if (a.type === "list_splat" || a.type === "dictionary_splat") {
      out.splats.push(a);
    } else if (a.type !== "comment") {
      out.positional.push(a);
    }
  }

  return out;
}

/** Argument `index` by position, or `name` by keyword. */
export function argument(call: PyNode, index: number, name?: string): PyNode | undefined {
  const args = callArgs(call);
  if (name !== undefined) {
    const kw = args.keywords.get(name);
    if (kw) {
      return kw;
    }
  }

  return index >= 0 ? args.positional[index] : undefined;
}

/** The decorators of a function or class definition (empty when it has none). */
export function decoratorsOf(def: PyNode): PyNode[] {
  const p = def.parent;
  if (p?.type !== "decorated_definition") {
    return [];
  }

  return p.children.filter((c) => c.type === "decorator");
}

/** The expression inside a `decorator` node. */
export function decoratorExpression(decorator: PyNode): PyNode | undefined {
  return decorator.children.find((c) => c.type !== "comment");
}

/** The statements of a `block` (or of a module). */
export function statements(block: PyNode | undefined): PyNode[] {
  if (!block) {
    return [];
  }

  return block.children.filter((c) => c.type !== "comment");
}

/** A function definition's name. */
export function defName(def: PyNode): string {
  return child(def, "name")?.text ?? "";
}

/** Parameter names of a function definition, in order, with `self`/`cls` included. */
export function parameterNames(def: PyNode): string[] {
  const params = child(def, "parameters");
  if (!params) {
    return [];
  }
  const out: string[] = [];
  for (const p of params.children) {
    if (p.type === "identifier") {
      out.push(p.text ?? "");
    } else if (
      p.type === "default_parameter" ||
      p.type === "typed_parameter" ||
      p.type === "typed_default_parameter"
    ) {
      const name = child(p, "name") ?? p.children.find((c) => c.type === "identifier");
      if (name?.text) {
        out.push(name.text);
      }
    } else if (p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern") {
      const name = p.children.find((c) => c.type === "identifier");
      if (name?.text) {
        out.push((p.type === "list_splat_pattern" ? "*" : "**") + name.text);
      }
    }
  }

  return out;
}
