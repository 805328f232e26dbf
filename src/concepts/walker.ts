/**
 * Walks a function body statement by statement and records, for every expression it evaluates,
 * the conditions known to hold there: the `if` branches it sits in and the earlier checks whose
 * failing branch left the function (`if not ok: abort(403)`). Calls into project functions are
 * followed, so a write inside a helper carries the caller's conditions, and a helper that aborts
 * unless a check passes establishes that check for the caller's later statements.
 *
 * Walks can assume a request method: under GET, `if request.method == "POST":` is never taken and
 * `form.validate_on_submit()` is false (Flask-WTF only treats POST/PUT/PATCH/DELETE as submitted).
 */

import type { PyNode } from "../python/ast.js";
import {
  child,
  childrenByField,
  comparisonOperands,
  comparisonOperators,
  statements,
  stringValue,
  unparen,
  walk,
} from "../python/ast.js";
import type { Evaluator, Value } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import { decideMembership } from "./decide.js";

/** A condition and whether it holds (`holds: false` after `if cond: return`). */
export interface Fact {
  cond: PyNode;
  module: Module;
  holds: boolean;
  /** Call frames from the walked function to the function holding the condition. */
  chain?: readonly Frame[];
}

export interface Frame {
  call: PyNode;
  module: Module;
  fn: PyNode;
}

/** An expression evaluated on the walk, with what is known there. */
export interface Segment {
  expr: PyNode;
  module: Module;
  /** The statement holding it. */
  stmt: PyNode;
  guards: readonly Fact[];
  /** Calls from the walked function down to this expression's function. */
  chain: readonly Frame[];
}

/** A way out of the walked function. */
export interface Exit {
  kind: "return" | "raise" | "abort";
  node: PyNode;
  module: Module;
  value: PyNode | null;
  guards: readonly Fact[];
  chain: readonly Frame[];
}

export interface Trace {
  segments: Segment[];
  exits: Exit[];
  /** Facts that hold when the walked function falls off its end; null when it never does. */
  fallthrough: Fact[] | null;
}

export interface WalkOptions {
  /** Assume this HTTP method (upper case); null for any. */
  method: string | null;
  /** How deep to follow calls into project functions. */
  maxDepth?: number;
  /**
   * Called for each project function a call reaches; return false to not descend into it
   * (the decorated function inside a decorator's wrapper, for example).
   */
  descend?: (fn: Value & { kind: "function" }, call: PyNode, module: Module) => boolean;
}

const traceCache = new WeakMap<Evaluator, WeakMap<PyNode, Map<string, Trace>>>();

/** HTTP methods Flask-WTF treats as form submissions. */
const SUBMIT_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

export class Walker {
  private readonly trace: Trace = { segments: [], exits: [], fallthrough: null };
  private readonly active = new Set<PyNode>();
  private topLevel: PyNode | null = null;

  constructor(
    private readonly ev: Evaluator,
    private readonly options: WalkOptions,
  ) {}

  /**
   * Walks `fn` under `options`. Walks without a `descend` filter or starting facts depend only on
   * the function and the method, so they are computed once per evaluator and shared: the same
   * hook or decorator runs before many routes.
   */
  static run(
    ev: Evaluator,
    fn: PyNode,
    module: Module,
    options: WalkOptions,
    guards: Fact[] = [],
  ): Trace {
    const cacheable = !options.descend && guards.length === 0;
    const key = `${options.method ?? "*"}:${options.maxDepth ?? 5}`;
    if (cacheable) {
      const hit = traceCache.get(ev)?.get(fn)?.get(key);
      if (hit) {
        return hit;
      }
    }
    const trace = Walker.walkUncached(ev, fn, module, options, guards);
    if (cacheable) {
      let byFn = traceCache.get(ev);
      if (!byFn) {
        byFn = new WeakMap();
        traceCache.set(ev, byFn);
      }
      let byKey = byFn.get(fn);
      if (!byKey) {
        byKey = new Map();
        byFn.set(fn, byKey);
      }
      byKey.set(key, trace);
    }

    return trace;
  }

  private static walkUncached(
    ev: Evaluator,
    fn: PyNode,
    module: Module,
    options: WalkOptions,
    guards: Fact[],
  ): Trace {
    const w = new Walker(ev, options);
    w.topLevel = fn;
    w.walkFunction(fn, module, guards, []);

    return w.trace;
  }

  private walkFunction(
    fn: PyNode,
    module: Module,
    guards: readonly Fact[],
    chain: readonly Frame[],
  ): Fact[] {
    if (this.active.has(fn) || chain.length > (this.options.maxDepth ?? 5)) {
      return [];
    }
    this.active.add(fn);
    try {
      const body = fn.type === "lambda" ? null : child(fn, "body");
      if (!body) {
        const expr = child(fn, "body");
        if (expr) {
          this.expression(expr, module, fn, guards, chain);
        }
        return [];
      }
      const before = this.trace.exits.length;
      const result = this.block(statements(body), module, [...guards], chain);
      if (fn === this.topLevel && !result.exits) {
        this.trace.fallthrough = [...guards, ...result.established];
      }
      // What holds for the caller when this function returns normally: the facts common to its
      // `return`s and its fall-through, beyond those it was called with.
      const paths: (readonly Fact[])[] = this.trace.exits
        .slice(before)
        .filter((e) => e.kind === "return" && e.chain.length === chain.length)
        .map((e) => e.guards.slice(guards.length));
      if (!result.exits) {
        paths.push(result.established);
      }
      const [first, ...rest] = paths;

      return (first ?? []).filter((f) =>
        rest.every((p) => p.some((g) => g.cond === f.cond && g.holds === f.holds)),
      );
    } finally {
      this.active.delete(fn);
    }
  }

  /**
   * Walks statements in order. Returns whether every path leaves the block, and the facts the
   * block establishes for what follows it (relative to the facts it started with).
   */
  private block(
    stmts: PyNode[],
    module: Module,
    guards: Fact[],
    chain: readonly Frame[],
  ): { exits: boolean; established: Fact[] } {
    const start = guards.length;
    let current = guards;
    for (const stmt of stmts) {
      const r = this.statement(stmt, module, current, chain);
      if (r.exits) {
        return { exits: true, established: current.slice(start) };
      }
      current = [...current, ...r.established];
    }

    return { exits: false, established: current.slice(start) };
  }

  private statement(
    stmt: PyNode,
    module: Module,
    guards: Fact[],
    chain: readonly Frame[],
  ): { exits: boolean; established: Fact[] } {
    switch (stmt.type) {
      case "if_statement":
        return this.ifStatement(stmt, module, guards, chain);
      case "return_statement": {
        const value = stmt.children[0] ?? null;
        const established = value ? this.expression(value, module, stmt, guards, chain) : [];
        this.trace.exits.push({
          kind: "return",
          node: stmt,
          module,
          value,
          guards: [...guards, ...established],
          chain,
        });

        return { exits: true, established };
      }
      case "raise_statement":
        for (const c of stmt.children) {
          this.expression(c, module, stmt, guards, chain);
        }
        this.trace.exits.push({
          kind: "raise",
          node: stmt,
          module,
          value: stmt.children[0] ?? null,
          guards,
          chain,
        });

        return { exits: true, established: [] };
      case "expression_statement": {
        let established: Fact[] = [];
        for (const c of stmt.children) {
          established = [
            ...established,
            ...this.expression(c, module, stmt, [...guards, ...established], chain),
          ];
        }
        const call = stmt.children[0] && unparen(stmt.children[0]);
        if (call?.type === "call" && this.isAbort(call, module)) {
          this.trace.exits.push({ kind: "abort", node: stmt, module, value: call, guards, chain });

          return { exits: true, established };
        }

        return { exits: false, established };
      }
      case "try_statement": {
        const body = this.block(statements(child(stmt, "body")), module, guards, chain);
        let allExit = body.exits;
        let hasHandler = false;
        for (const c of stmt.children) {
          if (c.type === "except_clause") {
            hasHandler = true;
            const r = this.block(
              statements(c.children.find((x) => x.type === "block")),
              module,
              guards,
              chain,
            );
            allExit = allExit && r.exits;
          } else if (c.type === "else_clause") {
            const r = this.block(
              statements(child(c, "body") ?? c.children.find((x) => x.type === "block")),
              module,
              [...guards, ...body.established],
              chain,
            );
            allExit = r.exits || allExit;
          } else if (c.type === "finally_clause") {
            this.block(
              statements(c.children.find((x) => x.type === "block")),
              module,
              guards,
              chain,
            );
          }
        }

        return { exits: allExit && hasHandler, established: hasHandler ? [] : body.established };
      }
      case "with_statement": {
        for (const c of stmt.children) {
          if (c.type === "with_clause") {
            this.expression(c, module, stmt, guards, chain);
          }
        }

        return this.block(statements(child(stmt, "body")), module, guards, chain);
      }
      case "for_statement":
      case "while_statement": {
        const head = child(stmt, "right") ?? child(stmt, "condition");
        if (head) {
          this.expression(head, module, stmt, guards, chain);
        }
        this.block(statements(child(stmt, "body")), module, guards, chain);
        const alt = child(stmt, "alternative");
        if (alt) {
          this.block(statements(child(alt, "body")), module, guards, chain);
        }

        return { exits: false, established: [] };
      }
      case "function_definition":
      case "class_definition":
      case "decorated_definition":
        return { exits: false, established: [] };
      case "match_statement": {
        // Each `case` body runs under its own pattern; nothing is concluded across cases.
        const subject = child(stmt, "subject") ?? stmt.children[0];
        if (subject) {
          this.expression(subject, module, stmt, guards, chain);
        }
        const body = child(stmt, "body") ?? stmt.children.find((c) => c.type === "block");
        for (const clause of body?.children ?? []) {
          if (clause.type === "case_clause") {
            this.block(
              statements(
                child(clause, "consequence") ?? clause.children.find((c) => c.type === "block"),
              ),
              module,
              guards,
              chain,
            );
          }
        }

        return { exits: false, established: [] };
      }
      default: {
        for (const c of stmt.children) {
          if (c.type !== "block") {
            this.expression(c, module, stmt, guards, chain);
          }
        }

        return { exits: false, established: [] };
      }
    }
  }

  private ifStatement(
    stmt: PyNode,
    module: Module,
    guards: Fact[],
    chain: readonly Frame[],
  ): { exits: boolean; established: Fact[] } {
    // Branches in order: `if`, each `elif`, then `else` (a branch with no condition).
    const branches: { cond: PyNode | null; body: PyNode | undefined }[] = [
      { cond: child(stmt, "condition") ?? null, body: child(stmt, "consequence") },
    ];
    let hasElse = false;
    for (const alt of childrenByField(stmt, "alternative")) {
      if (alt.type === "elif_clause") {
        branches.push({ cond: child(alt, "condition") ?? null, body: child(alt, "consequence") });
      } else {
        hasElse = true;
        branches.push({
          cond: null,
          body: child(alt, "body") ?? alt.children.find((c) => c.type === "block"),
        });
      }
    }

    let negated: Fact[] = [];
    let allExit = true;
    let fallthrough: Fact[] | null = null;
    let reachable = 0;
    for (const b of branches) {
      let condFacts: Fact[] = [];
      if (b.cond) {
        const established = this.expression(b.cond, module, stmt, [...guards, ...negated], chain);
        const decided = this.decide(b.cond, module);
        if (decided === false) {
          negated = [...negated, ...established, { cond: b.cond, module, holds: false, chain }];
          continue;
        }
        condFacts = [...established, { cond: b.cond, module, holds: true, chain }];
        reachable++;
        const r = this.block(
          statements(b.body),
          module,
          [...guards, ...negated, ...condFacts],
          chain,
        );
        if (!r.exits) {
          allExit = false;
          fallthrough = fallthrough === null ? [...negated, ...condFacts, ...r.established] : [];
        }
        if (decided === true) {
          // Later branches are unreachable.
          return {
            exits: !!allExit,
            established: allExit ? [] : (fallthrough ?? []),
          };
        }
        negated = [...negated, { cond: b.cond, module, holds: false, chain }];
      } else {
        reachable++;
        const r = this.block(statements(b.body), module, [...guards, ...negated], chain);
        if (!r.exits) {
          allExit = false;
          fallthrough = fallthrough === null ? [...negated, ...r.established] : [];
        }
      }
    }
    if (!hasElse) {
      // The implicit else: every condition was false.
      if (reachable === 0 || allExit) {
        return { exits: false, established: negated };
      }

      return {
        exits: false,
        established: fallthrough && fallthrough.length > 0 ? commonFacts(fallthrough, negated) : [],
      };
    }
    if (allExit) {
      return { exits: reachable > 0, established: [] };
    }

    return { exits: false, established: fallthrough ?? [] };
  }

  /**
   * Records an expression and follows the project functions it calls. Returns the facts that the
   * called helpers establish when they return normally.
   */
  private expression(
    expr: PyNode,
    module: Module,
    stmt: PyNode,
    guards: readonly Fact[],
    chain: readonly Frame[],
  ): Fact[] {
    this.trace.segments.push({ expr, module, stmt, guards, chain });
    const established: Fact[] = [];
    const calls: PyNode[] = [];
    walk(expr, (n) => {
      if (n.type === "lambda" || n.type === "function_definition") {
        return false;
      }
      if (n.type === "call") {
        calls.push(n);
      }
      return true;
    });
    // Inner calls run first: `save(load(id))` loads before it saves.
    calls.reverse();
    for (const call of calls) {
      const fnExpr = child(call, "function");
      if (!fnExpr) {
        continue;
      }
      for (const callee of this.ev.eval(fnExpr, module)) {
        const fn = this.projectFunction(callee);
        if (!fn) {
          continue;
        }
        if (this.options.descend && !this.options.descend(fn, call, module)) {
          continue;
        }
        const frame: Frame = { call, module, fn: fn.def };
        established.push(...this.walkFunction(fn.def, fn.module, guards, [...chain, frame]));
      }
    }

    return established;
  }

  /** A project function (or a class's `__init__`) a callee value stands for. */
  private projectFunction(v: Value): (Value & { kind: "function" }) | null {
    if (v.kind === "function") {
      return v;
    }
    if (v.kind === "class") {
      const init = this.ev.attributeOf(
        { kind: "instance", cls: v.def, clsModule: v.module, site: null, module: v.module },
        "__init__",
        v.module,
      );
      const f = init.find((x): x is Value & { kind: "function" } => x.kind === "function");

      return f ?? null;
    }

    return null;
  }

  /** `abort(...)` from Flask or Werkzeug always raises. */
  private isAbort(call: PyNode, module: Module): boolean {
    const fn = child(call, "function");
    if (!fn) {
      return false;
    }

    return this.ev.eval(fn, module).some(
      (v) =>
        (v.kind === "external" &&
          /^(flask|werkzeug\.exceptions|flask\.helpers)\.abort$|^flask_restful\.abort$|^flask_restx\.abort$/.test(
            v.qualname,
          )) ||
        // Flask-RESTX `ns.abort(...)` / `api.abort(...)` raise an HTTPException too.
        (v.kind === "member" &&
          v.name === "abort" &&
          v.of.kind === "call" &&
          v.of.callee.kind === "external" &&
          /^flask_(restx|restplus)\.(Namespace|Api)$/.test(v.of.callee.qualname)),
    );
  }

  /** Decides a condition from the assumed method, or returns null. */
  private decide(cond: PyNode, module: Module): boolean | null {
    const method = this.options.method;
    if (!method) {
      return null;
    }

    return decideUnderMethod(cond, module, method, this.ev);
  }
}

/** Facts present in both lists (by condition node and polarity). */
function commonFacts(a: Fact[], b: Fact[]): Fact[] {
  return a.filter((f) => b.some((g) => g.cond === f.cond && g.holds === f.holds));
}

/**
 * Whether `cond` is true or false for a request of `method`: comparisons of `request.method`,
 * and Flask-WTF's `validate_on_submit()` (false unless the method submits a form). Null when the
 * condition does not depend on the method alone.
 */
export function decideUnderMethod(
  cond: PyNode,
  module: Module,
  method: string,
  ev: Evaluator,
  depth = 0,
): boolean | null {
  const n = unparen(cond);
  if (depth > 64) {
    return null;
  }
  if (n.type === "not_operator") {
    const inner = child(n, "argument");
    const d = inner ? decideUnderMethod(inner, module, method, ev, depth + 1) : null;

    return d === null ? null : !d;
  }
  if (n.type === "boolean_operator") {
    const op = n.children.find((c) => c.field === "operator")?.text;
    const l = child(n, "left");
    const r = child(n, "right");
    const dl = l ? decideUnderMethod(l, module, method, ev, depth + 1) : null;
    const dr = r ? decideUnderMethod(r, module, method, ev, depth + 1) : null;
    if (op === "and") {
      if (dl === false || dr === false) {
        return false;
      }

      return dl === true && dr === true ? true : null;
    }
    if (dl === true || dr === true) {
      return true;
    }

    return dl === false && dr === false ? false : null;
  }
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);
    const [a, b] = comparisonOperands(n);
    if (ops.length !== 1 || !a || !b) {
      return null;
    }
    const aIsMethod = isRequestMethod(a, module, ev);
    const bIsMethod = isRequestMethod(b, module, ev);
    if (!aIsMethod && !bIsMethod) {
      return null;
    }
    const other = aIsMethod ? b : a;
    const values = literalStrings(other) ?? namedStrings(other, module, ev);
    if (!values) {
      return null;
    }
    const op = ops[0];
    // HEAD carries no body and Flask serves it with the GET view; code that tests for "GET"
    // means both, so HEAD is decided as GET (otherwise `if request.method == "GET": return`
    // would send every HEAD down the POST branch).
    const asMethod = method === "HEAD" ? "GET" : method;
    const inSet =
      values.map((v) => v.toUpperCase()).includes(asMethod) ||
      values.map((v) => v.toUpperCase()).includes(method);
    return decideMembership(op, inSet);
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
    if (
      (name === "validate_on_submit" || name === "is_submitted") &&
      !SUBMIT_METHODS.includes(method)
    ) {
      return false;
    }
  }

  return null;
}

function isRequestMethod(n: PyNode, module: Module, ev: Evaluator): boolean {
  const u = unparen(n);
  if (u.type !== "attribute" || child(u, "attribute")?.text !== "method") {
    return false;
  }
  const obj = child(u, "object");

  return (
    !!obj &&
    ev.eval(obj, module).some((v) => v.kind === "external" && v.qualname === "flask.request")
  );
}

/** Strings of a named constant: `UNSAFE = frozenset({"POST", "PUT"})`, `SAFE = ("GET", "HEAD")`. */
function namedStrings(n: PyNode, module: Module, ev: Evaluator): string[] | null {
  const out: string[] = [];
  for (const v of ev.eval(n, module)) {
    let seq: PyNode | null = v.kind === "sequence" ? v.node : null;
    if (
      v.kind === "call" &&
      v.callee.kind === "external" &&
      /^builtins\.(frozenset|set|tuple|list)$/.test(v.callee.qualname)
    ) {
      const arg = v.site.children.find((c) => c.field === "arguments")?.children[0];
      seq = arg && (arg.type === "set" || arg.type === "list" || arg.type === "tuple") ? arg : null;
    }
    if (v.kind === "const" && typeof v.value === "string") {
      out.push(v.value);
      continue;
    }
    const items = seq ? literalStrings(seq) : null;
    if (!items) {
      return null;
    }
    out.push(...items);
  }

  return out.length > 0 ? out : null;
}

function literalStrings(n: PyNode): string[] | null {
  const u = unparen(n);
  const s = stringValue(u);
  if (s !== null) {
    return [s];
  }
  if (u.type === "list" || u.type === "tuple" || u.type === "set") {
    const out: string[] = [];
    for (const c of u.children) {
      const v = stringValue(c);
      if (v === null) {
        return null;
      }
      out.push(v);
    }

    return out;
  }

  return null;
}

/**
 * Splits facts through `and`/`or`/`not` into the simplest conditions they imply. With `isTrue`,
 * a false `A and B` whose `A` is known true (a flag parameter defaulting to True) gives `B` false.
 */
export function atomicFacts(
  facts: readonly Fact[],
  isTrue?: (n: PyNode, m: Module) => boolean,
): Fact[] {
  const out: Fact[] = [];
  let chain: readonly Frame[] | undefined;
  const visit = (cond: PyNode, module: Module, holds: boolean, depth = 0) => {
    const n = unparen(cond);
    // Generated conditions can chain thousands of `or`s; past this depth they stay whole.
    if (depth > 64) {
      out.push({ cond: n, module, holds, chain });
      return;
    }
    if (n.type === "not_operator") {
      const inner = child(n, "argument");
      if (inner) {
        visit(inner, module, !holds, depth + 1);
      }
      return;
    }
    if (n.type === "boolean_operator") {
      const op = n.children.find((c) => c.field === "operator")?.text;
      const l = child(n, "left");
      const r = child(n, "right");
      // `A and B` true: both true. `A or B` false: both false. Otherwise nothing atomic follows.
      if ((op === "and" && holds) || (op === "or" && !holds)) {
        if (l) {
          visit(l, module, holds, depth + 1);
        }
        if (r) {
          visit(r, module, holds, depth + 1);
        }
        return;
      }
      if (op === "and" && !holds && isTrue && l && r) {
        if (isTrue(l, module)) {
          visit(r, module, false, depth + 1);
          return;
        }
        if (isTrue(r, module)) {
          visit(l, module, false, depth + 1);
          return;
        }
      }
    }
    out.push({ cond: n, module, holds, chain });
  };
  for (const f of facts) {
    chain = f.chain;
    visit(f.cond, f.module, f.holds);
  }

  return out;
}
