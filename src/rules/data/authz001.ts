/**
 * AUTHZ001 bola-client-controlled-key: a DynamoDB key (or key condition, or PynamoDB hash key)
 * taken from client input, with no ownership check tying it to the signed-in identity before the
 * object is returned or changed.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { authenticationOf } from "../../concepts/authn.js";
import { proceedFacts } from "../../concepts/csrf.js";
import { roleCheckIn, unitsRoleCheck } from "../../concepts/roles.js";
import type { RouteAnalysis, SinkAt } from "../../concepts/route.js";
import type { Fact } from "../../concepts/walker.js";
import {
  type FlowContext,
  type FlowOrigin,
  flowOrigins,
  isClientOrigin,
} from "../../dataflow/flow.js";
import { ownershipCheck } from "../../dataflow/ownership.js";
import {
  flowContextFor,
  keyComponents,
  keyOrigins,
  usesConditionBuilders,
} from "../../dataflow/sinks.js";
import { classifyDynamoCall } from "../../dynamo/ops.js";
import { callArgs, child, stringValue } from "../../python/ast.js";
import type { Rule, RuleFinding } from "../types.js";
import { describeOrigin, flowEvidence, routeSinks, sinkFingerprint } from "./common.js";

export const authz001: Rule = {
  id: "AUTHZ001",
  name: "bola-client-controlled-key",
  family: "auth",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-639"],
  owasp: ["API1:2023", "A01:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "A DynamoDB key comes from the client with no ownership check",
  docs: {
    whatItDoes:
      "Follows URL variables, query parameters, form fields and JSON values into the Key, KeyConditionExpression or PynamoDB hash key of a DynamoDB call reached by an authenticated route, and reports the call when no condition before it ties that object to the signed-in user: a check of the loaded item's stored owner against the identity, a comparison of the same client value with the identity, or a key whose partition part is the identity itself.",
    why: "Object ids are guessable or leak; without an ownership check any signed-in user reads or changes anyone's items by changing the id (Broken Object Level Authorization, the first of the OWASP API risks).",
    example: `import boto3
from flask import Flask, jsonify
from flask_login import login_required

app = Flask(__name__)
notes = boto3.resource("dynamodb").Table("notes")


@app.get("/notes/<note_id>")
@login_required
def show_note(note_id):
    item = notes.get_item(Key={"note_id": note_id}).get("Item")
    return jsonify(item)
`,
    useInstead: `import boto3
from flask import Flask, abort, jsonify
from flask_login import current_user, login_required

app = Flask(__name__)
notes = boto3.resource("dynamodb").Table("notes")


@app.get("/notes/<note_id>")
@login_required
def show_note(note_id):
    item = notes.get_item(Key={"note_id": note_id}).get("Item")
    if item is None or item["owner_id"] != current_user.id:
        abort(404)
    return jsonify(item)
`,
    fixSafety: "No automatic edit: which attribute holds the owner is the application's knowledge.",
    knownProblems:
      "Ownership enforced by the table design alone (a partition key that is the owner id, filled by the server) is recognised only when the identity is visibly part of the key. Routes that pass a role check are treated as function-level authorised and not reported.",
    references: [
      "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { a, method, sink } of routeSinks(ctx)) {
      // A route only a service key or a signature opens has no signed-in user to confuse.
      const machineOnly =
        a.credentials.length > 0 && a.credentials.every((c) => c.kind === "api-key-header");
      if (
        machineOnly ||
        !authenticationOf(ctx, a).authenticated ||
        unitsRoleCheck(ctx, a.units, method, a.route) ||
        roleCheckIn(ctx, sink.segment.guards)
      ) {
        continue;
      }
      const fc = flowContextFor(ctx, a, sink);
      const verdict = clientKey(ctx, fc, sink);
      if (!verdict) {
        continue;
      }
      const facts = sink.op.write ? sink.segment.guards : readGuards(ctx, fc, a, method, sink);
      // Checks a decorator or hook makes before the handler count too.
      const before = a.units.flatMap((u) => proceedFacts(ctx, u, method) ?? []);
      if (facts === null || ownershipCheck(ctx, fc, [...before, ...facts], verdict.origins)) {
        continue;
      }
      const source = verdict.origins.find(isClientOrigin)!;
      out.push({
        anchor: anchorAt(sink.op.module, sink.op.call),
        route: a.route,
        message: `${sink.op.op}${sink.op.table ? ` on ${sink.op.table}` : ""} is keyed by ${describeOrigin(source)} and nothing checks that the ${sink.op.write ? "item it changes" : "item it returns"} belongs to the signed-in user: any user can ${sink.op.write ? "change" : "read"} other users' items by changing the id.`,
        evidence: flowEvidence(
          source,
          `${describeOrigin(source)} chosen by the client`,
          sink,
          "used as the DynamoDB key",
        ),
        fingerprint: sinkFingerprint(a, sink),
      });
    }

    return out;
  },
};

/** The key's origins when some key part is client-chosen and none is the identity. */
function clientKey(
  ctx: AnalysisContext,
  fc: FlowContext,
  sink: SinkAt,
): { origins: FlowOrigin[] } | null {
  const comps = keyComponents(ctx, sink.op);
  if (comps.length === 0) {
    return null;
  }
  let origins = keyOrigins(fc, comps);
  // A PynamoDB instance operation: the key is the one the instance was loaded by.
  if (sink.op.api === "pynamodb" && comps.length === 1 && comps[0]!.name === null) {
    const loads = origins[0]!.origins.filter((o) => o.kind === "db");
    if (loads.length === 0) {
      return null;
    }
    const loaded: typeof origins = [];
    for (const l of loads) {
      if (l.kind !== "db") {
        continue;
      }
      const op = classifyDynamoCall(l.op, l.module, ctx.ev);
      if (op) {
        loaded.push(
          ...keyOrigins(
            { ...fc, chain: [...fc.chain, ...(l.frames ?? [])] },
            keyComponents(ctx, op),
          ),
        );
      }
    }
    origins = loaded;
  }
  const bound =
    origins.some((k) => k.origins.length > 0 && k.origins.every((o) => o.kind === "identity")) ||
    conditionBindsIdentity(ctx, fc, sink);
  const client = origins.flatMap((k) => k.origins).filter((o) => isClientOrigin(o) && !o.keyOf);
  if (bound || client.length === 0) {
    return null;
  }

  return { origins: client };
}

/**
 * A condition or filter that ties the item to the identity on the DynamoDB side:
 * `ConditionExpression="owner_id = :me"` with `:me` the signed-in user, or `Attr("owner_id")
 * .eq(current_user.id)` in a ConditionExpression or FilterExpression. DynamoDB then refuses (or
 * filters out) other users' items, whatever key the client chose.
 */
function conditionBindsIdentity(ctx: AnalysisContext, fc: FlowContext, sink: SinkAt): boolean {
  const args = callArgs(sink.op.call);
  const values = args.keywords.get("ExpressionAttributeValues");
  for (const name of ["ConditionExpression", "FilterExpression"]) {
    const expr = args.keywords.get(name);
    if (!expr) {
      continue;
    }
    if (usesConditionBuilders(ctx, expr, sink.op.module)) {
      if (flowOrigins(expr, sink.op.module, fc).some((o) => o.kind === "identity")) {
        return true;
      }
      continue;
    }
    const text = stringValue(expr) ?? "";
    if (values?.type !== "dictionary" || !/\b[A-Za-z_#]+\s*=\s*:[A-Za-z0-9_]+/.test(text)) {
      continue;
    }
    for (const pair of values.children) {
      const k = pair.type === "pair" ? child(pair, "key") : undefined;
      const v = pair.type === "pair" ? child(pair, "value") : undefined;
      const placeholder = k ? stringValue(k) : null;
      if (placeholder && v && new RegExp(`=\\s*${placeholder}\\b`).test(text)) {
        const o = flowOrigins(v, sink.op.module, fc);
        if (o.length > 0 && o.every((x) => x.kind === "identity")) {
          return true;
        }
      }
    }
  }

  return false;
}

/**
 * For a read, the facts that hold wherever the handler returns after the read: the item is
 * exposed only through a response. Null when every such return already checks ownership
 * (represented as no exits needing a check).
 */
function readGuards(
  _ctx: AnalysisContext,
  fc: FlowContext,
  a: RouteAnalysis,
  method: string,
  sink: SinkAt,
): Fact[] | null {
  const m = a.methods.get(method);
  if (!m) {
    return null;
  }
  // The handler's returns after the read that hand out what it read: a fixed body or a 204
  // after loading an item exposes nothing.
  const at = (sink.segment.chain[0]?.call ?? sink.op.call).start;
  const handlerFc: FlowContext = { ...fc, chain: [] };
  const exposing = m.trace.exits.filter(
    (e) =>
      e.chain.length === 0 &&
      e.kind === "return" &&
      e.node.end > at &&
      e.value !== null &&
      flowOrigins(e.value, e.module, handlerFc).some(
        (o) => o.kind === "db" && o.op === sink.op.call,
      ),
  );
  if (exposing.length === 0) {
    return null;
  }

  return intersect(exposing.map((e) => e.guards));
}

function intersect(lists: (readonly Fact[])[]): Fact[] {
  const [first, ...rest] = lists;

  return (first ?? []).filter((f) =>
    rest.every((l) => l.some((g) => g.cond === f.cond && g.holds === f.holds)),
  );
}
