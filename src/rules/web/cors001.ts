/**
 * CORS001 cors-credentials-any-origin: cross-origin requests with the user's cookies granted to
 * any site. Flask-CORS with `supports_credentials=True` and the default origins (`*`, which it
 * answers by echoing the caller's Origin), an explicit `*` or `null`, or a pattern that matches
 * foreign origins or lacks a closing `$` (re.match anchors only the start); the same options on a
 * `@cross_origin` view; and hand-written headers echoing the request's Origin beside
 * `Access-Control-Allow-Credentials: true`. Anchored at the `CORS(...)`/`init_app` call, the
 * decorator, or the header write.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { appSecurity } from "../../concepts/appsec.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import type { FlaskApp } from "../../flask/model.js";
import type { Severity } from "../../report/types.js";
import { evidenceAt } from "../helpers.js";
import type { Rule, RuleFinding } from "../types.js";
import { crossOriginDecorators, reflectedOrigins } from "./cors-sites.js";

export const cors001: Rule = {
  id: "CORS001",
  name: "cors-credentials-any-origin",
  family: "web",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-942"],
  owasp: ["A05:2021", "API8:2023"],
  status: "stable",
  fixAvailability: "none",
  summary:
    "Credentialed CORS is granted to any site (wildcard, reflected or loosely matched origins)",
  docs: {
    whatItDoes:
      'Finds CORS set up so that any web site can send requests with the user\'s cookies and read the answers: Flask-CORS (`CORS(app, ...)`, `cors.init_app(app, ...)`, a resource\'s options, `@cross_origin(...)`) with `supports_credentials=True` and origins left at the default `*`, set to `*` or `"null"`, or given as a pattern that matches any host or has no closing `$` (Flask-CORS applies patterns with `re.match`, so `r"https://.*\\.example\\.com"` accepts `https://x.example.com.attacker.net`); and hand-written `Access-Control-Allow-Origin` headers that echo `request.headers["Origin"]` with `Access-Control-Allow-Credentials: true` and no allowlist check. Origins read from the configuration (`app.config["REPORT_ORIGINS"]`, `CORS_ORIGINS`) are resolved through it.',
    why: "The attacker's page can then read whatever the signed-in user can (profiles, orders, CSRF tokens) and, because the preflight is granted too, send JSON, PUT and DELETE requests and custom headers with the user's cookies: token and custom-header CSRF defences stop helping. The finding is critical when the app authenticates with cookies and writes, and medium when the session cookie is `SameSite=Lax` or `Strict`, which browsers leave off cross-site requests.",
    example: `from flask import Flask, jsonify, session
from flask_cors import CORS

app = Flask(__name__)
CORS(app, supports_credentials=True)


@app.get("/api/me")
def me():
    return jsonify(user=session.get("user_id"))
`,
    useInstead: `from flask import Flask, jsonify, session
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://dashboard.example.com"], supports_credentials=True)


@app.get("/api/me")
def me():
    return jsonify(user=session.get("user_id"))
`,
    fixSafety:
      "No automatic edit: only the developers know which origins their front ends are served from. List them exactly (or with patterns anchored by `^` and `$`), or drop `supports_credentials` if no cross-origin caller needs cookies.",
    knownProblems:
      "Origins computed at run time (split from an environment variable, built in a function) are taken as a fixed list and not reported. A hand-written echo counts as guarded by any comparison of the Origin with something fixed, even a weak one. Patterns with unescaped dots (`^https://app.example.com$` also accepts `appxexample.com`) are not reported.",
    references: [
      "https://flask-cors.readthedocs.io/en/latest/api.html",
      "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials",
      "https://portswigger.net/web-security/cors",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const seen = new Set<unknown>();
    for (const app of ctx.flask.apps) {
      const cors = appSecurity(ctx, app).cors;
      if (!cors || seen.has(cors.node)) {
        continue;
      }
      seen.add(cors.node);
      const { severity, consequence } = severityFor(ctx, [app], routesOf(ctx, app));
      out.push({
        anchor: anchorAt(cors.module, cors.node),
        route: null,
        message: `Flask-CORS allows credentialed requests from any site: ${cors.reason}. ${consequence} List the allowed origins exactly.`,
        severity,
        evidence: [],
        fix: null,
      });
    }

    for (const site of crossOriginDecorators(ctx)) {
      const routes = [...ctx.routes.values()].filter((a) => site.routes.includes(a.route));
      const apps = [...new Set(site.routes.map((r) => r.app))];
      const { severity, consequence } = severityFor(ctx, apps, routes);
      out.push({
        anchor: anchorAt(site.module, site.decorator),
        route: site.routes[0] ?? null,
        message: `@cross_origin allows credentialed requests to this view from any site: ${site.reason}. ${consequence} List the allowed origins exactly.`,
        severity,
        evidence: [],
        fix: null,
      });
    }

    for (const r of reflectedOrigins(ctx)) {
      const { severity, consequence } = severityFor(ctx, ctx.flask.apps, [...ctx.routes.values()]);
      out.push({
        anchor: anchorAt(r.module, r.site),
        route: null,
        message: `Access-Control-Allow-Origin echoes the request's Origin with no allowlist check, and credentials are allowed. ${consequence} Compare the Origin with a fixed list before echoing it.`,
        severity,
        confidence: r.credentials.sameFunction ? "high" : "medium",
        evidence: [
          evidenceAt(
            r.credentials.module,
            r.credentials.node,
            "Access-Control-Allow-Credentials: true",
          ),
        ],
        fix: null,
      });
    }

    return out;
  },
};

function routesOf(ctx: AnalysisContext, app: FlaskApp): RouteAnalysis[] {
  return [...ctx.routes.values()].filter((a) => a.route.app === app);
}

/** Credentials a browser attaches by itself to a cross-site request the CORS policy allows. */
const COOKIE_CREDENTIALS = new Set(["session-cookie", "flask-login", "jwt-cookie", "custom"]);

/**
 * Critical when a route authenticates with cookies and writes; medium when the session cookie is
 * SameSite=Lax or Strict (browsers leave it off cross-site requests); high otherwise.
 */
function severityFor(
  ctx: AnalysisContext,
  apps: FlaskApp[],
  routes: RouteAnalysis[],
): { severity: Severity; consequence: string } {
  const sameSite = apps
    .map((a) => appSecurity(ctx, a).cookie.sameSite)
    .find((s) => typeof s === "string" && /^(lax|strict)$/i.test(s));
  if (sameSite) {
    return {
      severity: "medium",
      consequence: `The session cookie is SameSite=${sameSite}, so browsers keep it off these cross-site requests, but other cookies and HTTP credentials still go.`,
    };
  }
  const writesWithCookies = routes.some(
    (a) =>
      a.credentials.some((c) => COOKIE_CREDENTIALS.has(c.kind)) &&
      [...a.methods.values()].some(
        (m) => m.ops.some((s) => s.op.write) || m.otherWrites.length > 0,
      ),
  );

  return writesWithCookies
    ? {
        severity: "critical",
        consequence:
          "Any page the user visits can read the answers and send writes with the user's session cookie.",
      }
    : {
        severity: "high",
        consequence:
          "Any page the user visits can make requests with the user's credentials and read the answers.",
      };
}
