/**
 * The DynamoDB model: which calls are DynamoDB operations, whether they read or write, which table
 * they touch and which arguments carry the key, the item and the expressions. Covers boto3's
 * resource `Table` objects (however they travel: globals, getters, attributes, wrapper classes),
 * the low-level client, `batch_writer`, transactions, and PynamoDB models.
 */

import type { PyNode } from "../python/ast.js";
import { argument, callArgs, child, statements, stringValue } from "../python/ast.js";
import type { Evaluator, Value } from "../python/evaluate.js";
import { matchesQualname } from "../python/evaluate.js";
import type { Module } from "../python/project.js";

export type DynamoApi = "resource" | "client" | "pynamodb";

export interface DynamoOp {
  call: PyNode;
  module: Module;
  op: string;
  write: boolean;
  table: string | null;
  api: DynamoApi;
  /** High when the receiver is known to be DynamoDB; medium when only the method name says so. */
  confidence: "high" | "medium";
}

const WRITE_OPS = new Set([
  "put_item",
  "update_item",
  "delete_item",
  "batch_write_item",
  "transact_write_items",
  "execute_transaction",
  "create_table",
  "delete_table",
  "update_table",
]);
const READ_OPS = new Set(["get_item", "query", "scan", "batch_get_item", "transact_get_items"]);
/** Names used by nothing but DynamoDB in practice: enough on their own, at medium confidence. */
const DISTINCTIVE = new Set([
  "put_item",
  "update_item",
  "delete_item",
  "batch_write_item",
  "transact_write_items",
  "get_item",
  "batch_get_item",
  "transact_get_items",
]);

const PYNAMODB_MODEL = ["pynamodb.models.Model"];
const PYNAMODB_INDEX = [
  "pynamodb.indexes.GlobalSecondaryIndex",
  "pynamodb.indexes.LocalSecondaryIndex",
  "pynamodb.indexes.Index",
];
const PYNAMODB_CLASS_READS = new Set(["get", "query", "scan", "batch_get", "count", "exists"]);
const PYNAMODB_CLASS_WRITES = new Set(["batch_write", "create_table", "delete_table"]);
const PYNAMODB_INSTANCE_WRITES = new Set(["save", "update", "delete"]);
const PYNAMODB_INSTANCE_READS = new Set(["refresh"]);

export function classifyDynamoCall(call: PyNode, module: Module, ev: Evaluator): DynamoOp | null {
  const fn = child(call, "function");
  if (fn?.type !== "attribute") {
    return null;
  }
  const method = child(fn, "attribute")?.text ?? "";
  const receiver = child(fn, "object");
  if (!receiver) {
    return null;
  }
  const values = ev.eval(receiver, module);

  // PynamoDB indexes: `Order.by_customer.query(customer_id)`.
  for (const v of values) {
    if (
      v.kind === "instance" &&
      ev.classDerivesFrom(v.cls, v.clsModule, PYNAMODB_INDEX) &&
      (method === "query" || method === "scan" || method === "count")
    ) {
      return {
        call,
        module,
        op: method,
        write: false,
        table: null,
        api: "pynamodb",
        confidence: "high",
      };
    }
  }

  // PynamoDB: `Order.get(...)`, `order.save()`, `Customer(**data).save()`.
  for (const v of values) {
    const model = pynamoModel(v, ev);
    if (!model) {
      continue;
    }
    const isClass = v.kind === "class";
    const write = isClass
      ? PYNAMODB_CLASS_WRITES.has(method)
      : PYNAMODB_INSTANCE_WRITES.has(method);
    const read = isClass ? PYNAMODB_CLASS_READS.has(method) : PYNAMODB_INSTANCE_READS.has(method);
    if (write || read) {
      return {
        call,
        module,
        op: method,
        write,
        table: pynamoTableName(model.def),
        api: "pynamodb",
        confidence: "high",
      };
    }
  }

  // `client.get_paginator("query").paginate(...)`: the paginated operation, a read.
  if (method === "paginate") {
    for (const v of values) {
      if (
        v.kind === "call" &&
        v.callee.kind === "member" &&
        v.callee.name === "get_paginator" &&
        dynamoKind(v.callee.of, ev)
      ) {
        const opArg = argument(v.site, 0, "operation_name");
        const op = opArg ? stringValue(opArg) : null;
        if (op && READ_OPS.has(op)) {
          return {
            call,
            module,
            op,
            write: false,
            table: tableName(call, values, ev, module),
            api: "client",
            confidence: "high",
          };
        }
      }
    }
    return null;
  }
  const isWrite = WRITE_OPS.has(method);
  if (!isWrite && !READ_OPS.has(method) && method !== "execute_statement") {
    return null;
  }
  const kind = values.map((v) => dynamoKind(v, ev)).find((k) => k !== null) ?? null;
  if (!kind && !DISTINCTIVE.has(method)) {
    return null;
  }
  let write = isWrite;
  if (method === "execute_statement") {
    // PartiQL: SELECT reads, anything else writes. An f-string's literal head tells the verb.
    const stmt = argument(call, -1, "Statement");
    const head = stmt ? leadingText(stmt) : "";
    write = !/^\s*select\b/i.test(head);
  }

  return {
    call,
    module,
    op: method,
    write,
    table: tableName(call, values, ev, module),
    api: kind === "client" ? "client" : "resource",
    confidence: kind ? "high" : "medium",
  };
}

/** What kind of DynamoDB object a value is: a resource table/writer or a low-level client. */
export function dynamoKind(v: Value, ev: Evaluator, depth = 0): "resource" | "client" | null {
  if (depth > 8) {
    return null;
  }
  if (v.kind === "call") {
    const callee = v.callee;
    if (
      callee.kind === "external" &&
      /(^|\.)(resource|client)$/.test(callee.qualname) &&
      callee.qualname.startsWith("boto3")
    ) {
      return serviceIsDynamo(v.site)
        ? callee.qualname.endsWith("client")
          ? "client"
          : "resource"
        : null;
    }
    if (callee.kind === "member") {
      if ((callee.name === "resource" || callee.name === "client") && serviceIsDynamo(v.site)) {
        return callee.name;
      }
      if (callee.name === "Table" || callee.name === "batch_writer") {
        return "resource";
      }

      return dynamoKind(callee.of, ev, depth + 1);
    }
  }
  if (v.kind === "member") {
    if (v.name === "meta") {
      return null;
    }

    return dynamoKind(v.of, ev, depth + 1);
  }

  return null;
}

function serviceIsDynamo(call: PyNode): boolean {
  const first = argument(call, 0, "service_name");

  return !!first && stringValue(first) === "dynamodb";
}

function pynamoModel(v: Value, ev: Evaluator): { def: PyNode; module: Module } | null {
  if (v.kind === "class" && ev.classDerivesFrom(v.def, v.module, PYNAMODB_MODEL)) {
    return { def: v.def, module: v.module };
  }
  if (v.kind === "instance" && ev.classDerivesFrom(v.cls, v.clsModule, PYNAMODB_MODEL)) {
    return { def: v.cls, module: v.clsModule };
  }
  // `Order.get(id)` returns an instance of the model.
  if (v.kind === "call" && v.callee.kind === "member" && PYNAMODB_CLASS_READS.has(v.callee.name)) {
    return pynamoModel(v.callee.of, ev);
  }

  return null;
}

/** `class Meta: table_name = "orders"` inside a PynamoDB model. */
function pynamoTableName(cls: PyNode): string | null {
  for (const stmt of statements(child(cls, "body"))) {
    if (stmt.type === "class_definition" && child(stmt, "name")?.text === "Meta") {
      for (const s of statements(child(stmt, "body"))) {
        const assign = s.children[0];
        if (assign?.type === "assignment" && child(assign, "left")?.text === "table_name") {
          const right = child(assign, "right");

          return right ? stringValue(right) : null;
        }
      }
    }
  }

  return null;
}

function tableName(call: PyNode, receiver: Value[], ev: Evaluator, module: Module): string | null {
  const kw = callArgs(call).keywords.get("TableName");
  if (kw) {
    return constString(kw, module, ev);
  }
  for (const v of receiver) {
    const name = tableOf(v, ev);
    if (name !== undefined) {
      return name;
    }
  }

  return null;
}

function tableOf(v: Value, ev: Evaluator, depth = 0): string | null | undefined {
  if (depth > 6) {
    return undefined;
  }
  if (v.kind === "call" && v.callee.kind === "member") {
    if (v.callee.name === "Table") {
      const arg = argument(v.site, 0, "name");

      return arg ? constString(arg, v.module, ev) : null;
    }

    return tableOf(v.callee.of, ev, depth + 1);
  }
  if (v.kind === "member") {
    return tableOf(v.of, ev, depth + 1);
  }

  return undefined;
}

/** The literal text at the start of a string or f-string (what precedes the first `{}`). */
function leadingText(node: PyNode): string {
  if (node.type !== "string") {
    return stringValue(node) ?? "";
  }
  let out = "";
  for (const c of node.children) {
    if (c.type === "interpolation") {
      break;
    }
    if (c.type === "string_content") {
      out += c.text ?? "";
    }
  }

  return out;
}

function constString(node: PyNode, module: Module, ev: Evaluator): string | null {
  const s = stringValue(node);
  if (s !== null) {
    return s;
  }
  // A table getter called with several names (`table("users")`, `table("notes")`) names none.
  const values = ev.eval(node, module);
  const strings = [
    ...new Set(
      values.flatMap((x) => (x.kind === "const" && typeof x.value === "string" ? [x.value] : [])),
    ),
  ];

  return strings.length === 1 && values.length === 1 ? strings[0]! : null;
}

export { matchesQualname };
