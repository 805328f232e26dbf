/**
 * AUTHZ003 mass-assignment: a client-supplied mapping written whole as a DynamoDB item, expanded
 * into a PynamoDB model, or turned into update clauses whose attribute names the client chooses,
 * with no allowlist or schema in between.
 */

import { anchorAt } from "../../analysis/anchors.js";
import { type FlowOrigin, flowOrigins, splatValue } from "../../dataflow/flow.js";
import { flowContextFor } from "../../dataflow/sinks.js";
import type { PyNode } from "../../python/ast.js";
import { callArgs, child, enclosingFunction, walk } from "../../python/ast.js";
import type { Rule, RuleFinding } from "../types.js";
import { describeOrigin, flowEvidence, routeSinks, sinkFingerprint } from "./common.js";

export const authz003: Rule = {
  id: "AUTHZ003",
  name: "mass-assignment",
  family: "auth",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-915"],
  owasp: ["API3:2023", "A08:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "A client-supplied mapping is written whole or chooses the attributes to update",
  docs: {
    whatItDoes:
      "Reports DynamoDB writes whose Item is the request's JSON or form taken whole (`Item=request.get_json()`, `{**request.form, ...}`, `dict(request.form)`), PynamoDB models built with `Model(**payload)` and saved, and update expressions, attribute-name maps or PynamoDB update actions built from the keys of a client mapping, when no allowlist comprehension or schema `load()` narrows the fields first.",
    why: "The client then decides which attributes are stored: `role`, `is_admin`, `plan`, `credits` or another user's `owner_id` arrive as ordinary fields. Overwriting the key afterwards does not help with the other attributes.",
    example: `import boto3
from flask import Flask, request
from flask_login import current_user, login_required

app = Flask(__name__)
profiles = boto3.resource("dynamodb").Table("profiles")


@app.put("/profile")
@login_required
def save_profile():
    item = request.get_json()
    item["member_id"] = current_user.id
    profiles.put_item(Item=item)
    return "", 204
`,
    useInstead: `import boto3
from flask import Flask, request
from flask_login import current_user, login_required

app = Flask(__name__)
profiles = boto3.resource("dynamodb").Table("profiles")
EDITABLE = ("display_name", "bio")


@app.put("/profile")
@login_required
def save_profile():
    data = request.get_json()
    item = {k: v for k, v in data.items() if k in EDITABLE}
    item["member_id"] = current_user.id
    profiles.put_item(Item=item)
    return "", 204
`,
    fixSafety: "No automatic edit: the allowlist of editable fields is the application's decision.",
    knownProblems:
      "Validation done by a custom function that drops unknown keys is not recognised unless it is a schema `load()`.",
    references: [
      "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { a, sink } of routeSinks(ctx)) {
      if (!sink.op.write) {
        continue;
      }
      const fc = flowContextFor(ctx, a, sink);
      const args = callArgs(sink.op.call);
      let culprit: { origin: FlowOrigin; what: string } | null = null;
      const item = args.keywords.get("Item");
      if (item) {
        const origins = flowOrigins(item, sink.op.module, fc);
        const whole = origins.find((x) => x.kind === "request" && x.whole);
        // An item whose attribute names come from the client's keys is the same thing built
        // by hand: `{k: v for k, v in body.items()}`, `item[name] = value` in a loop.
        const keyed = origins.find((x) => x.kind === "request" && x.keyOf);
        if (whole) {
          culprit = { origin: whole, what: "writes {src} as the item" };
        } else if (keyed) {
          culprit = { origin: keyed, what: "stores an item whose attribute names come from {src}" };
        }
      }
      for (const name of ["UpdateExpression", "ExpressionAttributeNames", "AttributeUpdates"]) {
        const arg = args.keywords.get(name);
        const o = arg
          ? flowOrigins(arg, sink.op.module, fc).find((x) => x.kind === "request" && x.keyOf)
          : undefined;
        if (!culprit && o) {
          culprit = { origin: o, what: "sets the attributes named by {src}" };
        }
      }
      if (!culprit && sink.op.api === "pynamodb") {
        culprit = pynamoCulprit(sink.op.call, fc, sink.op.module);
      }
      if (!culprit) {
        continue;
      }
      out.push({
        anchor: anchorAt(sink.op.module, sink.op.call),
        route: a.route,
        message: `${sink.op.op}${sink.op.table ? ` on ${sink.op.table}` : ""} ${culprit.what.replace("{src}", describeOrigin(culprit.origin))}: the client can set any attribute, such as a role, a plan or a balance.`,
        evidence: flowEvidence(
          culprit.origin,
          "client-supplied mapping",
          sink,
          "written to DynamoDB",
        ),
        fingerprint: sinkFingerprint(a, sink),
      });
    }

    return out;
  },
};

/** `Model(**payload).save()` and `update(actions=[getattr(Model, k).set(v) ...])`. */
function pynamoCulprit(
  call: PyNode,
  fc: Parameters<typeof flowOrigins>[2],
  module: Parameters<typeof flowOrigins>[1],
): { origin: FlowOrigin; what: string } | null {
  const actions = callArgs(call).keywords.get("actions");
  if (actions) {
    const o = flowOrigins(actions, module, fc).find((x) => x.kind === "request" && x.keyOf);

    return o ? { origin: o, what: "sets the attributes named by {src}" } : null;
  }
  const fn = child(call, "function");
  const receiver = fn?.type === "attribute" ? child(fn, "object") : undefined;
  if (!receiver) {
    return null;
  }
  // The instance's construction: a `**mapping` splat of client data.
  const constructors: PyNode[] = [];
  if (receiver.type === "call") {
    constructors.push(receiver);
  } else if (receiver.type === "identifier") {
    const scope = enclosingFunction(receiver);
    for (const b of scope
      ? (fc.ctx.ev.bindingsOf(scope, module).get(receiver.text ?? "") ?? [])
      : []) {
      if (b.kind === "assign" && b.value?.type === "call") {
        constructors.push(b.value);
      }
    }
  }
  for (const c of constructors) {
    for (const splat of callArgs(c).splats) {
      const inner = splatValue(splat);
      if (splat.type !== "dictionary_splat" || !inner) {
        continue;
      }
      const o = flowOrigins(inner, module, fc).find((x) => x.kind === "request" && x.whole);
      if (o) {
        return { origin: o, what: "saves a model built from {src} with `**`" };
      }
    }
  }
  void walk;

  return null;
}
