/**
 * Which attributes a DynamoDB write stores, and from which expression each value comes: the keys of
 * a `put_item` Item (resource or client form, `batch_writer`, transaction and batch entries), the
 * targets of an UpdateExpression's SET/ADD/REMOVE/DELETE clauses with `#name` placeholders resolved
 * through ExpressionAttributeNames and `:value` placeholders through ExpressionAttributeValues,
 * the legacy `AttributeUpdates`, and PynamoDB's `Model(attr=...)` before `save()` and
 * `update(actions=[Model.attr.set(v)])`. Names the code does not spell out (a `**` spread, an
 * expression built at run time) are not listed.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import type { DynamoOp } from "../../dynamo/ops.js";
import type { PyNode } from "../../python/ast.js";
import {
  argument,
  callArgs,
  child,
  enclosingFunction,
  stringValue,
  unparen,
  walk,
} from "../../python/ast.js";
import type { Module } from "../../python/project.js";

export interface WrittenAttribute {
  /** The attribute name as stored. */
  name: string;
  /** Where the name is written (the Item key, the UpdateExpression, the keyword). */
  node: PyNode;
  module: Module;
  /** The value expression, when one is known (REMOVE has none). */
  value: PyNode | null;
}

/** Parameter lookup over a call's keywords or a transaction entry's dict. */
type Params = (name: string) => { node: PyNode; module: Module } | undefined;

export function writtenAttributes(ctx: AnalysisContext, op: DynamoOp): WrittenAttribute[] {
  if (!op.write) {
    return [];
  }
  if (op.api === "pynamodb") {
    return pynamoWrites(ctx, op);
  }
  const kw = callArgs(op.call).keywords;
  const params: Params = (name) => {
    const node = kw.get(name);
    return node ? { node, module: op.module } : undefined;
  };
  if (op.op === "put_item" || op.op === "update_item") {
    return fromParams(ctx, params);
  }
  if (op.op === "transact_write_items" || op.op === "batch_write_item") {
    const arg = kw.get("TransactItems") ?? kw.get("RequestItems") ?? argument(op.call, 0);

    return arg ? nestedWrites(ctx, arg, op.module) : [];
  }

  return [];
}

function fromParams(ctx: AnalysisContext, params: Params): WrittenAttribute[] {
  const out: WrittenAttribute[] = [];
  const item = params("Item");
  if (item) {
    out.push(...dictEntries(ctx, item.node, item.module));
  }
  const legacy = params("AttributeUpdates");
  if (legacy) {
    out.push(...dictEntries(ctx, legacy.node, legacy.module));
  }
  const update = params("UpdateExpression");
  if (update) {
    out.push(
      ...updateTargets(
        ctx,
        update,
        params("ExpressionAttributeNames"),
        params("ExpressionAttributeValues"),
      ),
    );
  }

  return out;
}

/** Transaction and batch entries: every literal dict below `node` that holds an Item or an update. */
function nestedWrites(ctx: AnalysisContext, node: PyNode, module: Module): WrittenAttribute[] {
  const out: WrittenAttribute[] = [];
  const root = resolveLiteral(ctx, node, module);
  if (!root) {
    return out;
  }
  walk(root.node, (n) => {
    if (n.type !== "dictionary") {
      return true;
    }
    const entries = new Map(literalPairs(n).map((p) => [p.name, p.value]));
    if (entries.has("Item") || entries.has("UpdateExpression")) {
      out.push(
        ...fromParams(ctx, (name) => {
          const v = entries.get(name);
          return v ? { node: v, module: root.module } : undefined;
        }),
      );
      return false;
    }
    return true;
  });

  return out;
}

/** The string keys of a dict literal (or a local bound to one, or `dict(k=v)`). */
export function dictEntries(
  ctx: AnalysisContext,
  node: PyNode,
  module: Module,
): WrittenAttribute[] {
  const n = unparen(node);
  if (n.type === "call") {
    const fn = child(n, "function");
    if (fn?.type === "identifier" && fn.text === "dict") {
      return [...callArgs(n).keywords].map(([name, value]) => ({
        name,
        node: value.parent ?? value,
        module,
        value,
      }));
    }
  }
  const lit = resolveLiteral(ctx, n, module);
  if (lit?.node.type !== "dictionary") {
    return [];
  }

  return literalPairs(lit.node).map((p) => ({
    name: p.name,
    node: p.key,
    module: lit.module,
    value: p.value,
  }));
}

function literalPairs(dict: PyNode): { name: string; key: PyNode; value: PyNode }[] {
  const out: { name: string; key: PyNode; value: PyNode }[] = [];
  for (const pair of dict.children) {
    if (pair.type !== "pair") {
      continue;
    }
    const key = child(pair, "key");
    const value = child(pair, "value");
    const name = key ? stringValue(key) : null;
    if (key && value && name !== null) {
      out.push({ name, key, value });
    }
  }

  return out;
}

/** A literal the expression denotes: itself, or what a name is bound to. */
function resolveLiteral(
  ctx: AnalysisContext,
  node: PyNode,
  module: Module,
): { node: PyNode; module: Module } | null {
  const n = unparen(node);
  if (n.type === "dictionary" || n.type === "list" || n.type === "tuple") {
    return { node: n, module };
  }
  for (const v of ctx.ev.eval(n, module)) {
    if (v.kind === "dict" || v.kind === "sequence") {
      return { node: v.node, module: v.module };
    }
  }

  return null;
}

/**
 * `SET #r = :role, updated_at = :now ADD credits :n REMOVE banned`: each target's name, with
 * placeholders resolved, and the value expression its `:placeholder` stands for.
 */
function updateTargets(
  ctx: AnalysisContext,
  update: { node: PyNode; module: Module },
  names: { node: PyNode; module: Module } | undefined,
  values: { node: PyNode; module: Module } | undefined,
): WrittenAttribute[] {
  const nameMap = new Map(
    (names ? dictEntries(ctx, names.node, names.module) : []).flatMap((e) => {
      const s = e.value ? stringValue(e.value) : null;
      return s === null ? [] : [[e.name, s] as const];
    }),
  );
  const valueMap = new Map(
    (values ? dictEntries(ctx, values.node, values.module) : []).map((e) => [e.name, e.value]),
  );
  const text = constantText(ctx, update.node, update.module);
  if (text === null) {
    // An expression built at run time: the names it may use are still those it declares.
    return [...nameMap.values()].map((name) => ({
      name,
      node: names!.node,
      module: names!.module,
      value: null,
    }));
  }
  const out: WrittenAttribute[] = [];
  for (const clause of clauses(text)) {
    for (const part of splitTopLevel(clause.body)) {
      const target =
        clause.keyword === "SET" ? (part.split("=")[0] ?? "") : (part.trim().split(/\s+/)[0] ?? "");
      const first = target.trim().split(/[.[]/)[0] ?? "";
      const name = first.startsWith("#") ? nameMap.get(first) : first;
      if (!name) {
        continue;
      }
      const placeholder =
        clause.keyword === "REMOVE"
          ? null
          : (/:[A-Za-z0-9_]+/.exec(
              clause.keyword === "SET" ? part.slice(part.indexOf("=") + 1) : part,
            )?.[0] ?? null);
      out.push({
        name,
        node: update.node,
        module: update.module,
        value: placeholder ? (valueMap.get(placeholder) ?? null) : null,
      });
    }
  }

  return out;
}

function constantText(ctx: AnalysisContext, node: PyNode, module: Module): string | null {
  const s = stringValue(unparen(node));
  if (s !== null) {
    return s;
  }
  const values = ctx.ev.eval(node, module);
  const v = values[0];

  return values.length === 1 && v?.kind === "const" && typeof v.value === "string" ? v.value : null;
}

function clauses(text: string): { keyword: string; body: string }[] {
  const out: { keyword: string; body: string }[] = [];
  const re = /\b(SET|ADD|REMOVE|DELETE)\b/gi;
  const marks: { keyword: string; start: number; end: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    marks.push({ keyword: m[1]!.toUpperCase(), start: m.index, end: m.index + m[0].length });
  }
  for (const [i, mark] of marks.entries()) {
    out.push({
      keyword: mark.keyword,
      body: text.slice(mark.end, marks[i + 1]?.start ?? text.length),
    });
  }

  return out;
}

/** Splits on commas outside parentheses: `a = list_append(a, :x), b = :y`. */
function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
    } else if (c === "," && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));

  return out.filter((p) => p.trim() !== "");
}

/**
 * PynamoDB: `User(role=form["role"]).save()`, `user.role = x; user.save()`, and
 * `user.update(actions=[User.role.set(x)])`.
 */
function pynamoWrites(ctx: AnalysisContext, op: DynamoOp): WrittenAttribute[] {
  const out: WrittenAttribute[] = [];
  const fn = child(op.call, "function");
  const receiver = fn?.type === "attribute" ? child(fn, "object") : undefined;
  if (!receiver) {
    return out;
  }
  if (op.op === "update") {
    const actions = argument(op.call, 0, "actions");
    if (actions) {
      walk(actions, (n) => {
        if (n.type === "call") {
          const f = child(n, "function");
          const attr = f?.type === "attribute" ? child(f, "object") : undefined;
          const name = attr?.type === "attribute" ? child(attr, "attribute")?.text : undefined;
          if (
            name &&
            /^(set|add|remove|append|prepend|delete)$/.test(child(f!, "attribute")?.text ?? "")
          ) {
            out.push({ name, node: n, module: op.module, value: argument(n, 0) ?? null });
          }
        }
        return true;
      });
    }
    return out;
  }
  if (op.op !== "save") {
    return out;
  }
  for (const v of ctx.ev.eval(receiver, op.module)) {
    if (v.kind === "instance" && v.site) {
      for (const [name, value] of callArgs(v.site).keywords) {
        out.push({ name, node: value.parent ?? value, module: v.module, value });
      }
    }
  }
  // `obj.attr = value` in the function that saves `obj`.
  const scope = enclosingFunction(op.call);
  const receiverText = op.module.text(receiver);
  if (scope) {
    walk(scope, (n) => {
      if (n.type === "assignment") {
        const left = child(n, "left");
        const obj = left?.type === "attribute" ? child(left, "object") : undefined;
        const name = left?.type === "attribute" ? child(left, "attribute")?.text : undefined;
        if (obj && name && op.module.text(obj) === receiverText) {
          out.push({ name, node: n, module: op.module, value: child(n, "right") ?? null });
        }
      }
      return n.type !== "function_definition" || n === scope;
    });
  }

  return out;
}
