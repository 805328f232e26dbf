/**
 * COOKIE001 session-cookie-samesite: the session cookie's SameSite attribute in the configuration
 * an app runs with in production. `"None"` (the string) sends the cookie on every cross-site
 * request; Python `None`, or no setting at all, leaves the attribute out, and then the browser
 * decides. Flask-Login's remember cookie is reported only for an explicit `"None"`.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import { effectiveEntries } from "../../flask/config.js";
import { bindingsOf } from "../../flask/extensions.js";
import type { FlaskApp } from "../../flask/model.js";
import { child, type PyNode } from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import type { Evidence, Severity } from "../../report/types.js";
import { credentialEvidence } from "../helpers.js";
import type { Rule, RuleFinding } from "../types.js";
import {
  cookieAuthRoutes,
  counted,
  type ProductionSetting,
  productionSettings,
  replaceNode,
  routeWrites,
  settingEvidence,
} from "./settings.js";

export const cookie001: Rule = {
  id: "COOKIE001",
  name: "session-cookie-samesite",
  family: "cookie",
  severity: "medium",
  confidence: "high",
  cwe: ["CWE-1275"],
  owasp: ["A05:2021"],
  status: "stable",
  fixAvailability: "sometimes",
  summary:
    "The session cookie is sent on cross-site requests: SameSite is None or left to the browser",
  docs: {
    whatItDoes:
      'Reads `SESSION_COOKIE_SAMESITE` in the configuration the app runs with in production. It reports the string `"None"`, Python `None`, a value read from the environment with no default, and no setting at all when routes authenticate with the session cookie or Flask-Login. `REMEMBER_COOKIE_SAMESITE = "None"` (Flask-Login\'s remember cookie) is reported at low severity. Test and development configuration classes are not read.',
    why: 'SameSite=Lax keeps the browser from attaching the cookie to cross-site POSTs, which stops most cross-site request forgery even where a CSRF token is missing. `"None"` turns that off on purpose. Python `None` is not the same thing: Flask then omits the attribute, and what a missing attribute means depends on the browser (Chromium treats it as Lax after a grace period, others send the cookie cross-site), so the protection cannot be counted on.',
    example: `from flask import Flask, session

app = Flask(__name__)
app.config["SESSION_COOKIE_SAMESITE"] = "None"


@app.get("/me")
def me():
    return {"user": session.get("user_id")}
`,
    useInstead: `from flask import Flask, session

app = Flask(__name__)
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"


@app.get("/me")
def me():
    return {"user": session.get("user_id")}
`,
    fixSafety:
      'Replacing `"None"` or `None` with `"Lax"` is offered as an unsafe fix: pages that embed the app in a cross-site iframe, or SSO flows that POST back from another site, stop receiving the cookie. When nothing is set there is no edit; add `SESSION_COOKIE_SAMESITE = "Lax"` to the production configuration.',
    knownProblems:
      "Configuration loaded with `from_pyfile`, `from_envvar` or `from_prefixed_env` is not read, so a SameSite set there is not seen (such findings are low confidence). The JWT cookie's own `JWT_COOKIE_SAMESITE` is not checked, and a session interface that writes its own cookie is not recognised.",
    references: [
      "https://flask.palletsprojects.com/en/stable/security/#set-cookie-options",
      "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const s of productionSettings(ctx, "SESSION_COOKIE_SAMESITE")) {
      const f = sessionFinding(ctx, s);
      if (f) {
        out.push(f);
      }
    }
    for (const app of ctx.flask.apps) {
      const f = app.module.isTest ? null : unsetFinding(ctx, app);
      if (f) {
        out.push(f);
      }
    }
    for (const s of productionSettings(ctx, "REMEMBER_COOKIE_SAMESITE")) {
      if (
        s.value.kind === "const" &&
        typeof s.value.value === "string" &&
        s.value.value.toLowerCase() === "none"
      ) {
        out.push({
          anchor: anchorAt(s.entry.module, s.entry.site),
          route: null,
          message:
            'REMEMBER_COOKIE_SAMESITE is "None": Flask-Login\'s remember-me cookie, which signs the user back in, is sent on every cross-site request.',
          severity: "low",
          evidence: settingEvidence(s),
          fix: laxFix(s),
        });
      }
    }

    return out;
  },
};

/** What the production setting makes of the attribute, or null when it is Lax or Strict. */
function describe(s: ProductionSetting): string | null {
  const v = s.value;
  if (v.kind === "const") {
    if (v.value === null) {
      return "is None, so Flask leaves the SameSite attribute out and each browser applies its own default";
    }
    if (typeof v.value === "string" && v.value.toLowerCase() === "none") {
      return 'is "None": the browser sends the session cookie on every cross-site request';
    }

    return null;
  }
  if (v.kind === "env") {
    const fallback = v.fallback?.value;
    if (fallback === undefined || fallback === null) {
      return `comes from the environment variable ${v.variable} with no default, so unless the deployment sets it Flask leaves the SameSite attribute out`;
    }
    if (typeof fallback === "string" && fallback.toLowerCase() === "none") {
      return `defaults to "None" when ${v.variable} is unset: the browser sends the session cookie on every cross-site request`;
    }
  }

  return null;
}

function sessionFinding(ctx: AnalysisContext, s: ProductionSetting): RuleFinding | null {
  const what = describe(s);
  if (!what) {
    return null;
  }
  const routes = cookieAuthRoutes(ctx, s.app);
  const writes = routes.filter(routeWrites);
  // A cookie that rides on cross-site requests to routes that change state is a forgery away from
  // an attack; with nothing to forge it is hardening.
  const severity: Severity = writes.length > 0 ? "high" : "medium";
  const consequence =
    writes.length > 0
      ? `, and ${counted(writes.length, "route", "that changes state trusts", "that change state trust")} it`
      : "";

  return {
    anchor: anchorAt(s.entry.module, s.entry.site),
    route: null,
    message: `SESSION_COOKIE_SAMESITE ${what}${consequence}; set it to "Lax" unless the app must work inside another site's pages.`,
    severity,
    evidence: [...settingEvidence(s), ...routeEvidence(writes.length > 0 ? writes : routes)],
    fix: laxFix(s),
  };
}

function unsetFinding(ctx: AnalysisContext, app: FlaskApp): RuleFinding | null {
  const decided = effectiveEntries(app, "SESSION_COOKIE_SAMESITE").length > 0;
  if (decided || bindingsOf(app, "talisman").length > 0) {
    // Flask-Talisman sets SameSite=Lax on the session cookie by default.
    return null;
  }
  const routes = cookieAuthRoutes(ctx, app);
  if (routes.length === 0) {
    return null;
  }
  const unread = unreadConfigSources(ctx);

  return {
    anchor: anchorAt(app.module, app.site),
    route: null,
    message: `The app \`${app.name}\` does not set SESSION_COOKIE_SAMESITE in its production configuration, so its session cookie has no SameSite attribute and whether it rides on cross-site requests depends on the browser; set it to "Lax" in the production configuration.`,
    severity: "medium",
    confidence: unread ? "low" : "medium",
    evidence: [
      ...routeEvidence(routes),
      ...(unread
        ? [
            {
              file: unread.module.path,
              line: unread.module.line(unread.node),
              note: "configuration loaded here is not read; it may set SameSite",
            },
          ]
        : []),
    ],
    fix: {
      description: 'Add SESSION_COOKIE_SAMESITE = "Lax" to the production configuration.',
      applicability: "manual",
      edits: [],
    },
  };
}

function routeEvidence(routes: RouteAnalysis[]): Evidence[] {
  const first = routes[0];
  if (!first) {
    return [];
  }
  const note = `${counted(routes.length, "route", "authenticates", "authenticate")} with the session cookie, ${first.route.methods.join("/")} ${first.route.path} among them`;
  const cookie = first.credentials.filter(
    (c) => c.kind === "session-cookie" || c.kind === "flask-login",
  );

  return [
    {
      file: first.route.handler.module.path,
      line: first.route.handler.module.line(first.route.anchor),
      note,
    },
    ...credentialEvidence(cookie).slice(0, 1),
  ];
}

/** `from_pyfile`, `from_envvar`, `from_file` and `from_prefixed_env`, whose settings are not read. */
function unreadConfigSources(ctx: AnalysisContext): { node: PyNode; module: Module } | null {
  for (const { call, module } of ctx.ev.calls()) {
    const fn = child(call, "function");
    const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
    if (!module.isTest && method && /^from_(pyfile|envvar|file|prefixed_env)$/.test(method)) {
      return { node: call, module };
    }
  }

  return null;
}

function laxFix(s: ProductionSetting): RuleFinding["fix"] {
  const { entry } = s;
  if (!entry.value || s.value.kind !== "const") {
    return {
      description: 'Set the SameSite attribute to "Lax".',
      applicability: "manual",
      edits: [],
    };
  }

  return {
    description:
      'Set SameSite to "Lax"; pages of other sites that embed the app will no longer receive the cookie.',
    applicability: "unsafe",
    edits: [replaceNode(entry.module, entry.value, '"Lax"')],
  };
}
