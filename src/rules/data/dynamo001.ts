/**
 * DYNAMO001 expression-injection: DynamoDB expression strings (update, key-condition, filter,
 * projection, condition) whose text is built from client input.
 */

import { anchorAt } from "../../analysis/anchors.js";
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
        if (!source) {
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
