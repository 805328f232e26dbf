/**
 * Credentialed CORS set up outside a `CORS(app)` binding, for CORS001: Flask-CORS's per-view
 * `@cross_origin(...)` decorator, and hand-written headers, usually in an `after_request` hook,
 * that echo the request's Origin into `Access-Control-Allow-Origin` next to
 * `Access-Control-Allow-Credentials: true`. An echo guarded by an allowlist check (`if origin in
 * ALLOWED`, an early return when it is not, `origin if origin in ALLOWED else ...`) is not
 * reported; prefix checks (`startswith`) and unanchored patterns do not count as a guard.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import { credentialedAnyOrigin, isAnyOrigin } from "../../concepts/appsec.js";
import type { FlaskApp, Route } from "../../flask/model.js";
import type { PyNode } from "../../python/ast.js";
import {
  argument,
  callArgs,
  child,
  comparisonOperands,
  comparisonOperators,
  enclosingFunction,
  statements,
  stringValue,
  unparen,
  walk,
} from "../../python/ast.js";
import { matchesQualname } from "../../python/evaluate.js";
import type { Module } from "../../python/project.js";

const CROSS_ORIGIN = ["flask_cors.cross_origin", "flask_cors.decorator.cross_origin"];
const REQUEST = ["flask.request", "flask.globals.request"];

/** A `@cross_origin(...)` decorator that lets any site make credentialed requests. */
export interface CrossOriginSite {
  decorator: PyNode;
  module: Module;
  reason: string;
  routes: Route[];
}

export function crossOriginDecorators(ctx: AnalysisContext): CrossOriginSite[] {
  const out: CrossOriginSite[] = [];
  for (const { call, module } of ctx.ev.calls()) {
    const decorator = call.parent;
    const fn = child(call, "function");
    if (decorator?.type !== "decorator" || !fn || !/cross_origin/.test(module.text(fn))) {
      continue;
    }
    const isCrossOrigin = ctx.ev
      .eval(fn, module)
      .some((v) => v.kind === "external" && matchesQualname(v.qualname, CROSS_ORIGIN));
    if (!isCrossOrigin) {
      continue;
    }
    const def = decorator.parent ? child(decorator.parent, "definition") : undefined;
    const routes = ctx.flask.routes.filter((r) => r.handler.def === def);
    // Options the decorator leaves out come from the app's CORS_* configuration.
    const app: FlaskApp | null = routes[0]?.app ?? null;
    const keywords = callArgs(call).keywords;
    const reason = credentialedAnyOrigin(ctx, app, (name) => {
      const node = keywords.get(name);
      return node ? { node, module } : undefined;
    });
    if (reason) {
      out.push({ decorator, module, reason, routes });
    }
  }

  return out;
}

/** A hand-written `Access-Control-Allow-Origin` header that echoes the request's Origin. */
export interface ReflectedOrigin {
  /** The assignment or call that sets the header. */
  site: PyNode;
  module: Module;
  /** Where `Access-Control-Allow-Credentials: true` is set: the same function, or elsewhere. */
  credentials: { node: PyNode; module: Module; sameFunction: boolean };
}

interface HeaderWrite {
  name: string;
  value: PyNode;
  site: PyNode;
  module: Module;
}

const ALLOW_ORIGIN = "access-control-allow-origin";
const ALLOW_CREDENTIALS = "access-control-allow-credentials";

export function reflectedOrigins(ctx: AnalysisContext): ReflectedOrigin[] {
  const writes = headerWrites(ctx);
  const credentials = writes.filter((w) => w.name === ALLOW_CREDENTIALS && saysTrue(ctx, w));
  const out: ReflectedOrigin[] = [];
  for (const w of writes) {
    const fn = enclosingFunction(w.site);
    if (w.name !== ALLOW_ORIGIN || !fn || !reflects(ctx, w.value, w.module, fn, 0)) {
      continue;
    }
    if (guarded(ctx, w.site, fn, w.module)) {
      continue;
    }
    const same = credentials.find((c) => c.module === w.module && enclosingFunction(c.site) === fn);
    const other = credentials[0];
    const creds = same ?? other;
    if (creds) {
      out.push({
        site: w.site,
        module: w.module,
        credentials: { node: creds.site, module: creds.module, sameFunction: creds === same },
      });
    }
  }

  return out;
}

/**
 * Every place a CORS response header is set: `resp.headers["H"] = v`, `resp.headers.set("H", v)`
 * (also `add`, `setdefault`), `{"H": v}` (headers given to a response or `headers.update`), and
 * `("H", v)` pairs.
 */
function headerWrites(ctx: AnalysisContext): HeaderWrite[] {
  const out: HeaderWrite[] = [];
  for (const module of ctx.project.modules) {
    if (!/access-control-allow-origin/i.test(module.source)) {
      continue;
    }
    walk(module.root, (n) => {
      if (n.type !== "string") {
        return true;
      }
      const name = stringValue(n)?.toLowerCase();
      if (name === ALLOW_ORIGIN || name === ALLOW_CREDENTIALS) {
        const write = writeOf(n);
        if (write) {
          out.push({ name, ...write, module });
        }
      }

      return false;
    });
  }

  return out;
}

function writeOf(str: PyNode): { value: PyNode; site: PyNode } | null {
  const p = str.parent;
  if (!p) {
    return null;
  }
  if (p.type === "subscript" && child(p, "subscript") === str) {
    const assign = p.parent;
    const right =
      assign?.type === "assignment" && child(assign, "left") === p
        ? child(assign, "right")
        : undefined;

    return assign && right ? { value: right, site: assign } : null;
  }
  if (p.type === "argument_list" && p.parent?.type === "call") {
    const call = p.parent;
    const fn = child(call, "function");
    const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
    const args = callArgs(call).positional;
    if (
      args[0] === str &&
      args[1] &&
      method &&
      /^(set|add|setdefault|add_header|__setitem__)$/.test(method)
    ) {
      return { value: args[1], site: call };
    }

    return null;
  }
  if (p.type === "pair" && child(p, "key") === str) {
    const value = child(p, "value");

    return value ? { value, site: p } : null;
  }
  if (p.type === "tuple" && p.children[0] === str && p.children[1]) {
    return { value: p.children[1], site: p };
  }

  return null;
}

/** `"true"` (any case) or `True`. */
function saysTrue(ctx: AnalysisContext, w: HeaderWrite): boolean {
  return ctx.ev
    .eval(w.value, w.module)
    .some(
      (v) =>
        v.kind === "const" &&
        (v.value === true || (typeof v.value === "string" && v.value.toLowerCase() === "true")),
    );
}

const MAX_DEPTH = 6;

/**
 * Whether a header value is the request's Origin: read directly, or through local names assigned
 * from it, `origin or "*"`, or `origin if <not an allowlist check> else ...`.
 */
function reflects(
  ctx: AnalysisContext,
  node: PyNode,
  module: Module,
  fn: PyNode,
  depth: number,
): boolean {
  const n = unparen(node);
  if (depth > MAX_DEPTH) {
    return false;
  }
  if (readsOrigin(ctx, n, module)) {
    return true;
  }
  switch (n.type) {
    case "identifier": {
      const bindings = ctx.ev.bindingsOf(fn, module).get(n.text ?? "") ?? [];

      return bindings.some(
        (b) =>
          b.kind === "assign" && b.value !== null && reflects(ctx, b.value, module, fn, depth + 1),
      );
    }
    case "boolean_operator":
      return [child(n, "left"), child(n, "right")].some(
        (c) => c !== undefined && reflects(ctx, c, module, fn, depth + 1),
      );
    case "conditional_expression": {
      const [then, condition, otherwise] = n.children;
      if (!then || !condition || !otherwise || isOriginCheck(ctx, condition, module, fn)) {
        return false;
      }

      return (
        reflects(ctx, then, module, fn, depth + 1) ||
        reflects(ctx, otherwise, module, fn, depth + 1)
      );
    }
    default:
      return false;
  }
}

/** `request.origin`, `request.headers.get("Origin")`, `request.headers["Origin"]`, `request.environ["HTTP_ORIGIN"]`. */
function readsOrigin(ctx: AnalysisContext, n: PyNode, module: Module): boolean {
  if (n.type === "attribute") {
    const obj = child(n, "attribute")?.text === "origin" ? child(n, "object") : undefined;

    return obj !== undefined && isRequest(ctx, obj, module);
  }
  let holder: PyNode | undefined;
  let key: PyNode | undefined;
  if (n.type === "call") {
    const fn = child(n, "function");
    if (fn?.type === "attribute" && child(fn, "attribute")?.text === "get") {
      holder = child(fn, "object");
      key = argument(n, 0, "key");
    }
  } else if (n.type === "subscript") {
    holder = child(n, "value");
    key = child(n, "subscript");
  }
  const header = key ? stringValue(key)?.toLowerCase() : undefined;
  if (!holder || (header !== "origin" && header !== "http_origin") || holder.type !== "attribute") {
    return false;
  }
  const part = child(holder, "attribute")?.text;
  const obj = child(holder, "object");

  return (
    (part === "headers" || part === "environ") && obj !== undefined && isRequest(ctx, obj, module)
  );
}

function isRequest(ctx: AnalysisContext, n: PyNode, module: Module): boolean {
  return ctx.ev
    .eval(n, module)
    .some((v) => v.kind === "external" && matchesQualname(v.qualname, REQUEST));
}

/** Whether an enclosing condition, or an early exit before the write, checks the Origin. */
function guarded(ctx: AnalysisContext, site: PyNode, fn: PyNode, module: Module): boolean {
  let node: PyNode = site;
  while (node.parent && node !== fn) {
    const parent: PyNode = node.parent;
    if (
      parent.type === "if_statement" ||
      parent.type === "elif_clause" ||
      parent.type === "else_clause"
    ) {
      const ifStmt = parent.type === "if_statement" ? parent : parent.parent;
      const conditions = ifStmt
        ? [
            child(ifStmt, "condition"),
            ...ifStmt.children
              .filter((c) => c.type === "elif_clause")
              .map((c) => child(c, "condition")),
          ]
        : [];
      if (conditions.some((c) => c !== undefined && isOriginCheck(ctx, c, module, fn))) {
        return true;
      }
    }
    if (parent.type === "block") {
      for (const stmt of statements(parent)) {
        if (stmt === node) {
          break;
        }
        const condition = stmt.type === "if_statement" ? child(stmt, "condition") : undefined;
        if (
          condition &&
          exits(child(stmt, "consequence")) &&
          isOriginCheck(ctx, condition, module, fn)
        ) {
          return true;
        }
      }
    }
    node = parent;
  }

  return false;
}

/** A block that returns, raises or aborts. */
function exits(block: PyNode | undefined): boolean {
  return statements(block).some(
    (s) =>
      s.type === "return_statement" ||
      s.type === "raise_statement" ||
      (s.type === "expression_statement" &&
        s.children[0]?.type === "call" &&
        /abort/.test(child(s.children[0], "function")?.text ?? "")),
  );
}

/**
 * A condition that compares the Origin with something fixed: `origin in ALLOWED`, `origin ==
 * ...`, `origin.endswith(".example.com")`, `re.fullmatch(pattern, origin)`, `allowed(origin)`.
 * Truth tests (`if origin:`), `is None`, `startswith` and unanchored patterns are not checks: an
 * attacker's `https://app.example.com.attacker.net` passes them.
 */
function isOriginCheck(
  ctx: AnalysisContext,
  condition: PyNode,
  module: Module,
  fn: PyNode,
): boolean {
  let found = false;
  walk(condition, (n) => {
    if (found) {
      return false;
    }
    if (n.type === "comparison_operator") {
      const ops = comparisonOperators(n);
      const operands = comparisonOperands(n);
      const mentions = operands.some((o) => mentionsOrigin(ctx, o, module, fn));
      const fixedOther = operands.some(
        (o) => !mentionsOrigin(ctx, o, module, fn) && o.type !== "none" && stringValue(o) !== "",
      );
      if (mentions && fixedOther && ops.some((op) => ["in", "not in", "==", "!="].includes(op))) {
        found = true;
      }
    } else if (n.type === "call" && isCheckCall(ctx, n, module, fn)) {
      found = true;
    }

    return true;
  });

  return found;
}

function isCheckCall(ctx: AnalysisContext, call: PyNode, module: Module, fn: PyNode): boolean {
  const f = child(call, "function");
  const args = callArgs(call).positional;
  if (f?.type === "attribute") {
    const method = child(f, "attribute")?.text ?? "";
    const receiver = child(f, "object");
    if (receiver && mentionsOrigin(ctx, receiver, module, fn)) {
      if (method === "endswith") {
        const suffix = args[0] ? stringValue(args[0]) : null;
        // `.endswith("example.com")` also accepts `https://attacker-example.com`.
        return suffix !== null && (suffix.startsWith(".") || suffix.includes("://"));
      }

      return false;
    }
    if (
      /^(match|fullmatch|search)$/.test(method) &&
      args.some((a) => mentionsOrigin(ctx, a, module, fn))
    ) {
      const pattern = args[0] ? stringValue(args[0]) : null;
      if (method === "fullmatch") {
        return true;
      }

      return (
        pattern !== null &&
        !isAnyOrigin(pattern, true) &&
        (method === "match" || pattern.startsWith("^"))
      );
    }
  }

  // A function of the project's own, given the Origin: taken as an allowlist check.
  const projectFunction = f ? ctx.ev.eval(f, module).some((v) => v.kind === "function") : false;

  return projectFunction && args.some((a) => mentionsOrigin(ctx, a, module, fn));
}

function mentionsOrigin(ctx: AnalysisContext, node: PyNode, module: Module, fn: PyNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (
      !found &&
      (readsOrigin(ctx, n, module) || (n.type === "identifier" && reflects(ctx, n, module, fn, 0)))
    ) {
      found = true;
    }

    return !found;
  });

  return found;
}
