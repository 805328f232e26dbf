/**
 * DYNAMO001 expression-injection: DynamoDB expression strings (update, key-condition, filter,
 * projection, condition) whose text is built from client input.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import type { FlowContext } from "../../dataflow/flow.js";
import { flowOrigins, isClientOrigin, splatValue } from "../../dataflow/flow.js";
import { EXPRESSION_ARGS, flowContextFor, usesConditionBuilders } from "../../dataflow/sinks.js";
import type { PyNode } from "../../python/ast.js";
import {
  callArgs,
  child,
  enclosingFunction,
  stringValue,
  unparen,
  walk,
  walkScope,
} from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import type { Rule, RuleFinding } from "../types.js";
import { chainEvidence, describeOrigin, originEvidence, routeSinks } from "./common.js";

export const dynamo001: Rule = {
  id: "DYNAMO001",
  name: "expression-injection",
  family: "data",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-943"],
  owasp: ["API8:2023", "A03:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "A DynamoDB expression string is built from client input",
  docs: {
    whatItDoes:
      "Traces request values and the keys of request mappings into the text of UpdateExpression, KeyConditionExpression, FilterExpression, ProjectionExpression and ConditionExpression, through f-strings, `%`, `.format()`, `+`, `+=` and `join`. Values passed through ExpressionAttributeValues, names passed through ExpressionAttributeNames placeholders, `Key()`/`Attr()` builders, numbers from casts and names that passed a constant allowlist are not reported.",
    why: "DynamoDB expressions have their own syntax: a value such as `title, :q) OR contains(title` rewrites a filter's logic (AND binds tighter than OR), and a client-chosen update clause can set attributes the route never meant to touch.",
    example: `import boto3
from flask import Flask, jsonify, request, session

app = Flask(__name__)
recipes = boto3.resource("dynamodb").Table("recipes")


@app.get("/search")
def search():
    field = request.args["field"]
    result = recipes.scan(
        FilterExpression=f"owner_id = :o AND contains({field}, :q)",
        ExpressionAttributeValues={":o": session["cook_id"], ":q": request.args["q"]},
    )
    return jsonify(result["Items"])
`,
    useInstead: `import boto3
from boto3.dynamodb.conditions import Attr
from flask import Flask, jsonify, request, session

app = Flask(__name__)
recipes = boto3.resource("dynamodb").Table("recipes")
SEARCHABLE = ("title", "tags")


@app.get("/search")
def search():
    field = request.args["field"]
    if field not in SEARCHABLE:
        field = "title"
    result = recipes.scan(
        FilterExpression=Attr("owner_id").eq(session["cook_id"]) & Attr(field).contains(request.args["q"]),
    )
    return jsonify(result["Items"])
`,
    fixSafety: "No automatic edit.",
    knownProblems:
      "An allowlist check written as a helper function (rather than `x in CONSTANT`) is not recognised as sanitising.",
    references: [
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { a, sink } of routeSinks(ctx)) {
      const fc = flowContextFor(ctx, a, sink);
      for (const { name, arg } of expressionArguments(sink.op.call)) {
        if (usesConditionBuilders(ctx, arg, sink.op.module)) {
          continue;
        }
        const source = flowOrigins(arg, sink.op.module, fc).find(
          (o) => isClientOrigin(o) && !o.cast,
        );
        // `f"#{k} = :{k}"`: client text only inside placeholder names, which DynamoDB checks
        // against ExpressionAttributeNames/Values (AUTHZ003 covers the client choosing names).
        if (!source || onlyInPlaceholders(ctx, arg, sink.op.module, fc)) {
          continue;
        }
        out.push({
          anchor: anchorAt(sink.op.module, sink.op.call),
          route: a.route,
          message: `${name} of ${sink.op.op} is built from ${describeOrigin(source)}: the client can rewrite the expression; pass values through ExpressionAttributeValues, names through ExpressionAttributeNames after an allowlist, or use Key()/Attr().`,
          evidence: [
            originEvidence(source, `${describeOrigin(source)} enters the expression text`),
            ...chainEvidence(sink),
            {
              file: sink.op.module.path,
              line: sink.op.module.line(arg),
              note: `${name} built here`,
            },
          ],
          fingerprint: `${a.route.handler.qualname} ${name} ${sink.op.module.text(sink.op.call).slice(0, 80)}`,
        });
        break;
      }
    }

    return out;
  },
};

/**
 * Whether every f-string interpolation that carries client text, in the expression and in the
 * local variables and lists it is built from, sits right after `#` or `:` (a placeholder name).
 */
function onlyInPlaceholders(
  ctx: AnalysisContext,
  arg: PyNode,
  module: Module,
  fc: FlowContext,
): boolean {
  const strings: PyNode[] = [];
  const seen = new Set<PyNode>();
  const collect = (expr: PyNode, depth: number) => {
    if (seen.has(expr) || depth > 3) {
      return;
    }
    seen.add(expr);
    walk(expr, (n) => {
      if (n.type === "string" && n.children.some((c) => c.type === "interpolation")) {
        strings.push(n);
      } else if (n.type === "identifier" && n.field !== "attribute") {
        const fn = enclosingFunction(n);
        for (const b of fn ? (ctx.ev.bindingsOf(fn, module).get(n.text ?? "") ?? []) : []) {
          if (b.kind === "assign" && b.value) {
            collect(b.value, depth + 1);
          }
        }
        // `parts.append(f"#{k} = :{k}")`
        walkScope(child(fn ?? n, "body") ?? n, (m) => {
          const f = m.type === "call" ? child(m, "function") : undefined;
          if (
            f?.type === "attribute" &&
            child(f, "object")?.text === n.text &&
            /^(append|extend|insert)$/.test(child(f, "attribute")?.text ?? "")
          ) {
            for (const a of callArgs(m).positional) {
              collect(a, depth + 1);
            }
          }
          return true;
        });
      }
      return true;
    });
  };
  collect(arg, 0);
  let sawClient = false;
  for (const str of strings) {
    const parts = str.children;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.type !== "interpolation") {
        continue;
      }
      const e = child(part, "expression") ?? part.children[0];
      if (!e || !flowOrigins(e, module, fc).some((o) => isClientOrigin(o) && !o.cast)) {
        continue;
      }
      sawClient = true;
      const before = parts[i - 1];
      const text = before?.type === "string_content" ? (before.text ?? "") : "";
      if (!text.endsWith("#") && !text.endsWith(":")) {
        return false;
      }
    }
  }

  return sawClient;
}

/** Arguments holding expression text, wherever the call takes them. */
const TEXT_ARGS = [...EXPRESSION_ARGS, "Statement"];

/**
 * The expression strings of a call: keyword arguments, entries of a `**params` dict built in the
 * function (`params["FilterExpression"] = ...`), and expressions nested in transaction items
 * (`TransactItems=[{"Update": {"UpdateExpression": ...}}]`) or PartiQL statements.
 */
function expressionArguments(call: PyNode): { name: string; arg: PyNode }[] {
  const out: { name: string; arg: PyNode }[] = [];
  const args = callArgs(call);
  for (const name of TEXT_ARGS) {
    const arg = args.keywords.get(name);
    if (arg) {
      out.push({ name, arg });
    }
  }
  for (const splat of args.splats) {
    const inner = splatValue(splat);
    if (splat.type === "dictionary_splat" && inner) {
      out.push(...dictEntries(inner));
    }
  }
  for (const name of ["TransactItems", "Statements", "ParameterizedStatements"]) {
    const arg = args.keywords.get(name);
    if (arg) {
      walk(arg, (n) => {
        if (n.type === "pair") {
          const key = stringValue(child(n, "key") ?? n);
          const value = child(n, "value");
          if (key && value && TEXT_ARGS.includes(key)) {
            out.push({ name: key, arg: value });
          }
        }
        return true;
      });
    }
  }

  return out;
}

/** Expression entries of a dict literal, or of a local dict and its `d["K"] = v` stores. */
function dictEntries(expr: PyNode): { name: string; arg: PyNode }[] {
  const out: { name: string; arg: PyNode }[] = [];
  const addPairs = (dict: PyNode) => {
    for (const pair of dict.children) {
      const key = pair.type === "pair" ? stringValue(child(pair, "key") ?? pair) : null;
      const value = pair.type === "pair" ? child(pair, "value") : undefined;
      if (key && value && TEXT_ARGS.includes(key)) {
        out.push({ name: key, arg: value });
      }
    }
  };
  const e = unparen(expr);
  if (e.type === "dictionary") {
    addPairs(e);
    return out;
  }
  const fn = e.type === "identifier" ? enclosingFunction(e) : null;
  if (!fn) {
    return out;
  }
  walkScope(child(fn, "body") ?? fn, (n) => {
    if (n.type === "assignment") {
      const left = child(n, "left");
      const right = child(n, "right");
      if (
        left?.type === "identifier" &&
        left.text === e.text &&
        right &&
        unparen(right).type === "dictionary"
      ) {
        addPairs(unparen(right));
      }
      if (left?.type === "subscript" && child(left, "value")?.text === e.text && right) {
        const key = stringValue(child(left, "subscript") ?? left);
        if (key && TEXT_ARGS.includes(key)) {
          out.push({ name: key, arg: right });
        }
      }
    }
    return true;
  });

  return out;
}
