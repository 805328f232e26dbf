/**
 * AUTH001 missing-authentication: a route that writes to DynamoDB while nothing identifies the
 * caller on any path: no login decorator, no hook or decorator that refuses anonymous requests,
 * no identity read in the handler. Writes that happen only after a password check (a login
 * recording `last_login`) are authenticated by that check. Features that are public by design
 * (sign-up, password-reset requests, contact forms, newsletter sign-ups, the chat log of a public
 * LLM feature) are reported at low severity with the reason, so a reviewer confirms them.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import { authenticationOf, unenforcedWords } from "../../concepts/authn.js";
import { llmCallsOf } from "../../concepts/llm.js";
import type { RouteAnalysis, SinkAt } from "../../concepts/route.js";
import { atomicFacts } from "../../concepts/walker.js";
import type { Evidence, Severity } from "../../report/types.js";
import { describeRoute, perRoute, routeAnchor } from "../helpers.js";
import type { Rule, RuleFinding } from "../types.js";
import { isPasswordCheck, publicPurpose } from "./purpose.js";

export const auth001: Rule = {
  id: "AUTH001",
  name: "missing-authentication",
  family: "auth",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-306"],
  owasp: ["A07:2021", "API2:2023"],
  status: "stable",
  fixAvailability: "none",
  summary: "A route writes to DynamoDB and nothing authenticates its caller",
  docs: {
    whatItDoes:
      "Finds routes that reach a DynamoDB write (directly or through helpers) while no login decorator, no request hook or decorator that refuses anonymous callers, and no identity read in the handler stands in front of it. Writes reached only after a password check, a bearer or API-key check, or a signed-token check are authenticated. Sign-up, password-reset, contact, newsletter and public chat-log writes are reported at low severity so that someone confirms they are meant to be public.",
    why: "Anyone who can reach the server can call the route and change the stored data: archive another team's project, post as an approver, fill the table with junk. Nothing in the request needs to be guessed.",
    example: `import boto3
from flask import Flask, jsonify

app = Flask(__name__)
teams = boto3.resource("dynamodb").Table("teams")


@app.post("/teams/<team_id>/archive")
def archive_team(team_id):
    teams.update_item(
        Key={"team_id": team_id},
        UpdateExpression="SET archived = :yes",
        ExpressionAttributeValues={":yes": True},
    )
    return jsonify(archived=True)
`,
    useInstead: `import boto3
from flask import Flask, jsonify
from flask_login import LoginManager, login_required

app = Flask(__name__)
login_manager = LoginManager(app)
teams = boto3.resource("dynamodb").Table("teams")


@app.post("/teams/<team_id>/archive")
@login_required
def archive_team(team_id):
    teams.update_item(
        Key={"team_id": team_id},
        UpdateExpression="SET archived = :yes",
        ExpressionAttributeValues={":yes": True},
    )
    return jsonify(archived=True)
`,
    fixSafety:
      "No automatic edit: which authentication fits (a login session, a bearer token, a signed link) depends on who calls the route.",
    knownProblems:
      "Authentication done outside Flask (an API gateway authorizer, a reverse proxy that checks a header) is invisible to the scan; such routes are reported and need a suppression. A handler that reads an identity is taken as authenticated even when it only uses it when present.",
    references: [
      "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
      "https://cwe.mitre.org/data/definitions/306.html",
      "https://flask-login.readthedocs.io/en/latest/#protecting-views",
    ],
  },
  check: (ctx) => perRoute(ctx, check),
};

function check(ctx: AnalysisContext, a: RouteAnalysis): RuleFinding | null {
  const writes: { method: string; sink: SinkAt }[] = [];
  for (const [method, m] of a.methods) {
    for (const sink of m.ops) {
      if (sink.op.write) {
        writes.push({ method, sink });
      }
    }
  }
  if (writes.length === 0 || authenticationOf(ctx, a).authenticated) {
    return null;
  }
  // A login that records something only after the password matched is authenticated by it.
  const unguarded = writes.filter((w) => !afterPasswordCheck(ctx, w.sink));
  if (unguarded.length === 0) {
    return null;
  }
  const route = a.route;
  const methods = [...new Set(unguarded.map((w) => w.method))].filter(
    (m) => m !== "HEAD" || !unguarded.some((w) => w.method === "GET"),
  );
  const sinks = [...new Map(unguarded.map((w) => [w.sink.op.call, w.sink])).values()];
  const first = sinks[0]!;
  const what = `${first.op.op}${first.op.table ? ` on ${first.op.table}` : ""}`;
  const purpose = publicPurpose(route);
  const llm = llmCallsOf(ctx, a).length > 0;
  let severity: Severity = "high";
  let reason = "";
  if (purpose) {
    severity = "low";
    reason = ` It looks like a ${purpose}, which may be public by design: confirm it, and make sure the write cannot touch other users' items.`;
  } else if (llm) {
    severity = "low";
    reason =
      " It stores the exchange of an LLM feature that is public (LLM001 reports the route itself): confirm that anonymous chat logs are wanted.";
  }
  const cookies = authenticationOf(ctx, a).unenforced;
  const read =
    cookies.length > 0
      ? ` (it reads ${unenforcedWords(cookies)}, but nothing refuses a request without it)`
      : "";
  const evidence: Evidence[] = sinks.slice(0, 3).map((s) => ({
    file: s.op.module.path,
    line: s.op.module.line(s.op.call),
    note: `${s.op.op}${s.op.table ? ` on ${s.op.table}` : ""} writes to DynamoDB${s.segment.chain.length > 0 ? ` (reached through ${s.segment.chain.length} helper call${s.segment.chain.length > 1 ? "s" : ""})` : ""}`,
  }));

  return {
    anchor: routeAnchor(route),
    route,
    methods,
    message: `${describeRoute(route, methods)} writes to DynamoDB (${what}) with no authentication${read}: no decorator, request hook or check in the handler identifies the caller, so anyone can make the write.${reason}`,
    severity,
    confidence: first.op.confidence === "high" && !purpose ? "high" : "medium",
    evidence,
    fix: {
      description:
        "Require a signed-in caller before the write: `@login_required` (Flask-Login), `@jwt_required()` (flask_jwt_extended), or a blueprint `before_request` hook that aborts with 401 when no valid credential comes with the request.",
      applicability: "manual",
      edits: [],
    },
    fingerprint: `${route.handler.qualname} ${methods.join(",")}`,
  };
}

function afterPasswordCheck(ctx: AnalysisContext, sink: SinkAt): boolean {
  return atomicFacts(sink.segment.guards).some(
    (f) => f.holds && f.cond.type === "call" && isPasswordCheck(ctx, f.cond, f.module),
  );
}
