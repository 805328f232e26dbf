/**
 * CSRF005 csrf-weak-token-check: hand-written CSRF checks that pass when the token is missing,
 * read it from the query string, compare in non-constant time, trust `request.host`, or tokens
 * made with a non-cryptographic generator.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import type { WeakCheck } from "../../concepts/csrf.js";
import { isSession } from "../../concepts/sources.js";
import type { PyNode } from "../../python/ast.js";
import { child, enclosingFunction, stringValue, walk, walkScope } from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import { type Severity, severityRank } from "../../report/types.js";
import type { Rule, RuleFinding } from "../types.js";

const STRONG = new Set(["csrfprotect", "seasurf", "form-validate", "jwt-double-submit"]);

export const csrf005: Rule = {
  id: "CSRF005",
  name: "csrf-weak-token-check",
  family: "csrf",
  severity: "medium",
  confidence: "medium",
  cwe: ["CWE-352", "CWE-208", "CWE-330"],
  owasp: ["A01:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "A hand-written CSRF check can be passed or guessed",
  docs: {
    whatItDoes:
      "Inspects hand-written CSRF checks in hooks, decorators and handlers: a check that runs only when the request carries a token, a token read from the query string, a comparison with `==`/`!=` instead of `hmac.compare_digest`, an Origin/Referer compared with `request.host`, and tokens generated with `random` or `uuid1`.",
    why: "A check that is skipped when the token is absent stops nothing: the forged request simply omits it (high). Query-string tokens leak through logs and the Referer header (medium). Non-constant-time comparison leaks the token byte by byte to a patient attacker (low). `request.host` follows X-Forwarded-Host behind ProxyFix, so it is not a fixed origin (medium).",
    example: `import boto3
from flask import Flask, abort, request, session

app = Flask(__name__)
table = boto3.resource("dynamodb").Table("cards")


@app.before_request
def check_csrf():
    sent = request.headers.get("X-CSRF-Token")
    if sent and sent != session.get("csrf"):
        abort(403)


@app.route("/cards", methods=["POST"])
def add_card():
    table.put_item(Item={"owner": session["uid"], "text": request.form["text"]})
    return "ok"
`,
    useInstead: `import hmac

import boto3
from flask import Flask, abort, request, session

app = Flask(__name__)
table = boto3.resource("dynamodb").Table("cards")


@app.before_request
def check_csrf():
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        expected = session.get("csrf")
        sent = request.headers.get("X-CSRF-Token", "")
        if not expected or not hmac.compare_digest(sent, expected):
            abort(403)


@app.route("/cards", methods=["POST"])
def add_card():
    table.put_item(Item={"owner": session["uid"], "text": request.form["text"]})
    return "ok"
`,
    fixSafety: "No automatic edit: the right check depends on where the app's pages put the token.",
    knownProblems:
      "Checks split across helper functions are followed only one call deep for the token's origin.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const byNode = new Map<PyNode, { w: WeakCheck; protectedElsewhere: boolean; routes: number }>();
    for (const a of ctx.routes.values()) {
      for (const v of a.csrf.values()) {
        for (const w of v.weak) {
          const key = w.node;
          const prev = byNode.get(key);
          const strong = v.defences.some((d) => STRONG.has(d));
          if (!prev) {
            byNode.set(key, { w, protectedElsewhere: strong, routes: 1 });
          } else {
            prev.protectedElsewhere = prev.protectedElsewhere && strong;
            prev.routes++;
            if (severityRank(w.severity) > severityRank(prev.w.severity)) {
              prev.w = w;
            }
          }
        }
      }
    }
    for (const { w, protectedElsewhere } of byNode.values()) {
      const severity: Severity =
        protectedElsewhere && severityRank(w.severity) > severityRank("low") ? "low" : w.severity;
      out.push({
        anchor: anchorAt(w.module, w.node),
        route: null,
        message: `Weak CSRF check: ${w.reason}${protectedElsewhere ? " (another defence covers the routes it guards, so this is hardening)" : ""}.`,
        severity,
        confidence: w.kind === "missing-token" ? "high" : "medium",
        evidence: [],
        fix: null,
      });
    }
    out.push(...weakGenerators(ctx));

    return out;
  },
};

/** `session["csrf"] = random...` or `uuid.uuid1()`: predictable tokens. */
const WEAK_GENERATORS =
  /^(random\.(random|randint|choice|choices|getrandbits|randrange|sample)|uuid\.uuid1|time\.time)$/;

/**
 * The predictable generator an expression's value comes from: called directly, through a local
 * variable (`token = "".join(random.choices(...))`), or through a project helper that returns
 * such a value (`some_random_string()`).
 */
function weakGenerator(
  ctx: AnalysisContext,
  expr: PyNode,
  module: Module,
  depth: number,
): string | null {
  if (depth > 3) {
    return null;
  }
  let found: string | null = null;
  walk(expr, (c) => {
    if (found) {
      return false;
    }
    if (c.type === "call") {
      const fn = child(c, "function");
      for (const v of fn ? ctx.ev.eval(fn, module) : []) {
        if (v.kind === "external" && WEAK_GENERATORS.test(v.qualname)) {
          found = v.qualname;
        } else if (v.kind === "function" && !found) {
          for (const ret of returnedExpressions(v.def)) {
            found = found ?? weakGenerator(ctx, ret, v.module, depth + 1);
          }
        }
      }
    } else if (c.type === "identifier" && c.field !== "attribute") {
      const fn = enclosingFunction(c);
      for (const b of fn ? (ctx.ev.bindingsOf(fn, module).get(c.text ?? "") ?? []) : []) {
        if (b.kind === "assign" && b.value && b.value !== expr) {
          found = found ?? weakGenerator(ctx, b.value, module, depth + 1);
        }
      }
    }
    return !found;
  });

  return found;
}

function returnedExpressions(def: PyNode): PyNode[] {
  const out: PyNode[] = [];
  walkScope(child(def, "body") ?? def, (n) => {
    if (n.type === "return_statement" && n.children[0]) {
      out.push(n.children[0]);
    }
    return true;
  });

  return out;
}

function weakGenerators(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const m of ctx.project.modules) {
    walk(m.root, (n) => {
      if (n.type !== "assignment") {
        return true;
      }
      const left = child(n, "left");
      const right = child(n, "right");
      const key = left?.type === "subscript" ? child(left, "subscript") : undefined;
      const value = left?.type === "subscript" ? child(left, "value") : undefined;
      if (
        !right ||
        !key ||
        !value ||
        !/csrf|xsrf/i.test(stringValue(key) ?? "") ||
        !isSession(value, m, ctx.ev)
      ) {
        return true;
      }
      const weak = weakGenerator(ctx, right, m, 0);
      if (weak) {
        out.push({
          anchor: anchorAt(m, n),
          route: null,
          message: `The CSRF token is generated with ${weak}, which is predictable; use secrets.token_urlsafe().`,
          severity: "medium",
          evidence: [],
          fix: null,
        });
      }
      return true;
    });
  }

  return out;
}
