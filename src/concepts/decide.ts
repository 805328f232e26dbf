/**
 * Conditions decided by the route a request is for: `request.path.startswith("/admin")`,
 * `request.path == "/health"`, `request.blueprint == "api"`. Hooks run for many routes and often
 * branch on these; for one route the branch is known. Only the literal part of the route's rule
 * is compared, so a prefix that reaches into a converter stays undecided.
 */

import type { Route } from "../flask/model.js";
import type { PyNode } from "../python/ast.js";
import {
  argument,
  child,
  comparisonOperands,
  comparisonOperators,
  stringValue,
  unparen,
} from "../python/ast.js";
import type { Evaluator } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import { isFlaskRequest } from "./sources.js";

/**
 * `request.path.startswith("/admin")`, `request.path == "/admin"`, `request.blueprint == "admin"`
 * decided for the route, or null. Only the literal part of the route's rule is compared, so a
 * prefix that reaches into a converter stays undecided.
 */
export function decideUnderRoute(
  ev: Evaluator,
  node: PyNode,
  module: Module,
  route: Route,
): boolean | null {
  const n = unparen(node);
  if (n.type === "not_operator") {
    const inner = child(n, "argument");
    const d = inner ? decideUnderRoute(ev, inner, module, route) : null;

    return d === null ? null : !d;
  }
  const literal = route.path.split("<")[0] ?? "";
  if (n.type === "call") {
    const fn = child(n, "function");
    const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;
    if (
      child(fn!, "attribute")?.text !== "startswith" ||
      !obj ||
      requestAttribute(ev, obj, module) !== "path"
    ) {
      return null;
    }
    const arg = argument(n, 0);
    const prefixes = arg ? literalStrings(arg) : null;
    if (!prefixes) {
      return null;
    }
    if (prefixes.some((p) => literal.startsWith(p))) {
      return true;
    }

    return route.path.includes("<") && prefixes.some((p) => p.startsWith(literal)) ? null : false;
  }
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);
    const [a, b] = comparisonOperands(n);
    if (ops.length !== 1 || !a || !b) {
      return null;
    }
    const attr = requestAttribute(ev, a, module);
    const values = literalStrings(b);
    if (!values || (attr !== "path" && attr !== "blueprint")) {
      return null;
    }
    if (attr === "path" && route.path.includes("<")) {
      return null;
    }
    const actual = attr === "path" ? route.path : (route.blueprint?.name ?? null);
    return decideMembership(ops[0], actual !== null && values.includes(actual));
  }

  return null;
}

/** `path` for `request.path`, `blueprint` for `request.blueprint`, else null. */
function requestAttribute(ev: Evaluator, node: PyNode, module: Module): string | null {
  const n = unparen(node);
  const obj = n.type === "attribute" ? child(n, "object") : undefined;
  const attr = n.type === "attribute" ? child(n, "attribute")?.text : undefined;
  if (!obj || !attr || !isFlaskRequest(obj, module, ev)) {
    return null;
  }

  return attr === "path" || attr === "blueprint" ? attr : null;
}

function literalStrings(node: PyNode): string[] | null {
  const n = unparen(node);
  const s = stringValue(n);
  if (s !== null) {
    return [s];
  }
  if (n.type !== "tuple" && n.type !== "list" && n.type !== "set") {
    return null;
  }
  const out = n.children.map((c) => stringValue(c));

  return out.every((x): x is string => x !== null) ? out : null;
}

/**
 * The truth of `x == v`, `x in vs`, `x != v` or `x not in vs` once it is known whether x is among
 * the values; null for other operators.
 */
export function decideMembership(op: string | undefined, inSet: boolean): boolean | null {
  switch (op) {
    case "==":
    case "in":
      return inSet;
    case "!=":
    case "not in":
      return !inSet;
    default:
      return null;
  }
}
