/**
 * CSRF006 csrf-method-override: WSGI middleware that takes the request method from the query
 * string or a form field, so a link or a plain form reaches PUT/PATCH/DELETE handlers.
 */

import { anchorAt } from "../../analysis/anchors.js";
import { appSecurity } from "../../concepts/appsec.js";
import type { Rule, RuleFinding } from "../types.js";

export const csrf006: Rule = {
  id: "CSRF006",
  name: "csrf-method-override",
  family: "csrf",
  severity: "medium",
  confidence: "medium",
  cwe: ["CWE-352"],
  owasp: ["A01:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "The request method is taken from the query string or a form field",
  docs: {
    whatItDoes:
      "Finds WSGI middleware installed on `app.wsgi_app` that rewrites REQUEST_METHOD from a `_method` query parameter or form field.",
    why: "Browsers cannot send PUT, PATCH or DELETE cross-site without a CORS preflight, and SameSite=Lax cookies ride only on top-level GET navigations. An override from the query string turns a plain link into a DELETE that carries the cookie; defences keyed on the method (WTF_CSRF_METHODS, JWT_CSRF_METHODS) then see a method they may not check. High when a route becomes forgeable through it; low when every rewritten method is still token-checked.",
    example: `from flask import Flask
from urllib.parse import parse_qs


class MethodOverride:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        method = parse_qs(environ.get("QUERY_STRING", "")).get("_method")
        if method:
            environ["REQUEST_METHOD"] = method[0].upper()
        return self.app(environ, start_response)


app = Flask(__name__)
app.wsgi_app = MethodOverride(app.wsgi_app)
`,
    useInstead: `from flask import Flask


class MethodOverride:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        override = environ.get("HTTP_X_HTTP_METHOD_OVERRIDE")
        if override and environ["REQUEST_METHOD"] == "POST":
            environ["REQUEST_METHOD"] = override.upper()
        return self.app(environ, start_response)


app = Flask(__name__)
app.wsgi_app = MethodOverride(app.wsgi_app)
`,
    fixSafety: "No automatic edit: clients that rely on the override must send a header instead.",
    knownProblems: "Overrides implemented in request hooks or in a reverse proxy are not seen.",
    references: ["https://owasp.org/www-community/attacks/csrf"],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const app of ctx.flask.apps) {
      const sec = appSecurity(ctx, app);
      for (const o of sec.methodOverrides) {
        if (o.from === "header") {
          continue;
        }
        const exploited = [...ctx.routes.values()].filter(
          (a) =>
            a.route.app === app &&
            [...a.csrf.values()].some(
              (v) => v.vulnerable && v.override === o && v.severity === "high",
            ),
        );
        const source =
          o.from === "query" ? "the `_method` query parameter" : "a `_method` form field";
        out.push({
          anchor: anchorAt(o.module, o.site),
          route: null,
          message:
            exploited.length > 0
              ? `The request method is taken from ${source}, so a link or plain form reaches ${exploited.map((a) => `${a.route.methods.join("/")} ${a.route.path}`).join(", ")} with the user's cookie and past method-keyed CSRF checks.`
              : `The request method is taken from ${source}; every rewritten method is still token-checked today, but the override voids what SameSite=Lax and preflights give.`,
          severity: exploited.length > 0 ? "high" : "low",
          evidence: exploited.slice(0, 3).map((a) => ({
            file: a.route.handler.module.path,
            line: a.route.handler.module.line(a.route.anchor),
            note: `${a.route.path} becomes forgeable through the override`,
          })),
          fix: {
            description:
              "Accept overrides only from the X-HTTP-Method-Override header on POST requests (a header needs a preflight cross-site).",
            applicability: "manual",
            edits: [],
          },
        });
      }
    }

    return out;
  },
};
