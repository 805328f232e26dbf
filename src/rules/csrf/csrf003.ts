/**
 * CSRF003 csrf-protection-disabled: a production configuration that turns a CSRF defence off:
 * WTF_CSRF_ENABLED=False, WTF_CSRF_CHECK_DEFAULT=False with nothing calling `protect()`,
 * JWT_COOKIE_CSRF_PROTECT=False with cookie JWTs, SeaSurf's CSRF_DISABLE, a FlaskForm whose Meta
 * turns CSRF off. Test and development configurations are not production and are not reported.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { appSecurity, switchOf } from "../../concepts/appsec.js";
import { jwtSettings } from "../../concepts/jwt.js";
import type { ConfigEntry } from "../../flask/model.js";
import * as N from "../../flask/names.js";
import { callArgs, child, statements, stringValue, walk } from "../../python/ast.js";
import type { Rule, RuleFinding } from "../types.js";

export const csrf003: Rule = {
  id: "CSRF003",
  name: "csrf-protection-disabled",
  family: "csrf",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-352"],
  owasp: ["A05:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "A production configuration switches a CSRF defence off",
  docs: {
    whatItDoes:
      "Finds settings that switch CSRF checking off in the configuration the app runs with in production: `WTF_CSRF_ENABLED = False` (Flask-WTF reads it on every request, so loading it after `init_app` still disables everything), `WTF_CSRF_CHECK_DEFAULT = False` when nothing calls `csrf.protect()`, `JWT_COOKIE_CSRF_PROTECT = False` with cookie JWTs, SeaSurf's `CSRF_DISABLE`, and FlaskForm classes with `class Meta: csrf = False`. A value read from the environment is reported at medium, naming the variable.",
    why: "With the switch off, every route that relied on the extension accepts forged requests. Switches in test configurations are expected and are not reported; keys that no extension reads (`CSRF_ENABLED`) change nothing and are not reported either.",
    example: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False
csrf = CSRFProtect(app)
`,
    useInstead: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)
`,
    fixSafety:
      "No automatic edit: turning protection back on requires every client to send the token.",
    knownProblems:
      "Configuration loaded from files outside the repository or from environment-only `from_envvar` is not seen.",
    references: [
      "https://flask-wtf.readthedocs.io/en/stable/config.html",
      "https://flask-jwt-extended.readthedocs.io/en/stable/options.html#cross-site-request-forgery-options",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const seen = new Set<unknown>();
    const report = (entry: ConfigEntry, message: string, severity: RuleFinding["severity"]) => {
      if (seen.has(entry.site)) {
        return;
      }
      seen.add(entry.site);
      out.push({
        anchor: anchorAt(entry.module, entry.site),
        route: null,
        message,
        severity,
        evidence: [],
        fix: null,
      });
    };
    for (const app of ctx.flask.apps) {
      const sec = appSecurity(ctx, app);
      const wtf = sec.wtf;
      const usesWtf = !!wtf?.binding || usesFlaskForm(ctx);
      if (wtf && usesWtf) {
        if (wtf.enabled.state === "off") {
          report(
            wtf.enabled.entry,
            "WTF_CSRF_ENABLED is False in the production configuration: CSRFProtect and every FlaskForm stop checking tokens.",
            "high",
          );
        } else if (wtf.enabled.state === "env") {
          report(
            wtf.enabled.entry,
            `WTF_CSRF_ENABLED comes from the environment variable ${wtf.enabled.variable}: ${wtf.enabled.defaultOn ? "on by default, but a deployment setting the variable otherwise turns all CSRF checks off" : "off unless the deployment sets it"}.`,
            wtf.enabled.defaultOn ? "medium" : "high",
          );
        }
        if (wtf.binding && wtf.checkDefault.state === "off" && !anyProtectCall(ctx, app)) {
          report(
            wtf.checkDefault.entry,
            "WTF_CSRF_CHECK_DEFAULT is False and nothing calls csrf.protect(): CSRFProtect checks no request; only validated FlaskForms still check tokens.",
            "high",
          );
        }
      }
      if (sec.seasurf?.disabled) {
        report(
          sec.seasurf.disabled,
          "CSRF_DISABLE turns Flask-SeaSurf off in the production configuration.",
          "high",
        );
      }
      const jwt = jwtSettings(ctx, app);
      if (!jwt.cookieCsrfProtect && jwt.protectEntry && jwt.locations.includes("cookies")) {
        report(
          jwt.protectEntry,
          "JWT_COOKIE_CSRF_PROTECT is False while JWTs are read from cookies: the cookie authenticates cross-site requests with no double-submit header.",
          "high",
        );
      }
      void switchOf;
    }
    out.push(...formsWithCsrfOff(ctx));

    return out;
  },
};

function usesFlaskForm(ctx: AnalysisContext): boolean {
  return ctx.project.modules.some((m) =>
    [...m.bindings.values()].some((bs) =>
      bs.some((b) => b.kind === "class" && ctx.ev.classDerivesFrom(b.node, m, N.FLASK_FORM)),
    ),
  );
}

/** Any hook, decorator or Flask-Security decorator that runs `csrf.protect()`. */
function anyProtectCall(ctx: AnalysisContext, app: unknown): boolean {
  void app;
  for (const { call } of ctx.ev.calls()) {
    const fn = child(call, "function");
    if (fn?.type === "attribute" && child(fn, "attribute")?.text === "protect") {
      return true;
    }
  }
  for (const bp of ctx.flask.blueprints) {
    if (bp.hooks.some((h) => h.target.some((v) => v.kind === "member" && v.name === "protect"))) {
      return true;
    }
  }
  for (const a of ctx.flask.apps) {
    if (a.hooks.some((h) => h.target.some((v) => v.kind === "member" && v.name === "protect"))) {
      return true;
    }
  }

  return [...ctx.routes.values()].some((r) =>
    r.units.some(
      (u) => u.library && /^flask_security\.(decorators\.)?auth_required$/.test(u.library),
    ),
  );
}

function formsWithCsrfOff(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  // `NotificationsForm(meta={"csrf": False})` at the call site.
  for (const { call, module } of ctx.ev.calls()) {
    const meta = callArgs(call).keywords.get("meta");
    const fn = child(call, "function");
    if (!meta || !fn || module.isTest || meta.type !== "dictionary") {
      continue;
    }
    const off = meta.children.find(
      (p) =>
        p.type === "pair" &&
        stringValue(child(p, "key") ?? p) === "csrf" &&
        child(p, "value")?.type === "false",
    );
    if (!off) {
      continue;
    }
    const isForm = ctx.ev
      .eval(fn, module)
      .some((v) => v.kind === "class" && ctx.ev.classDerivesFrom(v.def, v.module, N.FLASK_FORM));
    if (isForm) {
      out.push({
        anchor: anchorAt(module, off),
        route: null,
        message: `${module.text(fn)} is built with meta={"csrf": False}: validating it proves nothing about where the request came from.`,
        severity: "high",
        evidence: [],
        fix: null,
      });
    }
  }
  for (const m of ctx.project.modules) {
    if (m.isTest) {
      continue;
    }
    walk(m.root, (n) => {
      if (n.type !== "class_definition" || !ctx.ev.classDerivesFrom(n, m, N.FLASK_FORM)) {
        return true;
      }
      for (const s of statements(child(n, "body"))) {
        if (s.type !== "class_definition" || child(s, "name")?.text !== "Meta") {
          continue;
        }
        for (const st of statements(child(s, "body"))) {
          const assign = st.children[0];
          if (
            assign?.type === "assignment" &&
            child(assign, "left")?.text === "csrf" &&
            child(assign, "right")?.type === "false"
          ) {
            out.push({
              anchor: anchorAt(m, assign),
              route: null,
              message: `Form ${child(n, "name")?.text ?? ""} turns its CSRF field off (Meta.csrf = False): validating it proves nothing about where the request came from.`,
              severity: "medium",
              evidence: [],
              fix: null,
            });
          }
        }
      }
      return true;
    });
  }

  return out;
}
