/**
 * A small abstract evaluator: what object can an expression denote? It answers questions such as
 * "is this `csrf` the `CSRFProtect()` created in extensions.py?" or "is this `app` the `Flask()`
 * built inside `create_app`?" without running anything.
 *
 * Values are sets of abstract objects: project modules, functions and classes, instances of
 * project classes, external symbols (`flask.request`), results of calling external things (each
 * identified by its call site), constants and dict literals. Local names are resolved
 * flow-insensitively (every assignment in the function counts); parameters take their default and
 * the arguments of every call site found in the project; attributes assigned on objects
 * (`self.table = ...`, `app.store = ...`) are remembered and found again by object identity.
 */

import type { PyNode } from "./ast.js";
import {
  callArgs,
  child,
  enclosingFunction,
  parameterNames,
  statements,
  stringValue,
  unparen,
  walk,
  walkScope,
} from "./ast.js";
import {
  type Binding,
  collectBindings,
  type Module,
  type Project,
  type Resolved,
} from "./project.js";

export type Value =
  | { kind: "module"; module: Module }
  /** A symbol imported from outside the project, by qualified name (`flask.request`). */
  | { kind: "external"; qualname: string }
  /** The result of calling something that is not project code, identified by its call site. */
  | { kind: "call"; callee: Value; site: PyNode; module: Module }
  /** An attribute of something that is not project code (`boto3.resource(...).Table`). */
  | { kind: "member"; of: Value; name: string }
  | { kind: "instance"; cls: PyNode; clsModule: Module; site: PyNode | null; module: Module }
  | { kind: "function"; def: PyNode; module: Module; self: Value | null }
  | { kind: "class"; def: PyNode; module: Module }
  | { kind: "const"; value: string | number | boolean | null }
  | { kind: "dict"; node: PyNode; module: Module }
  | { kind: "sequence"; node: PyNode; module: Module };

const MAX_VALUES = 12;
const MAX_DEPTH = 40;

interface AttributeStore {
  object: PyNode;
  name: string;
  value: PyNode;
  module: Module;
}

export class Evaluator {
  private readonly cache = new Map<PyNode, Value[]>();
  private readonly inProgress = new Set<PyNode>();
  private readonly localBindings = new Map<PyNode, Map<string, Binding[]>>();
  private attributeStores: Map<string, AttributeStore[]> | null = null;
  private callSites: Map<PyNode, { call: PyNode; module: Module }[]> | null = null;
  private allCalls: { call: PyNode; module: Module }[] | null = null;
  private depth = 0;
  /** Set when an evaluation was cut short by a cycle or the depth limit. */
  private truncated = false;

  constructor(readonly project: Project) {}

  /** Every call expression in the analysed modules, in source order. */
  calls(): { call: PyNode; module: Module }[] {
    if (!this.allCalls) {
      const out: { call: PyNode; module: Module }[] = [];
      for (const m of this.project.modules) {
        walk(m.root, (n) => {
          if (n.type === "call") {
            out.push({ call: n, module: m });
          }
          return true;
        });
      }
      this.allCalls = out;
    }

    return this.allCalls;
  }

  private byFinalName: Map<string, { call: PyNode; module: Module }[]> | null = null;
  private allDecorators: { decorator: PyNode; module: Module }[] | null = null;

  /**
   * Calls whose callee's last name is `name` (`x.exempt(...)`, `exempt(...)`): a cheap index so
   * model passes look at the few calls that can matter instead of evaluating every call.
   */
  callsNamed(name: string): { call: PyNode; module: Module }[] {
    if (!this.byFinalName) {
      const map = new Map<string, { call: PyNode; module: Module }[]>();
      for (const c of this.calls()) {
        const f = child(c.call, "function");
        const last =
          f?.type === "attribute"
            ? child(f, "attribute")?.text
            : f?.type === "identifier"
              ? f.text
              : undefined;
        if (last) {
          const list = map.get(last) ?? [];
          list.push(c);
          map.set(last, list);
        }
      }
      this.byFinalName = map;
    }

    return this.byFinalName.get(name) ?? [];
  }

  /** Calls whose callee's last name starts with a capital: class instantiations, by convention. */
  classCalls(): { call: PyNode; module: Module }[] {
    this.callsNamed("");
    const out: { call: PyNode; module: Module }[] = [];
    for (const [name, list] of this.byFinalName ?? []) {
      if (/^[A-Z]/.test(name)) {
        out.push(...list);
      }
    }

    return out;
  }

  private decoratorsByName: Map<string, { decorator: PyNode; module: Module }[]> | null = null;

  /** Decorators whose expression ends in `name` (`@csrf.exempt`, `@limiter.limit("5/m")`). */
  decoratorsNamed(name: string): { decorator: PyNode; module: Module }[] {
    if (!this.decoratorsByName) {
      const map = new Map<string, { decorator: PyNode; module: Module }[]>();
      for (const d of this.decorators()) {
        let e = d.decorator.children.find((c) => c.type !== "comment");
        if (e?.type === "call") {
          e = child(e, "function");
        }
        const last =
          e?.type === "attribute"
            ? child(e, "attribute")?.text
            : e?.type === "identifier"
              ? e.text
              : undefined;
        if (last) {
          const list = map.get(last) ?? [];
          list.push(d);
          map.set(last, list);
        }
      }
      this.decoratorsByName = map;
    }

    return this.decoratorsByName.get(name) ?? [];
  }

  /** Every decorator in the analysed modules. */
  decorators(): { decorator: PyNode; module: Module }[] {
    if (!this.allDecorators) {
      const out: { decorator: PyNode; module: Module }[] = [];
      for (const m of this.project.modules) {
        walk(m.root, (n) => {
          if (n.type === "decorator") {
            out.push({ decorator: n, module: m });
            return false;
          }
          return true;
        });
      }
      this.allDecorators = out;
    }

    return this.allDecorators;
  }

  /** The values `node` (an expression in `module`) may denote. */
  eval(node: PyNode, module: Module): Value[] {
    const cached = this.cache.get(node);
    if (cached) {
      return cached;
    }
    if (this.inProgress.has(node) || this.depth > MAX_DEPTH) {
      // A cycle or the depth limit cut this evaluation short: whatever uses it is incomplete
      // and must not be cached, or the answer would depend on the order of questions.
      this.truncated = true;
      return [];
    }
    this.inProgress.add(node);
    this.depth++;
    const outerTruncated = this.truncated;
    this.truncated = false;
    let result: Value[];
    let complete = true;
    try {
      result = dedupe(this.evalUncached(unparen(node), module));
      complete = !this.truncated;
    } finally {
      this.depth--;
      this.inProgress.delete(node);
      this.truncated = outerTruncated || this.truncated;
    }
    if (complete && !process.env.FG_NOCACHE) {
      this.cache.set(node, result);
    }

    return result;
  }

  private evalUncached(node: PyNode, module: Module): Value[] {
    switch (node.type) {
      case "identifier":
        return this.evalName(node.text ?? "", node, module);
      case "attribute": {
        const obj = child(node, "object");
        const attr = child(node, "attribute")?.text ?? "";
        if (!obj) {
          return [];
        }

        return this.eval(obj, module).flatMap((v) => this.attributeOf(v, attr, module));
      }
      case "call":
        return this.evalCall(node, module);
      case "string":
      case "concatenated_string": {
        const s = stringValue(node);

        return s === null ? [] : [{ kind: "const", value: s }];
      }
      case "integer":
        return [{ kind: "const", value: Number.parseInt(node.text ?? "0", 10) }];
      case "float":
        return [{ kind: "const", value: Number.parseFloat(node.text ?? "0") }];
      case "true":
        return [{ kind: "const", value: true }];
      case "false":
        return [{ kind: "const", value: false }];
      case "none":
        return [{ kind: "const", value: null }];
      case "dictionary":
        return [{ kind: "dict", node, module }];
      case "list":
      case "tuple":
      case "set":
        return [{ kind: "sequence", node, module }];
      case "conditional_expression": {
        const parts = node.children.filter((c) => c.field !== "condition");
        // `a if cond else b`: tree-sitter gives [a, cond, b] without fields.
        const branches = parts.length === 3 ? [parts[0]!, parts[2]!] : parts;

        return branches.flatMap((b) => this.eval(b, module));
      }
      case "boolean_operator": {
        const left = child(node, "left");
        const right = child(node, "right");

        return [
          ...(left ? this.eval(left, module) : []),
          ...(right ? this.eval(right, module) : []),
        ];
      }
      case "subscript": {
        const value = child(node, "value");
        const key = child(node, "subscript");
        if (!value) {
          return [];
        }

        return this.eval(value, module).flatMap((v) => this.subscriptOf(v, key ?? null, module));
      }
      case "await":
        return node.children[0] ? this.eval(node.children[0], module) : [];
      default:
        return [];
    }
  }

  /** Resolves a bare name at `node`: locals, enclosing functions, then module globals. */
  evalName(name: string, node: PyNode, module: Module): Value[] {
    let fn = enclosingFunction(node);
    while (fn) {
      const local = this.evalLocal(name, fn, module);
      if (local !== null) {
        return local;
      }
      fn = enclosingFunction(fn);
    }

    return this.project.resolveGlobal(module, name).flatMap((r) => this.fromResolved(r));
  }

  /** Values of `name` if it is local to `fn` (assigned or a parameter), else null. */
  private evalLocal(name: string, fn: PyNode, module: Module): Value[] | null {
    const bindings = this.bindingsOf(fn, module).get(name);
    if (bindings && bindings.length > 0) {
      return bindings.flatMap((b) =>
        b.kind === "assign" && b.value
          ? this.eval(b.value, module)
          : this.project.resolveBinding(module, b).flatMap((r) => this.fromResolved(r)),
      );
    }
    const forValues = this.forLoopValues(name, fn, module);
    if (forValues !== null) {
      return forValues;
    }
    const params = parameterNames(fn);
    const index = params.indexOf(name);
    if (index === -1) {
      return null;
    }

    return this.parameterValues(fn, module, index, name);
  }

  /** Loop variables: `for bp in (a_bp, b_bp):` binds `bp` to each element. */
  private forLoopValues(name: string, fn: PyNode, module: Module): Value[] | null {
    let found: Value[] | null = null;
    walkScope(child(fn, "body") ?? fn, (n) => {
      if (n.type === "for_statement") {
        const left = child(n, "left");
        const right = child(n, "right");
        if (left?.type === "identifier" && left.text === name && right) {
          found = [...(found ?? []), ...this.elementsOf(right, module)];
        }
      }
      return true;
    });

    return found;
  }

  /** The values an iterable expression yields, when it is a literal sequence or a known one. */
  elementsOf(iterable: PyNode, module: Module): Value[] {
    const out: Value[] = [];
    for (const v of this.eval(iterable, module)) {
      if (v.kind === "sequence") {
        for (const e of v.node.children) {
          out.push(...this.eval(e, v.module));
        }
      }
    }

    return out;
  }

  private parameterValues(fn: PyNode, module: Module, index: number, name: string): Value[] {
    const cls = enclosingClass(fn);
    if (index === 0 && cls && !isStaticMethod(fn)) {
      if (name === "self") {
        return [{ kind: "instance", cls, clsModule: module, site: null, module }];
      }
      if (name === "cls") {
        return [{ kind: "class", def: cls, module }];
      }
    }
    const out: Value[] = [];
    const defaultValue = parameterDefault(fn, name);
    if (defaultValue) {
      out.push(...this.eval(defaultValue, module));
    }
    const offset = cls && !isStaticMethod(fn) ? 1 : 0;
    for (const site of this.callSitesOf(fn)) {
      const args = callArgs(site.call);
      const arg = args.keywords.get(name) ?? args.positional[index - offset];
      if (arg) {
        out.push(...this.eval(arg, site.module));
      }
    }

    return out;
  }

  /** Calls anywhere in the project whose callee evaluates to the function `fn`. */
  callSitesOf(fn: PyNode): { call: PyNode; module: Module }[] {
    if (!this.callSites) {
      this.callSites = new Map();
      // Index calls by the callee's final name first, so only plausible calls get evaluated.
      const byName = new Map<string, { call: PyNode; module: Module }[]>();
      for (const c of this.calls()) {
        const f = child(c.call, "function");
        const last = f?.type === "attribute" ? child(f, "attribute")?.text : f?.text;
        if (!last) {
          continue;
        }
        const list = byName.get(last) ?? [];
        list.push(c);
        byName.set(last, list);
      }
      this.callsByName = byName;
    }
    const existing = this.callSites.get(fn);
    if (existing) {
      return existing;
    }
    const name = child(fn, "name")?.text ?? "";
    const out: { call: PyNode; module: Module }[] = [];
    this.callSites.set(fn, out);
    for (const c of this.callsByName?.get(name) ?? []) {
      const f = child(c.call, "function");
      if (f && this.eval(f, c.module).some((v) => v.kind === "function" && v.def === fn)) {
        out.push(c);
      }
    }
    // A constructor is called by instantiating its class: `AccountAdmin(model, store)`.
    const cls = name === "__init__" ? enclosingClass(fn) : null;
    const clsName = cls ? child(cls, "name")?.text : undefined;
    for (const c of clsName ? (this.callsByName?.get(clsName) ?? []) : []) {
      const f = child(c.call, "function");
      if (f && this.eval(f, c.module).some((v) => v.kind === "class" && v.def === cls)) {
        out.push(c);
      }
    }

    return out;
  }

  private callsByName: Map<string, { call: PyNode; module: Module }[]> | null = null;

  bindingsOf(fn: PyNode, module: Module): Map<string, Binding[]> {
    let b = this.localBindings.get(fn);
    if (!b) {
      b = new Map();
      collectBindings(module, fn, b, null);
      this.localBindings.set(fn, b);
    }

    return b;
  }

  fromResolved(r: Resolved): Value[] {
    switch (r.kind) {
      case "module":
        return [{ kind: "module", module: r.module }];
      case "def":
        return [{ kind: "function", def: r.node, module: r.module, self: null }];
      case "class":
        return [{ kind: "class", def: r.node, module: r.module }];
      case "value":
        return this.eval(r.node, r.module);
      case "external":
        return [{ kind: "external", qualname: r.qualname }];
    }
  }

  attributeOf(v: Value, attr: string, fromModule: Module): Value[] {
    switch (v.kind) {
      case "module": {
        const r = this.project.resolveGlobal(v.module, attr);
        if (r.length > 0) {
          return r.flatMap((x) => this.fromResolved(x));
        }
        const sub = this.project.module(`${v.module.name}.${attr}`, v.module);

        return sub ? [{ kind: "module", module: sub }] : [];
      }
      case "external": {
        const sub = this.project.module(`${v.qualname}.${attr}`, fromModule);
        if (sub) {
          return [{ kind: "module", module: sub }];
        }

        return [
          { kind: "external", qualname: `${v.qualname}.${attr}` },
          ...this.storedAttributes(v, attr),
        ];
      }
      case "call":
      case "member":
        return [{ kind: "member", of: v, name: attr }, ...this.storedAttributes(v, attr)];
      case "instance": {
        const stored = this.storedAttributes(v, attr);
        const method = this.classMember(v.cls, v.clsModule, attr, v);
        const found = [...method, ...stored];

        // Unknown attributes may come from an external base class (a PynamoDB model's `save`).
        return found.length > 0 ? found : [{ kind: "member", of: v, name: attr }];
      }
      case "class": {
        const found = [
          ...this.classMember(v.def, v.module, attr, null),
          ...this.storedAttributes(v, attr),
        ];

        return found.length > 0 ? found : [{ kind: "member", of: v, name: attr }];
      }
      default:
        void fromModule;
        return [];
    }
  }

  /** A method or class attribute, searched through project base classes. */
  private classMember(
    cls: PyNode,
    module: Module,
    attr: string,
    self: Value | null,
    depth = 0,
  ): Value[] {
    if (depth > 8) {
      return [];
    }
    for (const stmt of statements(child(cls, "body"))) {
      const def = stmt.type === "decorated_definition" ? child(stmt, "definition") : stmt;
      if (def?.type === "function_definition" && child(def, "name")?.text === attr) {
        return [{ kind: "function", def, module, self }];
      }
      if (stmt.type === "expression_statement") {
        const assign = stmt.children[0];
        if (assign?.type === "assignment" && child(assign, "left")?.text === attr) {
          const right = child(assign, "right");

          return right ? this.eval(right, module) : [];
        }
      }
    }
    for (const base of this.baseClasses(cls, module)) {
      if (base.kind === "class") {
        const r = this.classMember(base.def, base.module, attr, self, depth + 1);
        if (r.length > 0) {
          return r;
        }
      }
    }

    return [];
  }

  /** The evaluated base classes of a class definition. */
  baseClasses(cls: PyNode, module: Module): Value[] {
    const supers = child(cls, "superclasses");
    if (!supers) {
      return [];
    }

    return supers.children
      .filter((c) => c.type !== "keyword_argument")
      .flatMap((c) => this.eval(c, module));
  }

  /** True when the class derives (through project classes) from one of the external names. */
  classDerivesFrom(cls: PyNode, module: Module, qualnames: readonly string[], depth = 0): boolean {
    if (depth > 8) {
      return false;
    }

    return this.baseClasses(cls, module).some(
      (b) =>
        (b.kind === "external" && matchesQualname(b.qualname, qualnames)) ||
        (b.kind === "class" && this.classDerivesFrom(b.def, b.module, qualnames, depth + 1)),
    );
  }

  private storedAttributes(v: Value, attr: string): Value[] {
    const stores = this.stores().get(attr);
    if (!stores) {
      return [];
    }
    const out: Value[] = [];
    for (const s of stores) {
      if (this.eval(s.object, s.module).some((o) => sameObject(o, v))) {
        out.push(...this.eval(s.value, s.module));
      }
    }

    return out;
  }

  private stores(): Map<string, AttributeStore[]> {
    if (!this.attributeStores) {
      const map = new Map<string, AttributeStore[]>();
      for (const m of this.project.modules) {
        walk(m.root, (n) => {
          if (n.type === "assignment") {
            const left = child(n, "left");
            const right = child(n, "right");
            if (left?.type === "attribute" && right) {
              const object = child(left, "object");
              const name = child(left, "attribute")?.text;
              if (object && name) {
                const list = map.get(name) ?? [];
                list.push({ object, name, value: right, module: m });
                map.set(name, list);
              }
            }
          }
          return true;
        });
      }
      this.attributeStores = map;
    }

    return this.attributeStores;
  }

  private subscriptOf(v: Value, key: PyNode | null, module: Module): Value[] {
    if (v.kind === "dict") {
      // `CONFIGS[name or os.environ.get("ENV", "production")]`: when any possible key is not a
      // constant, every entry may be the one picked, not only those matching the constant keys.
      const keyValues = key ? this.eval(key, module) : [];
      const known = keyValues.length > 0 && keyValues.every((k) => k.kind === "const");
      const keys = new Set(keyValues.map((k) => (k.kind === "const" ? k.value : undefined)));
      const out: Value[] = [];
      for (const pair of v.node.children) {
        if (pair.type !== "pair") {
          continue;
        }
        const k = child(pair, "key");
        const val = child(pair, "value");
        if (!k || !val) {
          continue;
        }
        const kv = stringValue(k);
        if (!known || kv === null || keys.has(kv)) {
          out.push(...this.eval(val, v.module));
        }
      }

      return out;
    }
    if (v.kind === "call" || v.kind === "member" || v.kind === "external") {
      return [{ kind: "member", of: v, name: "[]" }];
    }

    return [];
  }

  private evalCall(call: PyNode, module: Module): Value[] {
    const fn = child(call, "function");
    if (!fn) {
      return [];
    }
    const out: Value[] = [];
    for (const callee of this.eval(fn, module)) {
      switch (callee.kind) {
        case "class":
          out.push({
            kind: "instance",
            cls: callee.def,
            clsModule: callee.module,
            site: call,
            module,
          });
          break;
        case "function":
          out.push(...this.returnValues(callee.def, callee.module));
          break;
        case "external":
          if (callee.qualname === "builtins.getattr") {
            out.push(...this.evalGetattr(call, module));
          } else {
            out.push({ kind: "call", callee, site: call, module });
          }
          break;
        case "call":
        case "member":
          out.push({ kind: "call", callee, site: call, module });
          break;
        default:
          break;
      }
    }

    return out;
  }

  private evalGetattr(call: PyNode, module: Module): Value[] {
    const args = callArgs(call).positional;
    const name = args[1] ? stringValue(args[1]) : null;
    if (!args[0] || name === null) {
      return [];
    }

    return this.eval(args[0], module).flatMap((v) => this.attributeOf(v, name, module));
  }

  /** Union of what a project function returns. */
  returnValues(def: PyNode, module: Module): Value[] {
    const out: Value[] = [];
    walkScope(child(def, "body") ?? def, (n) => {
      if (n.type === "return_statement" && n.children[0]) {
        out.push(...this.eval(n.children[0], module));
      }
      return true;
    });

    return out;
  }
}

function parameterDefault(fn: PyNode, name: string): PyNode | undefined {
  const params = child(fn, "parameters");
  for (const p of params?.children ?? []) {
    if (p.type === "default_parameter" || p.type === "typed_default_parameter") {
      if (child(p, "name")?.text === name) {
        return child(p, "value");
      }
    }
  }

  return undefined;
}

export function enclosingClass(fn: PyNode): PyNode | null {
  let p = fn.parent;
  while (p && p.type !== "class_definition") {
    if (p.type === "function_definition") {
      return null;
    }
    p = p.parent;
  }

  return p;
}

function isStaticMethod(fn: PyNode): boolean {
  const dec = fn.parent?.type === "decorated_definition" ? fn.parent : null;

  return !!dec?.children.some(
    (d) => d.type === "decorator" && /staticmethod/.test(d.children[0]?.text ?? ""),
  );
}

/** Two abstract objects are the same when they were created at the same place. */
export function sameObject(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) {
    return false;
  }
  switch (a.kind) {
    case "call": {
      const o = b as typeof a;
      // One call site can call several things (`x.Table(...)` where x is a resource or not).
      return a.site === o.site && sameObject(a.callee, o.callee);
    }
    case "instance": {
      const o = b as typeof a;
      // `self` inside a class has no site; it stands for every instance of that class.
      return a.cls === o.cls && (a.site === null || o.site === null || a.site === o.site);
    }
    case "external":
      return a.qualname === (b as typeof a).qualname;
    case "module":
      return a.module === (b as typeof a).module;
    case "class":
    case "function":
      return a.def === (b as typeof a).def;
    case "member":
      return a.name === (b as typeof a).name && sameObject(a.of, (b as typeof a).of);
    default:
      return false;
  }
}

/** Drops duplicates (same creation site, same symbol, same constant), keeping at most `limit`. */
function dedupe(values: Value[], limit = MAX_VALUES): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    const key = valueKey(v);
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    out.push(v);
    if (out.length >= limit) {
      break;
    }
  }

  return out;
}

const nodeIds = new WeakMap<PyNode, number>();
let nextNodeId = 1;

function nodeId(n: PyNode | null): number {
  if (!n) {
    return 0;
  }
  let id = nodeIds.get(n);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(n, id);
  }

  return id;
}

/** A string that is equal for two values exactly when dedupe should treat them as one. */
function valueKey(v: Value, depth = 0): string {
  if (depth > 6) {
    return "?";
  }
  switch (v.kind) {
    case "module":
      return `m:${v.module.path}`;
    case "external":
      return `e:${v.qualname}`;
    case "call":
      return `c:${nodeId(v.site)}:${valueKey(v.callee, depth + 1)}`;
    case "member":
      return `.${v.name}:${valueKey(v.of, depth + 1)}`;
    case "instance":
      return `i:${nodeId(v.cls)}:${nodeId(v.site)}`;
    case "function":
      return `f:${nodeId(v.def)}:${v.self ? valueKey(v.self, depth + 1) : ""}`;
    case "class":
      return `k:${nodeId(v.def)}`;
    case "const":
      return `v:${typeof v.value}:${String(v.value)}`;
    case "dict":
    case "sequence":
      return `${v.kind}:${nodeId(v.node)}`;
  }
}

/**
 * Whether an external qualified name is one of `names`. Libraries re-export their classes from
 * several modules (`flask_wtf.CSRFProtect` and `flask_wtf.csrf.CSRFProtect`), so callers list the
 * public spellings and this also accepts any `pkg.sub.Name` whose package and name match.
 */
export function matchesQualname(qualname: string, names: readonly string[]): boolean {
  if (names.includes(qualname)) {
    return true;
  }
  const parts = qualname.split(".");
  const head = parts[0];
  const last = parts[parts.length - 1];

  return names.some((n) => {
    const np = n.split(".");

    return np.length === 2 && np[0] === head && np[1] === last && parts.length > 2;
  });
}

/** The external qualified name a value stands for, when it is an external symbol. */
export function externalName(v: Value): string | null {
  return v.kind === "external" ? v.qualname : null;
}

/** The qualified name of what was called to produce `v` (`flask.Flask` for an app). */
export function calleeName(v: Value): string | null {
  return v.kind === "call" && v.callee.kind === "external" ? v.callee.qualname : null;
}
