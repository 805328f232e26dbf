/**
 * Ownership checks: conditions that tie an object key chosen by the client to the signed-in
 * identity before the object is returned or changed. A check counts when it compares the
 * identity with the stored owner of a loaded item (`item["owner_id"] != current_user.id` then
 * abort), with a helper's parameter that carries such an item, or with the very request value the
 * key is built from (`if user_id != session["user_id"]: abort(403)`). Comparing the identity with
 * some other client value (an `owner_id` field in the body) proves nothing about the stored item.
 */

import type { AnalysisContext } from "../analysis/context.js";
import { roleCheckIn } from "../concepts/roles.js";
import { atomicFacts, type Fact } from "../concepts/walker.js";
import { classifyDynamoCall } from "../dynamo/ops.js";
import type { PyNode } from "../python/ast.js";
import {
  argument,
  child,
  comparisonOperands,
  comparisonOperators,
  unparen,
  walkScope,
} from "../python/ast.js";
import { type FlowContext, type FlowOrigin, flowOrigins, isClientOrigin } from "./flow.js";
import { keyComponents, keyOrigins } from "./sinks.js";

export interface OwnershipCheck {
  fact: Fact;
  node: PyNode;
}

/** The first fact among `facts` that checks ownership of an object keyed by `keyOrigins`. */
export function ownershipCheck(
  ctx: AnalysisContext,
  fc: FlowContext,
  facts: readonly Fact[],
  keyOrigins: FlowOrigin[],
): OwnershipCheck | null {
  const isTrue = (n: PyNode, m: Parameters<typeof flowOrigins>[1]) => {
    const values = ctx.ev.eval(n, m);
    return values.length > 0 && values.every((v) => v.kind === "const" && v.value === true);
  };
  // `if owner != me and role != "admin": abort(403)`: past it, the caller owns the item or is an
  // administrator. Either way the access is authorised.
  for (const f of facts) {
    if (ownerOrRole(ctx, fc, f, keyOrigins)) {
      return { fact: f, node: f.cond };
    }
  }
  for (const f of inlineHelpers(ctx, atomicFacts(facts, isTrue))) {
    const sides = equalitySides(f);
    if (!sides) {
      continue;
    }
    const [a, b] = sides;
    // The fact may sit in a helper: trace through the frames that led to it.
    const local: FlowContext = { ...fc, chain: f.chain ?? [] };
    const oa = flowOrigins(a, f.module, local);
    const ob = flowOrigins(b, f.module, local);
    if (ties(ctx, local, oa, ob, keyOrigins) || ties(ctx, local, ob, oa, keyOrigins)) {
      return { fact: f, node: f.cond };
    }
  }
  return null;
}

/** A false `A and B and ...` each of whose parts, false, is an ownership or a role check. */
function ownerOrRole(
  ctx: AnalysisContext,
  fc: FlowContext,
  f: Fact,
  keyOrigins: FlowOrigin[],
): boolean {
  const n = unparen(f.cond);
  if (
    f.holds ||
    n.type !== "boolean_operator" ||
    n.children.find((c) => c.field === "operator")?.text !== "and"
  ) {
    return false;
  }
  const parts: PyNode[] = [];
  const flatten = (x: PyNode, depth: number) => {
    const u = unparen(x);
    if (
      depth < 16 &&
      u.type === "boolean_operator" &&
      u.children.find((c) => c.field === "operator")?.text === "and"
    ) {
      for (const side of [child(u, "left"), child(u, "right")]) {
        if (side) {
          flatten(side, depth + 1);
        }
      }
    } else {
      parts.push(u);
    }
  };
  flatten(n, 0);
  let owner = false;
  for (const part of parts) {
    const fact: Fact = { cond: part, module: f.module, holds: false, chain: f.chain };
    if (roleCheckIn(ctx, [fact])) {
      continue;
    }
    const sides = equalitySides(fact);
    const local: FlowContext = { ...fc, chain: f.chain ?? [] };
    if (!sides) {
      return false;
    }
    const [a, b] = sides;
    const oa = flowOrigins(a, f.module, local);
    const ob = flowOrigins(b, f.module, local);
    if (!(ties(ctx, local, oa, ob, keyOrigins) || ties(ctx, local, ob, oa, keyOrigins))) {
      return false;
    }
    owner = true;
  }

  return owner;
}

/**
 * `if not can_edit(sheet, current_user): abort(403)`: a project helper's boolean result stands
 * for the conditions it returns, traced through a frame for the call so its parameters map back
 * to the caller's arguments.
 */
function inlineHelpers(ctx: AnalysisContext, facts: Fact[]): Fact[] {
  const out: Fact[] = [...facts];
  for (const f of facts) {
    const n = unparen(f.cond);
    if (n.type !== "call") {
      continue;
    }
    const fnExpr = child(n, "function");
    for (const v of fnExpr ? ctx.ev.eval(fnExpr, f.module) : []) {
      if (v.kind !== "function") {
        continue;
      }
      const frame = { call: n, module: f.module, fn: v.def };
      for (const ret of returnedConditions(v.def)) {
        out.push(
          ...atomicFacts([
            { cond: ret, module: v.module, holds: f.holds, chain: [...(f.chain ?? []), frame] },
          ]),
        );
      }
    }
  }

  return out;
}

/** The expressions a function returns, when it returns conditions (not literals or None). */
function returnedConditions(def: PyNode): PyNode[] {
  const out: PyNode[] = [];
  walkScope(child(def, "body") ?? def, (n) => {
    if (n.type === "return_statement" && n.children[0]) {
      const v = unparen(n.children[0]);
      if (
        v.type === "comparison_operator" ||
        v.type === "boolean_operator" ||
        v.type === "call" ||
        v.type === "not_operator"
      ) {
        out.push(v);
      }
    }
    return true;
  });

  return out;
}

/** `identity` on one side; a loaded item, a helper parameter, or the key's own input on the other. */
function ties(
  ctx: AnalysisContext,
  fc: FlowContext,
  identity: FlowOrigin[],
  other: FlowOrigin[],
  keyOrigins: FlowOrigin[],
): boolean {
  if (!identity.some((o) => o.kind === "identity") || identity.some(isClientOrigin)) {
    return false;
  }
  // A loaded item's stored owner: it must be the item the key names, not another one the
  // handler loaded (checking album A's owner says nothing about album B from the form).
  if (other.some((o) => o.kind === "param")) {
    return true;
  }
  const keyInputsOfSink = keyOrigins.filter(isClientOrigin);
  if (other.some((o) => o.kind === "db" && loadedBySameKey(ctx, fc, o, keyInputsOfSink))) {
    return true;
  }
  const keyInputs = keyOrigins.filter(isClientOrigin);

  return other.some(
    (o) =>
      isClientOrigin(o) &&
      keyInputs.some((k) => k.kind === "request" && k.part === o.part && k.key === o.key),
  );
}

/**
 * Whether a loaded item was read with the same client input as the sink's key (checking album
 * A's owner says nothing about album B). A read whose key cannot be traced to a request input is
 * given the benefit of the doubt.
 */
function loadedBySameKey(
  ctx: AnalysisContext,
  fc: FlowContext,
  load: FlowOrigin,
  keyInputs: FlowOrigin[],
): boolean {
  if (load.kind !== "db" || keyInputs.length === 0) {
    return true;
  }
  const op = classifyDynamoCall(load.op, load.module, ctx.ev);
  if (!op) {
    return true;
  }
  const traced = keyOrigins(
    { ...fc, chain: [...fc.chain, ...(load.frames ?? [])] },
    keyComponents(ctx, op),
  )
    .flatMap((k) => k.origins)
    .filter(isClientOrigin);
  if (traced.length === 0) {
    return true;
  }

  return traced.some((t) =>
    keyInputs.some(
      (k) => k.kind === "request" && t.kind === "request" && k.part === t.part && k.key === t.key,
    ),
  );
}

/** The two sides of an equality that holds (`a == b` true, `a != b` false, `compare_digest`). */
function equalitySides(f: Fact): [PyNode, PyNode] | null {
  const n = unparen(f.cond);
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);
    const [a, b] = comparisonOperands(n);
    if (ops.length !== 1 || !a || !b) {
      return null;
    }
    if (
      (ops[0] === "==" && f.holds) ||
      (ops[0] === "!=" && !f.holds) ||
      (ops[0] === "is" && f.holds) ||
      (ops[0] === "is not" && !f.holds)
    ) {
      return [a, b];
    }
    // `current_user.id in item["editors"]`
    if ((ops[0] === "in" && f.holds) || (ops[0] === "not in" && !f.holds)) {
      return [a, b];
    }

    return null;
  }
  if (n.type === "call" && f.holds) {
    const fn = child(n, "function");
    const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : fn?.text;
    const a = argument(n, 0);
    const b = argument(n, 1);
    if (name === "compare_digest" && a && b) {
      return [a, b];
    }
  }

  return null;
}
