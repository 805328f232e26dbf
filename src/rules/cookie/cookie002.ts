/**
 * COOKIE002 session-cookie-flags: cookies that carry a credential without the attributes that
 * keep them off plain http and away from page scripts. Two shapes: `SESSION_COOKIE_SECURE` or
 * `SESSION_COOKIE_HTTPONLY` (and Flask-Login's `REMEMBER_COOKIE_*`) switched off in the
 * production configuration, and `response.set_cookie(...)` of a login, session or token cookie
 * without `secure`, `httponly` or `samesite`. Test and development configurations, test code and
 * cookies that carry no credential (a theme, a language) are not reported.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { originsOf } from "../../concepts/sources.js";
import type { PyNode } from "../../python/ast.js";
import {
  argument,
  callArgs,
  child,
  enclosingFunction,
  stringValue,
  unparen,
  walk,
} from "../../python/ast.js";
import type { Value } from "../../python/evaluate.js";
import type { Module } from "../../python/project.js";
import type { Severity } from "../../report/types.js";
import type { Rule, RuleFinding } from "../types.js";
import {
  appendArguments,
  envDefault,
  productionSettings,
  replaceNode,
  settingEvidence,
} from "./settings.js";

/** The boolean cookie settings, what each protects, and how bad it is to turn it off. */
const FLAG_SETTINGS: { key: string; what: string; severity: Severity }[] = [
  {
    key: "SESSION_COOKIE_SECURE",
    what: "the session cookie is also sent over plain http, where anyone on the network path can read it",
    severity: "medium",
  },
  {
    key: "SESSION_COOKIE_HTTPONLY",
    what: "page scripts can read the session cookie, so any XSS can steal the session",
    severity: "medium",
  },
  {
    key: "REMEMBER_COOKIE_SECURE",
    what: "Flask-Login's remember-me cookie is also sent over plain http",
    severity: "low",
  },
  {
    key: "REMEMBER_COOKIE_HTTPONLY",
    what: "page scripts can read Flask-Login's remember-me cookie",
    severity: "low",
  },
];

export const cookie002: Rule = {
  id: "COOKIE002",
  name: "session-cookie-flags",
  family: "cookie",
  severity: "medium",
  confidence: "high",
  cwe: ["CWE-614", "CWE-1004"],
  owasp: ["A05:2021"],
  status: "stable",
  fixAvailability: "sometimes",
  summary: "A credential cookie is set without Secure, HttpOnly or SameSite",
  docs: {
    whatItDoes:
      "Finds `SESSION_COOKIE_SECURE = False` and `SESSION_COOKIE_HTTPONLY = False` (and Flask-Login's `REMEMBER_COOKIE_SECURE` / `REMEMBER_COOKIE_HTTPONLY`) in the configuration the app runs with in production, and `set_cookie` calls that store a credential (a cookie named like a session, login, remember or token cookie, or whose value comes from a token generator or the session) without `secure=True`, `httponly=True` or a `samesite` value. A setting read from the environment that is off unless the deployment sets the variable is reported at low severity.",
    why: "Without Secure the browser also sends the cookie over plain http, so one unencrypted request (a mistyped link, a captive portal) hands the credential to whoever watches the network. Without HttpOnly any script injected into a page can read it and replay it elsewhere. Without SameSite it rides on cross-site requests. Development and test classes that turn Secure off for http://localhost are expected and are not reported.",
    example: `from flask import Flask, make_response
import secrets

app = Flask(__name__)


@app.post("/login")
def login():
    response = make_response("signed in")
    response.set_cookie("session_token", secrets.token_urlsafe(32))
    return response
`,
    useInstead: `from flask import Flask, make_response
import secrets

app = Flask(__name__)


@app.post("/login")
def login():
    response = make_response("signed in")
    response.set_cookie(
        "session_token", secrets.token_urlsafe(32), secure=True, httponly=True, samesite="Lax"
    )
    return response
`,
    fixSafety:
      'Both fixes are unsafe: turning the setting to True, or adding `secure=True, httponly=True, samesite="Lax"` to `set_cookie`, stops the cookie from reaching plain-http pages, page scripts and cross-site requests that may rely on it today.',
    knownProblems:
      "Flask's own default for `SESSION_COOKIE_SECURE` is False; an app that never sets it is not reported, only one that switches it off. Cookies set through a helper that passes options as `**kwargs` are not checked; a `Set-Cookie` header written by hand is judged by its literal text only.",
    references: [
      "https://flask.palletsprojects.com/en/stable/security/#set-cookie-options",
      "https://owasp.org/www-community/controls/SecureCookieAttribute",
      "https://owasp.org/www-community/HttpOnly",
    ],
  },
  check(ctx) {
    return [...configFindings(ctx), ...setCookieFindings(ctx)];
  },
};

function configFindings(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const { key, what, severity } of FLAG_SETTINGS) {
    for (const s of productionSettings(ctx, key)) {
      const v = s.value;
      const anchor = anchorAt(s.entry.module, s.entry.site);
      if (v.kind === "const" && (v.value === false || v.value === 0 || v.value === null)) {
        out.push({
          anchor,
          route: null,
          message: `${key} is off in the production configuration: ${what}.`,
          severity,
          evidence: settingEvidence(s),
          fix: s.entry.value
            ? {
                description: `Set ${key} to True; over plain http the cookie is then not sent back.`,
                applicability: "unsafe",
                edits: [replaceNode(s.entry.module, s.entry.value, "True")],
              }
            : null,
        });
      } else if (v.kind === "env" && !envDefault(v)) {
        out.push({
          anchor,
          route: null,
          message: `${key} is off unless the environment variable ${v.variable} turns it on: when a deployment forgets it, ${what}.`,
          severity: "low",
          confidence: "medium",
          evidence: settingEvidence(s),
          fix: null,
        });
      }
    }
  }

  return out;
}

// ---------------------------------------------------------------------------------------------
// set_cookie

/** Words in a cookie name that say it carries a credential. */
const CREDENTIAL_WORDS = new Set([
  "session",
  "sess",
  "sid",
  "sessionid",
  "login",
  "auth",
  "authorization",
  "remember",
  "token",
  "jwt",
  "credential",
  "credentials",
  "apikey",
  "access",
  "refresh",
  "identity",
  "uid",
  "userid",
]);
/** CSRF double-submit cookies are meant to be read by page scripts; they are not credentials. */
const NOT_CREDENTIAL_WORDS = new Set(["csrf", "xsrf"]);

/** Functions whose result is a credential (a random token, a signed token). */
const TOKEN_MAKERS =
  /^(secrets\.token_(hex|urlsafe|bytes)|flask_jwt_extended(\.utils)?\.create_(access|refresh)_token|jwt\.encode|flask_login(\.utils)?\.encode_cookie)$/;
/** Project functions named like token or session makers (`issue_session`, `make_remember_token`). */
const TOKEN_FUNCTION_NAMES = /(^|_)(token|jwt|session|sid)(_|$)/i;

function setCookieFindings(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const { call, module } of ctx.ev.calls()) {
    const fn = child(call, "function");
    if (
      module.isTest ||
      fn?.type !== "attribute" ||
      child(fn, "attribute")?.text !== "set_cookie"
    ) {
      continue;
    }
    const args = callArgs(call);
    const nameNode = argument(call, 0, "key");
    const valueNode = argument(call, 1, "value");
    if (!nameNode || args.splats.length > 0) {
      continue;
    }
    const name = stringValue(nameNode);
    const why = credentialReason(ctx, name, valueNode, module);
    if (!why) {
      continue;
    }
    const missing = missingFlags(ctx, call, module);
    if (missing.length === 0) {
      continue;
    }
    const serious = missing.some((m) => m.flag !== "samesite");
    const argsNode = child(call, "arguments");
    out.push({
      anchor: anchorAt(module, call),
      route: null,
      message: `The ${name === null ? "cookie" : `"${name}" cookie`} ${why}, but it is set ${howSet(missing)}: ${consequences(missing)}.`,
      severity: serious ? "medium" : "low",
      evidence: [],
      fix: argsNode ? flagFix(module, argsNode, missing) : null,
    });
  }
  out.push(...handWrittenHeaders(ctx));

  return out;
}

/**
 * `response.headers.add("Set-Cookie", f"session_token={token}; Path=/")` or
 * `response.headers["Set-Cookie"] = ...`: the cookie's attributes are the header's literal text.
 */
function handWrittenHeaders(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  const headerWrites: { node: PyNode; value: PyNode; module: Module }[] = [];
  for (const name of ["add", "set", "append", "add_header"]) {
    for (const { call, module } of ctx.ev.callsNamed(name)) {
      const [header, value] = callArgs(call).positional;
      if (
        header &&
        value &&
        stringValue(header)?.toLowerCase() === "set-cookie" &&
        !module.isTest
      ) {
        headerWrites.push({ node: call, value, module });
      }
    }
  }
  for (const module of ctx.project.modules) {
    if (module.isTest) {
      continue;
    }
    walk(module.root, (n) => {
      if (n.type === "assignment") {
        const left = child(n, "left");
        const key = left?.type === "subscript" ? child(left, "subscript") : undefined;
        const right = child(n, "right");
        if (key && right && stringValue(key)?.toLowerCase() === "set-cookie") {
          headerWrites.push({ node: n, value: right, module });
        }
      }
      return true;
    });
  }
  for (const { node, value, module } of headerWrites) {
    const v = unparen(value);
    if (v.type !== "string") {
      continue;
    }
    // The header's literal text: the cookie's name before `=`, its attributes after `;`.
    const literal = v.children
      .filter((c) => c.type === "string_content")
      .map((c) => c.text ?? "")
      .join("");
    const name = /^\s*([^=;\s]+)=/.exec(literal)?.[1] ?? null;
    const interpolated = v.children.find((c) => c.type === "interpolation");
    const valueExpr = interpolated
      ? (child(interpolated, "expression") ?? interpolated.children[0])
      : undefined;
    const why = credentialReason(ctx, name, valueExpr, module);
    if (!why) {
      continue;
    }
    const attributes = literal.toLowerCase();
    const missing = (["secure", "httponly", "samesite"] as const).filter(
      (flag) => !attributes.includes(flag),
    );
    if (missing.length === 0) {
      continue;
    }
    out.push({
      anchor: anchorAt(module, node),
      route: null,
      message: `The ${name === null ? "cookie" : `"${name}" cookie`} ${why}, but the Set-Cookie header written by hand has no ${missing.join(", ")} attribute: ${consequences(missing.map((flag): MissingFlag => ({ flag, text: "", node: null, add: "" })))}.`,
      severity: missing.some((m) => m !== "samesite") ? "medium" : "low",
      evidence: [],
      fix: null,
    });
  }

  return out;
}

/** Why the cookie holds a credential, or null when nothing says it does. */
function credentialReason(
  ctx: AnalysisContext,
  name: string | null,
  value: PyNode | undefined,
  module: Module,
): string | null {
  if (name !== null) {
    const words = nameWords(name);
    if (words.some((w) => NOT_CREDENTIAL_WORDS.has(w))) {
      return null;
    }
    if (words.some((w) => CREDENTIAL_WORDS.has(w))) {
      return "is named like a credential";
    }
  }
  if (!value) {
    return null;
  }
  if (ctx.ev.eval(value, module).some((v) => TOKEN_MAKERS.test(calledName(v) ?? ""))) {
    return "holds a generated token";
  }
  if (madeByTokenFunction(ctx, value, module)) {
    return "holds a token";
  }
  if (originsOf(value, module, ctx.ev).some((o) => o.kind === "session")) {
    return "holds a value from the session";
  }

  return null;
}

/** `session_token` → session, token; `rememberMe` → remember, me. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

function calledName(v: Value): string | null {
  if (v.kind !== "call") {
    return null;
  }
  if (v.callee.kind === "external") {
    return v.callee.qualname;
  }

  return null;
}

/** The value, or a local it was assigned from, is a call to a function named like a token maker. */
function madeByTokenFunction(ctx: AnalysisContext, value: PyNode, module: Module): boolean {
  const nodes = [unparen(value)];
  const fn = enclosingFunction(value);
  if (value.type === "identifier" && fn) {
    for (const b of ctx.ev.bindingsOf(fn, module).get(value.text ?? "") ?? []) {
      if (b.kind === "assign" && b.value) {
        nodes.push(unparen(b.value));
      }
    }
  }
  let found = false;
  for (const n of nodes) {
    walk(n, (x) => {
      if (x.type === "call") {
        const callee = child(x, "function");
        const last = callee?.type === "attribute" ? child(callee, "attribute")?.text : callee?.text;
        if (last && TOKEN_FUNCTION_NAMES.test(last)) {
          found = true;
        }
      }
      return !found;
    });
  }

  return found;
}

interface MissingFlag {
  flag: "secure" | "httponly" | "samesite";
  /** How the call sets it when it is written but off: `with secure=False`. */
  text: string;
  /** The argument's value when it is written (so the fix replaces it instead of adding it). */
  node: PyNode | null;
  /** The keyword argument that turns it on. */
  add: string;
}

/** Replaces the flags written off and adds the missing ones at the end of the argument list. */
function flagFix(module: Module, args: PyNode, missing: MissingFlag[]): RuleFinding["fix"] {
  const edits = missing.flatMap((m) =>
    m.node ? [replaceNode(module, m.node, m.add.split("=")[1]!)] : [],
  );
  const additions = missing.filter((m) => !m.node).map((m) => m.add);
  if (additions.length > 0) {
    edits.push(appendArguments(module, args, additions));
  }

  return {
    description: `Set the cookie with ${missing.map((m) => m.add).join(", ")}; it then no longer reaches plain-http pages, page scripts or cross-site requests that may use it today.`,
    applicability: "unsafe",
    edits,
  };
}

/** Werkzeug's positions: set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite). */
const FLAG_POSITIONS = { secure: 6, httponly: 7, samesite: 8 } as const;

function missingFlags(ctx: AnalysisContext, call: PyNode, module: Module): MissingFlag[] {
  const out: MissingFlag[] = [];
  for (const flag of ["secure", "httponly", "samesite"] as const) {
    const node = argument(call, FLAG_POSITIONS[flag], flag);
    const add = flag === "samesite" ? 'samesite="Lax"' : `${flag}=True`;
    if (!node) {
      out.push({ flag, text: "", node: null, add });
      continue;
    }
    const values = ctx.ev.eval(node, module);
    const consts = values.filter((v): v is Extract<Value, { kind: "const" }> => v.kind === "const");
    if (values.length === 0 || consts.length !== values.length) {
      // Decided at run time (`secure=request.is_secure`): not judged.
      continue;
    }
    const off =
      flag === "samesite"
        ? consts.some((v) => v.value === null || String(v.value).toLowerCase() === "none")
        : consts.some((v) => !v.value);
    if (off) {
      out.push({
        flag,
        text: `with ${module.text(node.parent?.type === "keyword_argument" ? node.parent : node)}`,
        node,
        add,
      });
    }
  }

  return out;
}

/** "without secure or httponly, with samesite=None". */
function howSet(missing: MissingFlag[]): string {
  const absent = missing.filter((m) => !m.node).map((m) => m.flag);
  const parts = missing.filter((m) => m.node).map((m) => m.text);
  if (absent.length > 0) {
    const list =
      absent.length === 1
        ? absent[0]
        : `${absent.slice(0, -1).join(", ")} or ${absent[absent.length - 1]}`;
    parts.unshift(`without ${list}`);
  }

  return parts.join(", ");
}

function consequences(missing: MissingFlag[]): string {
  const parts: string[] = [];
  for (const m of missing) {
    if (m.flag === "secure") {
      parts.push("it also travels over plain http");
    } else if (m.flag === "httponly") {
      parts.push("page scripts (and so any XSS) can read it");
    } else if (m.node) {
      parts.push("it rides on every cross-site request");
    } else {
      parts.push("it rides on cross-site requests in browsers that do not default to Lax");
    }
  }

  return parts.join("; ");
}
