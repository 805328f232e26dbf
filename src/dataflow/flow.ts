/**
 * Value flow inside functions and across calls: where an expression's value may come from.
 *
 * An expression is traced back through local assignments (every assignment counts: the analysis
 * is flow-insensitive inside a function), augmented assignments, `append`/`update`/`extend` into
 * containers, `for` targets (`for k, v in data.items()` gives keys and values of `data`),
 * comprehensions, string building (f-strings, `%`, `.format`, `+`, `join`), container literals and
 * splats. Parameters of a handler that are URL variables are request inputs; other parameters are
 * followed to the arguments of the call frames that led here, or, without a frame, reported as
 * parameters so a caller can map them. Calls into project functions are summarised by what their
 * `return` statements yield, with parameters mapped to the call's arguments.
 *
 * Origins carry two shape marks: `whole` for a client mapping taken as a whole (`request.form`,
 * `request.get_json()`), and `key` for the keys of such a mapping, the attribute names a client
 * chooses. Sanitisers stop a flow: an allowlist filter in a comprehension (`if k in ALLOWED`), a
 * schema's `load()`, casts to numbers (which cannot carry expression syntax), generated ids.
 */

import type { AnalysisContext } from "../analysis/context.js";
import { identityRead, type RequestPart, requestRead, sessionRead } from "../concepts/sources.js";
import type { Frame } from "../concepts/walker.js";
import { classifyDynamoCall } from "../dynamo/ops.js";
import type { PyNode } from "../python/ast.js";
import {
  argument,
  callArgs,
  child,
  enclosingFunction,
  parameterNames,
  stringValue,
  unparen,
  walkScope,
} from "../python/ast.js";
import type { Module } from "../python/project.js";

export type FlowOrigin =
  | {
      kind: "request";
      part: RequestPart;
      key: string | null;
      whole: boolean;
      keyOf: boolean;
      cast: boolean;
      /** Length-bounded (`value[:300]`): still client text, but no longer unbounded input. */
      bounded?: boolean;
      /** For reqparse results: the `parse_args()` call, whose parser declares each field. */
      parser?: PyNode;
      /** For `form.field.data`: the form object whose validation may guard the value. */
      form?: PyNode;
      node: PyNode;
      module: Module;
    }
  | { kind: "identity"; node: PyNode; module: Module }
  | {
      kind: "db";
      op: PyNode;
      node: PyNode;
      module: Module;
      /** Calls from the traced function down to the read, to trace the read's own key. */
      frames?: readonly Frame[];
    }
  | { kind: "exception"; node: PyNode; module: Module }
  | {
      kind: "param";
      fn: PyNode;
      name: string;
      index: number;
      node: PyNode;
      module: Module;
      /** Shape applied after the parameter: an element of it, or its keys. */
      shape?: "element" | "key";
    }
  | { kind: "generated"; node: PyNode; module: Module };

export interface FlowContext {
  ctx: AnalysisContext;
  /** URL variables of the handler being analysed (its parameters that Flask fills from the path). */
  viewArgs: readonly string[];
  handler: PyNode | null;
  /** Call frames from the handler down to the function holding the expression. */
  chain: readonly Frame[];
}

const MAX_DEPTH = 14;

/** Names of built-in casts: a cast value still comes from the client but carries no syntax. */
const CASTS = new Set([
  "date.fromisoformat",
  "datetime.strptime",
  "datetime.datetime.strptime",
  "datetime.date.fromisoformat",
  "int",
  "float",
  "bool",
  "Decimal",
  "decimal.Decimal",
  "uuid.UUID",
  "datetime.fromisoformat",
]);

export function flowOrigins(expr: PyNode, module: Module, fc: FlowContext): FlowOrigin[] {
  const tracer = new Tracer(fc);

  return tracer.origins(expr, module, fc.chain.length, 0);
}

class Tracer {
  private readonly visiting = new Set<PyNode>();

  constructor(private readonly fc: FlowContext) {}

  /** `level` is how many frames of the chain are above the current function. */
  origins(expr: PyNode, module: Module, level: number, depth: number): FlowOrigin[] {
    if (depth > MAX_DEPTH || this.visiting.has(expr)) {
      return [];
    }
    this.visiting.add(expr);
    try {
      return this.originsOf(unparen(expr), module, level, depth + 1);
    } finally {
      this.visiting.delete(expr);
    }
  }

  private originsOf(n: PyNode, module: Module, level: number, depth: number): FlowOrigin[] {
    const ev = this.fc.ctx.ev;
    // A local name or parameter is traced through its assignments and call sites; asking the
    // evaluator about it would merge every caller's arguments.
    if (n.type === "identifier" && isLocalName(n, ev)) {
      return this.name(n, module, level, depth);
    }
    const req = requestRead(n, module, ev);
    if (req) {
      // `parser.parse_args()` holds only the fields the parser declares: not a whole mapping.
      const parser = isParseArgs(n) ? n : undefined;
      if (parser) {
        return [
          {
            kind: "request",
            part: req.part,
            key: null,
            whole: false,
            keyOf: false,
            cast: false,
            parser,
            node: n,
            module,
          },
        ];
      }
      const whole = req.key === null && wholeParts.has(req.part) && !isElementAccess(n);

      return [
        {
          kind: "request",
          part: req.part,
          key: req.key,
          whole,
          keyOf: false,
          cast: false,
          node: n,
          module,
        },
      ];
    }
    const ses = sessionRead(n, module, ev);
    if (ses) {
      return ses.key !== null && /csrf|xsrf|flash/i.test(ses.key)
        ? []
        : [{ kind: "identity", node: n, module }];
    }
    if (identityRead(n, module, ev)) {
      return [{ kind: "identity", node: n, module }];
    }
    switch (n.type) {
      case "identifier":
        return this.name(n, module, level, depth);
      case "attribute": {
        const obj = child(n, "object");
        const attr = child(n, "attribute")?.text ?? null;
        // `form.title.data` of a WTForms form: the posted field, as the client sent it.
        const field =
          attr === "data" && obj?.type === "attribute" ? formField(this.fc.ctx, obj, module) : null;
        if (field) {
          return [
            {
              kind: "request",
              part: "form",
              key: field.name,
              whole: false,
              keyOf: false,
              cast: false,
              form: field.form,
              node: n,
              module,
            },
          ];
        }

        return obj ? this.declared(this.origins(obj, module, level, depth), attr).map(element) : [];
      }
      case "subscript": {
        const value = child(n, "value");
        const key = child(n, "subscript");
        if (!value) {
          return [];
        }
        if (key?.type === "slice") {
          // `text[:300]`: the same text, bounded in length.
          return this.origins(value, module, level, depth).map((o) =>
            o.kind === "request" ? { ...o, bounded: true } : o,
          );
        }
        // `pair[0]` of a tuple literal or of a helper returning one: that element only.
        if (key?.type === "integer") {
          const picked = this.pick(
            value,
            [Number.parseInt(key.text ?? "0", 10)],
            module,
            level,
            depth,
          );
          if (picked !== null) {
            return picked;
          }
        }

        const keyName = key ? stringValue(key) : null;

        return this.declared(this.origins(value, module, level, depth), keyName).map(element);
      }
      case "call":
        return this.call(n, module, level, depth);
      case "string":
        return n.children
          .filter((c) => c.type === "interpolation")
          .flatMap((c) => {
            const e = child(c, "expression") ?? c.children[0];
            return e ? this.origins(e, module, level, depth) : [];
          });
      case "concatenated_string":
      case "binary_operator":
      case "boolean_operator":
      case "conditional_expression":
      case "list":
      case "tuple":
      case "set":
      case "expression_list":
      case "parenthesized_expression":
      case "await":
        return n.children.flatMap((c) =>
          c.field === "operator" ? [] : this.origins(c, module, level, depth),
        );
      case "dictionary":
        return n.children.flatMap((c) => {
          if (c.type === "dictionary_splat") {
            const inner = splatValue(c);
            return inner ? this.origins(inner, module, level, depth) : [];
          }
          if (c.type === "pair") {
            const k = child(c, "key");
            const v = child(c, "value");
            return [
              ...(k ? this.origins(k, module, level, depth).map(asKey) : []),
              ...(v ? this.origins(v, module, level, depth).map(asValue) : []),
            ];
          }
          return [];
        });
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
      case "dictionary_comprehension":
        return this.comprehension(n, module, level, depth);
      case "list_splat":
      case "dictionary_splat": {
        const inner = splatValue(n);
        return inner ? this.origins(inner, module, level, depth) : [];
      }
      default:
        return [];
    }
  }

  /** A local name: its assignments in the function, loop targets, or a parameter. */
  private name(n: PyNode, module: Module, level: number, depth: number): FlowOrigin[] {
    const name = n.text ?? "";
    const lambda = enclosingLambdaWith(n, name);
    if (lambda) {
      return [{ kind: "param", fn: lambda.fn, name, index: lambda.index, node: n, module }];
    }
    const fn = enclosingFunction(n);
    if (!fn) {
      return [];
    }
    if (sanitisedAt(n, name, module, this.fc.ctx)) {
      return [];
    }
    // Comprehension variables are bound by their own `for` clause.
    const comp = comprehensionBinding(n, name);
    if (comp) {
      return this.loopTarget(comp.target, name, comp.iterable, module, level, depth);
    }
    const out: FlowOrigin[] = [];
    const bindings = this.fc.ctx.ev.bindingsOf(fn, module).get(name) ?? [];
    let bound = bindings.length > 0;
    for (const b of bindings) {
      if (b.kind === "assign" && b.value) {
        out.push(...this.origins(b.value, module, level, depth));
      } else if (b.kind === "assign" && b.unpacked) {
        const { source, index } = b.unpacked;
        out.push(
          ...(this.pick(source, index, module, level, depth) ??
            this.origins(source, module, level, depth)),
        );
      }
    }
    // Assignments tree-sitter gives as statements we do not bind: `x += v`, `x[k] = v`,
    // `x.append(v)`, `for x in ...`, `except E as x`, `with ... as x`.
    for (const use of mutations(fn, name)) {
      bound = true;
      if (use.kind === "exception") {
        if (!isValidationError(use.cls, module, this.fc.ctx)) {
          out.push({ kind: "exception", node: use.node, module });
        }
      } else if (use.kind === "loop") {
        out.push(...this.loopTarget(use.target, name, use.iterable, module, level, depth));
      } else if (use.kind === "key") {
        out.push(...this.origins(use.value, module, level, depth).map(asKey));
      } else {
        out.push(...this.origins(use.value, module, level, depth));
      }
    }
    if (bound) {
      return out;
    }
    const params = parameterNames(fn);
    const index = params.indexOf(name);
    if (index === -1) {
      return out;
    }
    if (fn === this.fc.handler && this.fc.viewArgs.includes(name)) {
      return [
        {
          kind: "request",
          part: "view-arg",
          key: name,
          whole: false,
          keyOf: false,
          cast: false,
          node: n,
          module,
        },
      ];
    }
    // Follow the parameter to the argument of the frame that called this function.
    const frame = level > 0 ? this.fc.chain[level - 1] : undefined;
    if (frame && frame.fn === fn) {
      const arg = argumentFor(frame.call, fn, name, index);
      if (arg) {
        return this.origins(arg, frame.module, level - 1, depth);
      }

      return [];
    }

    return [{ kind: "param", fn, name, index, node: n, module }];
  }

  /** Origins of a loop target bound to `iterable`, for `name` within `target`. */
  private loopTarget(
    target: PyNode,
    name: string,
    iterable: PyNode,
    module: Module,
    level: number,
    depth: number,
  ): FlowOrigin[] {
    const it = unparen(iterable);
    const path = targetPath(target, name);
    // enumerate(x): (index, element).
    if (it.type === "call" && calleeText(it) === "enumerate") {
      const inner = argument(it, 0);
      if (path[0] === 0 || !inner) {
        return [];
      }

      return this.elementsOf(inner, path.slice(1), module, level, depth);
    }

    return this.elementsOf(it, path, module, level, depth);
  }

  /** Elements of an iterable; `path` selects inside tuple elements (`for k, v in d.items()`). */
  private elementsOf(
    iterable: PyNode,
    path: number[],
    module: Module,
    level: number,
    depth: number,
  ): FlowOrigin[] {
    const it = unparen(iterable);
    if (it.type === "call") {
      const fn = child(it, "function");
      const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
      const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;
      if (obj && method === "items") {
        const src = this.origins(obj, module, level, depth);
        if (path[0] === 0) {
          return src.map(asKey);
        }

        return src.map(element);
      }
      if (obj && method === "keys") {
        return this.origins(obj, module, level, depth).map(asKey);
      }
      if (obj && method === "values") {
        return this.origins(obj, module, level, depth).map(element);
      }
    }
    const src = this.origins(it, module, level, depth);

    // Iterating a whole client value yields its keys (a mapping) or its rows (a list of
    // mappings): both are the client's choice, so the element keeps both marks.
    return src.map((o) =>
      o.kind === "request" && (o.whole || o.part === "json" || o.part === "json-forced")
        ? { ...o, whole: true, keyOf: true }
        : element(o),
    );
  }

  /**
   * A field of a reqparse result, as its parser declares it: `choices=` admits only listed
   * values (nothing of the client's text survives), `type=int` (or another non-string type)
   * casts it.
   */
  private declared(origins: FlowOrigin[], field: string | null): FlowOrigin[] {
    if (field === null || !origins.some((o) => o.kind === "request" && o.parser)) {
      return origins;
    }
    const out: FlowOrigin[] = [];
    for (const o of origins) {
      if (o.kind !== "request" || !o.parser) {
        out.push(o);
        continue;
      }
      const spec = reqparseSpec(this.fc.ctx, o.parser, o.module, field);
      if (spec === "choices") {
        continue;
      }
      out.push({ ...o, key: field, parser: undefined, cast: spec === "cast" });
    }

    return out;
  }

  /**
   * Origins of one element of a tuple: of a literal (`(expr, values)[0]`) or of what a project
   * helper returns (`expr, values = in_clause(...)`). Null when the element cannot be told apart.
   */
  private pick(
    value: PyNode,
    path: number[],
    module: Module,
    level: number,
    depth: number,
  ): FlowOrigin[] | null {
    const v = unparen(value);
    if (path.length === 0) {
      return this.origins(v, module, level, depth);
    }
    const [first, ...rest] = path;
    if (v.type === "tuple" || v.type === "expression_list" || v.type === "list") {
      const items = v.children.filter((c) => c.type !== "comment");
      const item = items[first!];

      return item ? this.pick(item, rest, module, level, depth) : null;
    }
    if (v.type === "identifier") {
      const fn = enclosingFunction(v);
      const bindings = fn ? (this.fc.ctx.ev.bindingsOf(fn, module).get(v.text ?? "") ?? []) : [];
      const values = bindings.flatMap((b) => (b.kind === "assign" && b.value ? [b.value] : []));
      if (values.length === 1 && bindings.length === 1) {
        return this.pick(values[0]!, path, module, level, depth);
      }

      return null;
    }
    if (v.type !== "call" || depth > MAX_DEPTH) {
      return null;
    }
    const fnExpr = child(v, "function");
    const fns = fnExpr
      ? this.fc.ctx.ev.eval(fnExpr, module).filter((x) => x.kind === "function")
      : [];
    if (fns.length === 0) {
      return null;
    }
    const out: FlowOrigin[] = [];
    for (const f of fns) {
      if (f.kind !== "function") {
        continue;
      }
      for (const ret of returnExpressions(f.def)) {
        const picked = this.pick(ret, path, f.module, -1, depth + 1);
        if (picked === null) {
          return null;
        }
        for (const o of picked) {
          if (o.kind === "param" && o.fn === f.def) {
            const arg = argumentFor(v, f.def, o.name, o.index);
            if (arg) {
              out.push(...this.origins(arg, module, level, depth).map((x) => reshape(x, o.shape)));
            }
          } else {
            out.push(o);
          }
        }
      }
    }

    return out;
  }

  private comprehension(n: PyNode, module: Module, level: number, depth: number): FlowOrigin[] {
    const body = n.children.find((c) => c.field === "body") ?? n.children[0];
    const filters = n.children.filter((c) => c.type === "if_clause");
    // `[f for f in fields if f in ALLOWED]`: an allowlist filter on constants sanitises.
    if (filters.some((f) => isAllowlistTest(f.children[0], module, this.fc.ctx))) {
      return [];
    }
    if (!body) {
      return [];
    }
    if (body.type === "pair") {
      const k = child(body, "key");
      const v = child(body, "value");

      return [
        ...(k ? this.origins(k, module, level, depth).map(asKey) : []),
        ...(v ? this.origins(v, module, level, depth).map(asValue) : []),
      ];
    }

    return this.origins(body, module, level, depth);
  }

  private call(n: PyNode, module: Module, level: number, depth: number): FlowOrigin[] {
    const ctx = this.fc.ctx;
    const fn = child(n, "function");
    if (!fn) {
      return [];
    }
    const op = classifyDynamoCall(n, module, ctx.ev);
    if (op && !op.write) {
      return [{ kind: "db", op: n, node: n, module }];
    }
    const text = calleeText(n);
    const values = ctx.ev.eval(fn, module);
    const qualnames = values.flatMap((v) => (v.kind === "external" ? [v.qualname] : []));
    if (
      qualnames.some((q) =>
        /^traceback\.format_exc|^traceback\.format_exception|^sys\.exc_info/.test(q),
      )
    ) {
      return [{ kind: "exception", node: n, module }];
    }
    // Generated values, and digests: a hash of client input carries none of its content.
    if (
      qualnames.some((q) =>
        /^uuid\.uuid[1345]$|^secrets\.|^os\.urandom$|^time\.time$|^hashlib\.|^hmac\.(new|digest)$/.test(
          q,
        ),
      ) ||
      /^(hexdigest|digest)$/.test(child(fn, "attribute")?.text ?? "")
    ) {
      return [{ kind: "generated", node: n, module }];
    }
    const args = callArgs(n);
    const argExprs = [...args.positional, ...args.keywords.values(), ...args.splats];
    // A length or a count is a number: no client text survives it.
    if (qualnames.some((q) => /^builtins\.(len|range|hash|id)$/.test(q))) {
      return [];
    }
    // `json.loads(request.data)` parses whatever was sent, as a whole client mapping.
    if (qualnames.some((q) => /^(json|simplejson|ujson|orjson)\.loads$/.test(q))) {
      return argExprs
        .flatMap((a) => this.origins(a, module, level, depth))
        .map((o) =>
          o.kind === "request" && (o.part === "data" || o.part === "json")
            ? { ...o, part: "json-forced" as const, whole: true }
            : o,
        );
    }
    if (
      CASTS.has(text) ||
      qualnames.some((q) => CASTS.has(q) || /^builtins\.(int|float|bool)$/.test(q))
    ) {
      return argExprs
        .flatMap((a) => this.origins(a, module, level, depth))
        .map((o) => (o.kind === "request" ? { ...o, cast: true, whole: false } : o));
    }
    // A schema or form that validates what it loads: marshmallow's `load`, pydantic models.
    const method = fn.type === "attribute" ? child(fn, "attribute")?.text : undefined;
    if (
      method === "load" ||
      method === "model_validate" ||
      method === "parse_obj" ||
      method === "validate"
    ) {
      return [];
    }
    // Project functions: their return values, with parameters mapped to this call's arguments.
    const projectFns = values.filter(
      (v): v is Extract<typeof v, { kind: "function" }> => v.kind === "function",
    );
    if (projectFns.length > 0) {
      const out: FlowOrigin[] = [];
      for (const f of projectFns) {
        for (const ret of returnExpressions(f.def)) {
          for (const o of this.origins(ret, f.module, -1, depth)) {
            if (o.kind === "param" && o.fn === f.def) {
              const arg = argumentFor(n, f.def, o.name, o.index);
              if (arg) {
                out.push(
                  ...this.origins(arg, module, level, depth).map((x) => reshape(x, o.shape)),
                );
              }
            } else if (o.kind === "db") {
              out.push({ ...o, frames: [{ call: n, module, fn: f.def }, ...(o.frames ?? [])] });
            } else {
              out.push(o);
            }
          }
        }
      }

      return out;
    }
    // Methods of a value carry the value's origins (`x.strip()`, `data.get("k")`).
    const receiver = fn.type === "attribute" ? child(fn, "object") : undefined;
    const fromReceiver = receiver ? this.origins(receiver, module, level, depth) : [];
    if (method === "get" || method === "pop" || method === "setdefault") {
      const keyArg = args.positional[0];
      return [
        ...this.declared(fromReceiver, keyArg ? stringValue(keyArg) : null).map(element),
        ...argExprs.slice(1).flatMap((a) => this.origins(a, module, level, depth)),
      ];
    }
    if (method === "keys") {
      return fromReceiver.map(asKey);
    }
    if (method === "copy" || method === "to_dict" || text === "dict") {
      return [...fromReceiver, ...argExprs.flatMap((a) => this.origins(a, module, level, depth))];
    }

    // Unknown calls pass their arguments' origins through (string helpers, formatting).
    return [
      ...fromReceiver.map(element),
      ...argExprs.flatMap((a) => this.origins(a, module, level, depth)).map(element),
    ];
  }
}

/** Whether an identifier names a local variable or parameter of its function or lambda. */
export function isLocalName(n: PyNode, ev: AnalysisContext["ev"]): boolean {
  const name = n.text ?? "";
  if (enclosingLambdaWith(n, name) || comprehensionBinding(n, name)) {
    return true;
  }
  const fn = enclosingFunction(n);
  if (!fn) {
    return false;
  }
  if (parameterNames(fn).some((p) => p.replace(/^\*+/, "") === name)) {
    return true;
  }
  const module = null;
  void module;

  return localNames(fn, ev).has(name);
}

const localNameCache = new WeakMap<PyNode, Set<string>>();

function localNames(fn: PyNode, ev: AnalysisContext["ev"]): Set<string> {
  let names = localNameCache.get(fn);
  if (!names) {
    names = new Set();
    // Assigned names, loop targets, `except ... as x`, `with ... as x`.
    const collect = (node: PyNode) => {
      for (const c of node.children) {
        if (
          c.type === "function_definition" ||
          c.type === "class_definition" ||
          c.type === "lambda"
        ) {
          if (c.type === "function_definition") {
            const nm = child(c, "name")?.text;
            if (nm) {
              names!.add(nm);
            }
          }
          continue;
        }
        if (
          (c.type === "assignment" ||
            c.type === "augmented_assignment" ||
            c.type === "for_statement") &&
          child(c, "left")
        ) {
          for (const id of identifiersIn(child(c, "left")!)) {
            names!.add(id);
          }
        }
        if (c.type === "as_pattern_target") {
          for (const id of identifiersIn(c)) {
            names!.add(id);
          }
        }
        collect(c);
      }
    };
    collect(child(fn, "body") ?? fn);
    localNameCache.set(fn, names);
  }
  void ev;

  return names;
}

/** A lambda between `n` and its enclosing function that has a parameter called `name`. */
function enclosingLambdaWith(n: PyNode, name: string): { fn: PyNode; index: number } | null {
  let p: PyNode | null = n.parent;
  while (p && p.type !== "function_definition" && p.type !== "module") {
    if (p.type === "lambda") {
      const params = child(p, "parameters");
      const names = (params?.children ?? []).map((c) =>
        c.type === "identifier" ? c.text : child(c, "name")?.text,
      );
      const index = names.indexOf(name);
      if (index !== -1) {
        return { fn: p, index };
      }
    }
    p = p.parent;
  }

  return null;
}

/**
 * Whether `name` is proven to be in a constant allowlist where `n` uses it: an earlier
 * `if name not in ALLOWED: continue/return/abort()` in an enclosing block, or an enclosing
 * `if name in ALLOWED:` branch.
 */
function sanitisedAt(n: PyNode, name: string, module: Module, ctx: AnalysisContext): boolean {
  let node: PyNode = n;
  let p: PyNode | null = n.parent;
  while (p && p.type !== "function_definition" && p.type !== "module") {
    if (p.type === "if_statement" && child(p, "consequence") === node) {
      const cond = child(p, "condition");
      if (cond && testsMembership(cond, name, true) && isAllowlistTest(cond, module, ctx)) {
        return true;
      }
    }
    if (p.type === "block") {
      for (const stmt of p.children) {
        if (stmt.start >= node.start) {
          break;
        }
        if (checksName(stmt, name, module, ctx, 0)) {
          return true;
        }
      }
    }
    node = p;
    p = p.parent;
  }

  return false;
}

/**
 * Whether a statement, once passed, leaves `name` holding only safe text:
 * `if name not in ALLOWED: abort(400)` (or `continue`, `return`, `raise`, or `name = "default"`),
 * `if not re.fullmatch(r"[a-z_]+", name): abort(400)`, or a call to a project helper that does
 * such a check on the parameter it receives (`require_sortable(name)`).
 */
function checksName(
  stmt: PyNode,
  name: string,
  module: Module,
  ctx: AnalysisContext,
  depth: number,
): boolean {
  if (stmt.type === "if_statement" && !child(stmt, "alternative")) {
    const cond = child(stmt, "condition");
    const body = child(stmt, "consequence");
    if (!cond || !body) {
      return false;
    }
    const last = body.children[body.children.length - 1];
    const leaves = !!last && (isExitStatement(last, module, ctx) || reassigns(body, name));
    if (!leaves) {
      return false;
    }
    if (testsMembership(cond, name, false)) {
      const positive =
        unparen(cond).type === "not_operator" ? child(unparen(cond), "argument") : cond;
      return (
        !!positive &&
        isAllowlistTest(
          positive.type === "comparison_operator" ? withIn(positive) : positive,
          module,
          ctx,
        )
      );
    }

    return rejectsUnsafePattern(cond, name);
  }
  if (stmt.type === "expression_statement" && depth < 2) {
    const call = unparen(stmt.children[0] ?? stmt);
    if (call.type !== "call") {
      return false;
    }
    const fnExpr = child(call, "function");
    const index = callArgs(call).positional.findIndex(
      (a) => a.type === "identifier" && a.text === name,
    );
    if (!fnExpr || index === -1) {
      return false;
    }
    for (const v of ctx.ev.eval(fnExpr, module)) {
      if (v.kind !== "function") {
        continue;
      }
      const param = parameterNames(v.def)[index];
      const body = child(v.def, "body");
      if (param && body?.children.some((s) => checksName(s, param, v.module, ctx, depth + 1))) {
        return true;
      }
    }
  }

  return false;
}

/** `return`, `raise`, `continue`, `break`, or a call to Flask's `abort()`. */
function isExitStatement(stmt: PyNode, module: Module, ctx: AnalysisContext): boolean {
  if (/^(continue_statement|break_statement|return_statement|raise_statement)$/.test(stmt.type)) {
    return true;
  }
  const call = stmt.type === "expression_statement" ? unparen(stmt.children[0] ?? stmt) : null;
  const fn = call?.type === "call" ? child(call, "function") : undefined;

  return (
    !!fn &&
    ctx.ev.eval(fn, module).some((v) => v.kind === "external" && /(^|\.)abort$/.test(v.qualname))
  );
}

/** The branch assigns a fixed value to `name` (`field = "created_at"`). */
function reassigns(block: PyNode, name: string): boolean {
  return block.children.some((s) => {
    const a = s.type === "expression_statement" ? s.children[0] : undefined;
    const right = a?.type === "assignment" ? child(a, "right") : undefined;

    return (
      a?.type === "assignment" &&
      child(a, "left")?.text === name &&
      !!right &&
      stringValue(right) !== null
    );
  });
}

/**
 * `not re.fullmatch(r"[a-z_]{1,32}", name)` (or `re.match` with `^...$`): the name is rejected
 * unless it is made of identifier characters only.
 */
function rejectsUnsafePattern(cond: PyNode, name: string): boolean {
  const c = unparen(cond);
  if (c.type !== "not_operator") {
    return false;
  }
  const call = unparen(child(c, "argument") ?? c);
  const fn = call.type === "call" ? child(call, "function") : undefined;
  const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
  const [pattern, subject] = call.type === "call" ? callArgs(call).positional : [];
  if (!method || !pattern || subject?.type !== "identifier" || subject.text !== name) {
    return false;
  }
  const source = stringValue(pattern);
  if (source === null) {
    return false;
  }
  const anchored = method === "fullmatch" || (method === "match" && source.endsWith("$"));

  return anchored && /^\^?(\[[A-Za-z0-9_\\-]+\](\{\d+(,\d*)?\}|[+*?])?)+\$?$/.test(source);
}

/** `name in X` (wanted true) or `name not in X` / `not name in X` (wanted false). */
function testsMembership(cond: PyNode, name: string, positive: boolean): boolean {
  let c = unparen(cond);
  let negated = false;
  if (c.type === "not_operator") {
    negated = true;
    c = unparen(child(c, "argument") ?? c);
  }
  if (c.type !== "comparison_operator") {
    return false;
  }
  const op = c.children.find((x) => x.field === "operators")?.text?.replace(/\s+/g, " ");
  const first = c.children.find((x) => x.field !== "operators");
  if (first?.type !== "identifier" || first.text !== name) {
    return false;
  }
  const isIn = (op === "in") !== negated;

  return positive ? isIn && op !== "not in" : !isIn || op === "not in";
}

/** The same comparison read as `x in X` (for the allowlist test). */
function withIn(cmp: PyNode): PyNode {
  const op = cmp.children.find((x) => x.field === "operators");
  if (op?.text?.replace(/\s+/g, " ") !== "not in") {
    return cmp;
  }

  return {
    ...cmp,
    children: cmp.children.map((c) => (c === op ? { ...c, text: "in" } : c)),
  } as PyNode;
}

const FORM_CLASSES = [
  "flask_wtf.FlaskForm",
  "flask_wtf.Form",
  "flask_wtf.form.FlaskForm",
  "wtforms.Form",
  "wtforms.form.Form",
];

/** `form.title` where `form` is a WTForms/Flask-WTF form instance: the field's name and the form. */
function formField(
  ctx: AnalysisContext,
  fieldExpr: PyNode,
  module: Module,
): { name: string; form: PyNode } | null {
  const form = child(fieldExpr, "object");
  const name = child(fieldExpr, "attribute")?.text;
  if (!form || !name) {
    return null;
  }
  const isForm = ctx.ev
    .eval(form, module)
    .some(
      (v) => v.kind === "instance" && ctx.ev.classDerivesFrom(v.cls, v.clsModule, FORM_CLASSES),
    );

  return isForm ? { name, form } : null;
}

function isParseArgs(n: PyNode): boolean {
  const fn = n.type === "call" ? child(n, "function") : undefined;

  return fn?.type === "attribute" && child(fn, "attribute")?.text === "parse_args";
}

/** How a reqparse parser declares `field`: with choices, with a non-string type, or as text. */
function reqparseSpec(
  ctx: AnalysisContext,
  parseArgs: PyNode,
  module: Module,
  field: string,
): "choices" | "cast" | "text" {
  const fn = child(parseArgs, "function");
  const parserExpr = fn ? child(fn, "object") : undefined;
  if (!parserExpr) {
    return "text";
  }
  const parsers = ctx.ev.eval(parserExpr, module);
  for (const { call, module: m } of ctx.ev.callsNamed("add_argument")) {
    const f = child(call, "function");
    const obj = f?.type === "attribute" ? child(f, "object") : undefined;
    const nameArg = callArgs(call).positional[0];
    if (!obj || !nameArg || stringValue(nameArg) !== field) {
      continue;
    }
    const same = ctx.ev
      .eval(obj, m)
      .some((v) =>
        parsers.some((p) => v.kind === "call" && p.kind === "call" && v.site === p.site),
      );
    if (!same) {
      continue;
    }
    const kw = callArgs(call).keywords;
    if (kw.has("choices")) {
      return "choices";
    }
    const type = kw.get("type");
    if (type && !(type.type === "identifier" && type.text === "str")) {
      return "cast";
    }
  }

  return "text";
}

const wholeParts = new Set<RequestPart>([
  "form",
  "args",
  "values",
  "json",
  "json-forced",
  "files",
  "headers",
  "cookies",
]);

/** `request.form` read as a mapping, not `request.form["k"]` (requestRead already took keys). */
function isElementAccess(n: PyNode): boolean {
  void n;

  return false;
}

function element(o: FlowOrigin): FlowOrigin {
  if (o.kind === "param") {
    return o.shape ? o : { ...o, shape: "element" };
  }

  return o.kind === "request" && o.whole ? { ...o, whole: false } : o;
}

function asKey(o: FlowOrigin): FlowOrigin {
  if (o.kind === "param") {
    return { ...o, shape: "key" };
  }

  return o.kind === "request" ? { ...o, whole: false, keyOf: true } : o;
}

/** A value stored under a fixed key (`{"tag": tag}`): neither a whole mapping nor a key any more. */
function asValue(o: FlowOrigin): FlowOrigin {
  return o.kind === "request" && (o.whole || o.keyOf)
    ? { ...o, whole: false, keyOf: false }
    : element(o);
}

/** Re-applies a parameter's shape to what the caller passed for it. */
function reshape(o: FlowOrigin, shape: "element" | "key" | undefined): FlowOrigin {
  return shape === "element" ? element(o) : shape === "key" ? asKey(o) : o;
}

function calleeText(call: PyNode): string {
  const fn = child(call, "function");
  if (!fn) {
    return "";
  }
  if (fn.type === "identifier") {
    return fn.text ?? "";
  }
  if (fn.type === "attribute") {
    const obj = child(fn, "object");
    return `${obj?.type === "identifier" ? `${obj.text}.` : ""}${child(fn, "attribute")?.text ?? ""}`;
  }

  return "";
}

/** `x in ALLOWED` where ALLOWED is a module-level constant collection. */
export function isAllowlistTest(
  cond: PyNode | undefined,
  module: Module,
  ctx: AnalysisContext,
): boolean {
  if (!cond) {
    return false;
  }
  const n = unparen(cond);
  if (n.type === "boolean_operator") {
    return [child(n, "left"), child(n, "right")].some((c) => isAllowlistTest(c, module, ctx));
  }
  if (n.type !== "comparison_operator") {
    return false;
  }
  const ops = n.children.filter((c) => c.field === "operators").map((c) => c.text);
  const operands = n.children.filter((c) => c.field !== "operators");
  if (ops[0] !== "in" || operands.length !== 2) {
    return false;
  }
  const container = operands[1]!;
  if (container.type === "list" || container.type === "tuple" || container.type === "set") {
    return container.children.every((c) => stringValue(c) !== null);
  }

  return ctx.ev
    .eval(container, module)
    .some(
      (v) =>
        v.kind === "sequence" ||
        v.kind === "dict" ||
        (v.kind === "call" &&
          v.callee.kind === "external" &&
          /frozenset|set|tuple/.test(v.callee.qualname)),
    );
}

/**
 * Exception classes whose text is written for the client: validation libraries' errors (field
 * messages) and Werkzeug's HTTP errors (public descriptions). botocore's ParamValidationError is
 * not one of them: it reports the request's internals.
 */
export const CLIENT_FACING_ERRORS =
  /^(marshmallow|pydantic|wtforms|jsonschema|cerberus|voluptuous|flask_wtf)\b.*ValidationErrors?$|^werkzeug\.exceptions\.|^werkzeug\.exceptions\.HTTPException$/;

/**
 * Validation errors carry messages written for the client (field errors), not internals:
 * marshmallow's, pydantic's, WTForms' and jsonschema's ValidationError.
 */
function isValidationError(cls: PyNode | null, module: Module, ctx: AnalysisContext): boolean {
  if (!cls) {
    return false;
  }

  // Also the application's own exception classes, raised with messages it wrote, and Werkzeug's
  // HTTP errors, whose descriptions are public.
  return ctx.ev
    .eval(cls, module)
    .some(
      (v) => v.kind === "class" || (v.kind === "external" && CLIENT_FACING_ERRORS.test(v.qualname)),
    );
}

/** Statements that give `name` a value other than plain assignment. */
type Mutation =
  | { kind: "value"; value: PyNode }
  /** `x[k] = v`: k is one of x's keys. */
  | { kind: "key"; value: PyNode }
  | { kind: "loop"; target: PyNode; iterable: PyNode }
  | { kind: "exception"; node: PyNode; cls: PyNode | null };

const mutationCache = new WeakMap<PyNode, Map<string, Mutation[]>>();

function mutations(fn: PyNode, name: string): Mutation[] {
  let byName = mutationCache.get(fn);
  if (!byName) {
    byName = collectMutations(fn);
    mutationCache.set(fn, byName);
  }

  return byName.get(name) ?? [];
}

function collectMutations(fn: PyNode): Map<string, Mutation[]> {
  const out = new Map<string, Mutation[]>();
  const add = (name: string | undefined, m: Mutation) => {
    if (!name) {
      return;
    }
    const list = out.get(name) ?? [];
    list.push(m);
    out.set(name, list);
  };
  // An explicit stack: generated code can nest expressions thousands deep.
  const stack: PyNode[] = [child(fn, "body") ?? fn];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const c of n.children) {
      if (
        c.type === "function_definition" ||
        c.type === "class_definition" ||
        c.type === "lambda"
      ) {
        continue;
      }
      switch (c.type) {
        case "augmented_assignment": {
          const left = child(c, "left");
          const right = child(c, "right");
          if (left?.type === "identifier" && right) {
            add(left.text, { kind: "value", value: right });
          }
          break;
        }
        case "assignment": {
          const left = child(c, "left");
          const right = child(c, "right");
          // `x[k] = v` and `x.attr = v` put v into x; with `x[k]`, k becomes one of x's keys.
          if ((left?.type === "subscript" || left?.type === "attribute") && right) {
            const base = child(left, left.type === "subscript" ? "value" : "object");
            if (base?.type === "identifier") {
              add(base.text, { kind: "value", value: right });
              const key = left.type === "subscript" ? child(left, "subscript") : undefined;
              if (key && stringValue(key) === null) {
                add(base.text, { kind: "key", value: key });
              }
            }
          }
          break;
        }
        case "call": {
          const f = child(c, "function");
          const method = f?.type === "attribute" ? child(f, "attribute")?.text : undefined;
          const obj = f?.type === "attribute" ? child(f, "object") : undefined;
          if (
            obj?.type === "identifier" &&
            method &&
            /^(append|extend|update|add|insert|setdefault)$/.test(method)
          ) {
            for (const a of callArgs(c).positional) {
              add(obj.text, { kind: "value", value: a });
            }
            for (const a of callArgs(c).keywords.values()) {
              add(obj.text, { kind: "value", value: a });
            }
          }
          break;
        }
        case "for_statement": {
          const left = child(c, "left");
          const right = child(c, "right");
          if (left && right) {
            for (const id of identifiersIn(left)) {
              add(id, { kind: "loop", target: left, iterable: right });
            }
          }
          break;
        }
        case "except_clause": {
          // `except ClientError as e` (the alias is the last identifier before the block).
          const alias = c.children.find((x) => x.type === "as_pattern");
          const target = alias ? child(alias, "alias") : undefined;
          const id = target?.type === "as_pattern_target" ? target.children[0] : target;
          if (id?.text) {
            add(id.text, { kind: "exception", node: id, cls: alias?.children[0] ?? null });
          }
          break;
        }
        case "with_item": {
          const value = child(c, "value");
          if (value?.type === "as_pattern") {
            const target = child(value, "alias");
            const src = value.children[0];
            const id = target?.children[0] ?? target;
            if (id?.text && src) {
              add(id.text, { kind: "value", value: src });
            }
          }
          break;
        }
        default:
          break;
      }
      stack.push(c);
    }
  }

  return out;
}

function identifiersIn(n: PyNode): string[] {
  if (n.type === "identifier") {
    return [n.text ?? ""];
  }

  return n.children.flatMap(identifiersIn);
}

/** Position of `name` inside a (possibly nested) tuple target: `n, (field, value)` → [1, 0]. */
function targetPath(target: PyNode, name: string): number[] {
  if (target.type === "identifier") {
    return target.text === name ? [] : [-1];
  }
  const parts = target.children.filter((c) => c.type !== "comment");
  for (let i = 0; i < parts.length; i++) {
    const sub = targetPath(parts[i]!, name);
    if (sub[0] !== -1) {
      return [i, ...sub];
    }
  }

  return [-1];
}

/** For a name inside a comprehension, its `for` clause. */
function comprehensionBinding(
  n: PyNode,
  name: string,
): { target: PyNode; iterable: PyNode } | null {
  let p: PyNode | null = n.parent;
  while (p && p.type !== "function_definition" && p.type !== "module") {
    if (/comprehension|generator_expression/.test(p.type)) {
      for (const clause of p.children) {
        if (clause.type === "for_in_clause") {
          const left = child(clause, "left");
          const right = child(clause, "right");
          if (
            left &&
            right &&
            identifiersIn(left).includes(name) &&
            !(right.start <= n.start && n.end <= right.end)
          ) {
            return { target: left, iterable: right };
          }
        }
      }
    }
    p = p.parent;
  }

  return null;
}

function returnExpressions(def: PyNode): PyNode[] {
  const out: PyNode[] = [];
  if (def.type === "lambda") {
    const body = child(def, "body");
    return body ? [body] : [];
  }
  walkScope(child(def, "body") ?? def, (n) => {
    if (n.type === "return_statement" && n.children[0]) {
      out.push(n.children[0]);
    }
    return true;
  });

  return out;
}

/** The argument of `call` that binds parameter `name` (position `index`) of `fn`. */
export function argumentFor(
  call: PyNode,
  fn: PyNode,
  name: string,
  index: number,
): PyNode | undefined {
  const args = callArgs(call);
  const kw = args.keywords.get(name);
  if (kw) {
    return kw;
  }
  const params = parameterNames(fn);
  const isMethod = params[0] === "self" || params[0] === "cls";
  const f = child(call, "function");
  // `obj.method(a)` binds `self` implicitly; `Class(a)` binds `self` of __init__ implicitly too.
  const implicitSelf =
    isMethod && (f?.type === "attribute" || child(fn, "name")?.text === "__init__");
  const position = implicitSelf ? index - 1 : index;

  return position >= 0 ? args.positional[position] : undefined;
}

/** The expression inside `*x` / `**x` (the operator token is kept as a child). */
export function splatValue(n: PyNode): PyNode | undefined {
  return n.children.find((c) => c.type !== "*" && c.type !== "**");
}

/** Request origins a client controls (URL variables included). */
export function isClientOrigin(o: FlowOrigin): o is Extract<FlowOrigin, { kind: "request" }> {
  return (
    o.kind === "request" && !["method", "host", "url", "authorization", "cookies"].includes(o.part)
  );
}
