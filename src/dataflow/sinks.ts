/**
 * DynamoDB argument roles and the flows into them: for each operation a route reaches, which
 * expressions are its key (Key dicts, key-condition builders, PynamoDB hash and range keys, the
 * item a PynamoDB instance was loaded by), its item, and its expression strings; and the flow
 * context (URL variables, call frames) to trace them back to request inputs and identity.
 */

import type { AnalysisContext } from "../analysis/context.js";
import type { RouteAnalysis, SinkAt } from "../concepts/route.js";
import type { DynamoOp } from "../dynamo/ops.js";
import type { PyNode } from "../python/ast.js";
import {
  callArgs,
  child,
  enclosingFunction,
  parameterNames,
  stringValue,
  unparen,
  walk,
} from "../python/ast.js";
import type { Module } from "../python/project.js";
import { type FlowContext, type FlowOrigin, flowOrigins, splatValue } from "./flow.js";

const PYNAMODB_INDEXES = [
  "pynamodb.indexes.GlobalSecondaryIndex",
  "pynamodb.indexes.LocalSecondaryIndex",
  "pynamodb.indexes.Index",
];

export const EXPRESSION_ARGS = [
  "UpdateExpression",
  "KeyConditionExpression",
  "FilterExpression",
  "ProjectionExpression",
  "ConditionExpression",
];

export interface KeyComponent {
  /** Attribute name when known (`"user_id"` in `Key={"user_id": ...}`). */
  name: string | null;
  expr: PyNode;
  module: Module;
}

/** The flow context for a sink reached by a route. */
export function flowContextFor(ctx: AnalysisContext, a: RouteAnalysis, sink: SinkAt): FlowContext {
  return { ctx, viewArgs: viewArgsOf(a), handler: a.route.handler.def, chain: sink.segment.chain };
}

/** Parameters of the handler that Flask fills from the URL rule. */
export function viewArgsOf(a: RouteAnalysis): string[] {
  const fromRule = [...a.route.path.matchAll(/<(?:[^:<>]+:)?([A-Za-z_][A-Za-z0-9_]*)>/g)].map(
    (m) => m[1]!,
  );
  const params = parameterNames(a.route.handler.def);

  return params.filter((p) => fromRule.includes(p));
}

/** Key components of an operation (empty when it is not keyed: scans, puts). */
export function keyComponents(ctx: AnalysisContext, op: DynamoOp): KeyComponent[] {
  const call = op.call;
  const args = callArgs(call);
  if (op.api === "pynamodb") {
    return pynamoKey(ctx, op);
  }
  const key = args.keywords.get("Key");
  if (key) {
    return dictComponents(ctx, key, op.module);
  }
  const kce = args.keywords.get("KeyConditionExpression");
  if (kce) {
    const fromBuilder = builderComponents(ctx, kce, op.module);
    if (fromBuilder.length > 0) {
      return fromBuilder;
    }
    const values = args.keywords.get("ExpressionAttributeValues");

    return values ? dictComponents(ctx, values, op.module) : [];
  }

  return [];
}

/** `{"user_id": x, "sk": y}`, following a local variable holding the dict. */
function dictComponents(ctx: AnalysisContext, expr: PyNode, module: Module): KeyComponent[] {
  const dict = resolveLocal(expr, module, ctx, "dictionary");
  if (!dict) {
    return [{ name: null, expr, module }];
  }
  const out: KeyComponent[] = [];
  for (const pair of dict.children) {
    if (pair.type === "pair") {
      const k = child(pair, "key");
      const v = child(pair, "value");
      if (v) {
        out.push({ name: k ? stringValue(k) : null, expr: v, module });
      }
    } else if (pair.type === "dictionary_splat" && splatValue(pair)) {
      out.push({ name: null, expr: splatValue(pair)!, module });
    }
  }

  return out;
}

/** `Key("owner_id").eq(x) & Key("sk").begins_with(y)`: each builder's attribute and value. */
function builderComponents(ctx: AnalysisContext, expr: PyNode, module: Module): KeyComponent[] {
  const root = resolveLocal(expr, module, ctx, null) ?? expr;
  const out: KeyComponent[] = [];
  walk(root, (n) => {
    if (n.type !== "call") {
      return true;
    }
    const fn = child(n, "function");
    const inner = fn?.type === "attribute" ? child(fn, "object") : undefined;
    if (inner?.type === "call" && isConditionClass(ctx, inner, module)) {
      const nameArg = callArgs(inner).positional[0];
      const value = callArgs(n).positional[0];
      if (value) {
        out.push({ name: nameArg ? stringValue(nameArg) : null, expr: value, module });
      }
    }
    return true;
  });

  return out;
}

/** A call to `boto3.dynamodb.conditions.Key(...)` or `Attr(...)`. */
export function isConditionClass(ctx: AnalysisContext, call: PyNode, module: Module): boolean {
  const fn = child(call, "function");

  return (
    !!fn &&
    ctx.ev
      .eval(fn, module)
      .some(
        (v) =>
          v.kind === "external" && /^boto3\.dynamodb\.conditions\.(Key|Attr)$/.test(v.qualname),
      )
  );
}

/** Whether an expression argument is built with condition builders rather than as a string. */
export function usesConditionBuilders(ctx: AnalysisContext, expr: PyNode, module: Module): boolean {
  const root = resolveLocal(expr, module, ctx, null) ?? expr;
  let found = false;
  walk(root, (n) => {
    if (n.type === "call" && isConditionClass(ctx, n, module)) {
      found = true;
    }
    return !found;
  });

  return found;
}

/** The value assigned to a local name (its only assignment), when `expr` is such a name. */
function resolveLocal(
  expr: PyNode,
  module: Module,
  ctx: AnalysisContext,
  type: string | null,
): PyNode | null {
  const n = unparen(expr);
  if (type === null || n.type === type) {
    if (n.type !== "identifier") {
      return n;
    }
  }
  if (n.type !== "identifier") {
    return null;
  }
  const fn = enclosingFunction(n);
  const bindings = fn ? ctx.ev.bindingsOf(fn, module).get(n.text ?? "") : undefined;
  const values = (bindings ?? []).flatMap((b) =>
    b.kind === "assign" && b.value ? [unparen(b.value)] : [],
  );
  const match = values.find((v) => type === null || v.type === type);

  return match ?? null;
}

/**
 * PynamoDB keys: `Model.get(hash, range)`, `Model.query(hash, range_key_condition)`; for instance
 * operations (`order.update(...)`), the key the instance was loaded by or constructed with.
 */
function pynamoKey(ctx: AnalysisContext, op: DynamoOp): KeyComponent[] {
  const call = op.call;
  const fn = child(call, "function");
  const receiver = fn?.type === "attribute" ? child(fn, "object") : undefined;
  if (!receiver) {
    return [];
  }
  // `Order.get(id)` on the model class, or `Order.by_customer.query(id)` on one of its indexes:
  // the positional arguments are the hash and range keys.
  const isClass = ctx.ev
    .eval(receiver, op.module)
    .some(
      (v) =>
        v.kind === "class" ||
        (v.kind === "instance" && ctx.ev.classDerivesFrom(v.cls, v.clsModule, PYNAMODB_INDEXES)),
    );
  if (isClass) {
    const args = callArgs(call);
    const hash = args.positional[0] ?? args.keywords.get("hash_key");
    const range = args.positional[1] ?? args.keywords.get("range_key");

    return [hash, range]
      .filter((x): x is PyNode => !!x)
      .map((expr, i) => ({ name: i === 0 ? "hash_key" : "range_key", expr, module: op.module }));
  }

  // An instance: the expression it came from carries its key's origins.
  return [{ name: null, expr: receiver, module: op.module }];
}

/** Origins of each key component. */
export function keyOrigins(
  fc: FlowContext,
  comps: KeyComponent[],
): { comp: KeyComponent; origins: FlowOrigin[] }[] {
  return comps.map((comp) => ({ comp, origins: flowOrigins(comp.expr, comp.module, fc) }));
}
