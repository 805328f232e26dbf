/**
 * What a route is for, as far as its names and its code say: a login (its path or handler says
 * so, or it checks a password), a change of the account's password or e-mail address (its
 * path or handler says so, or it writes those attributes for a signed-in caller), or a feature
 * that is public by design (sign-up, password-reset request, contact and feedback forms,
 * newsletter subscriptions). AUTH001 and RATE001 read this; names are split into words so that
 * `requested_role` is not `role` and `emailer` is not `email`.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import { originsOf } from "../../concepts/sources.js";
import type { Segment } from "../../concepts/walker.js";
import type { DynamoOp } from "../../dynamo/ops.js";
import type { Route } from "../../flask/model.js";
import type { PyNode } from "../../python/ast.js";
import { callArgs, child, walk } from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import { writtenAttributes } from "./written.js";

/** Password verification functions: werkzeug, bcrypt, passlib, argon2, Flask-Security, Django-style. */
const PASSWORD_CHECK_NAMES = new Set([
  "check_password_hash",
  "checkpw",
  "verify_password",
  "check_password",
  "verify_and_update",
]);
const PASSWORD_VERIFY_LIBS = /^(passlib|argon2|pwdlib|bcrypt|flask_bcrypt)\./;

const LOGIN_WORDS = /^(login|log-in|log_in|logon|signin|sign-in|sign_in|authenticate)$/;
/** Session or token creation, when it is the last segment of the path: `POST /auth/token`. */
const SESSION_WORDS = /^(session|sessions|token|tokens|access-token|access_token)$/;
const LOGIN_NAME =
  /(^|_)(login|logon|signin|sign_in|log_in|authenticate)($|_)|(^|_)(create|new|start|open)_session($|_)|(^|_)(issue|obtain|get)_token($|_)/;
const CREDENTIAL_WORDS = /^(password|passwd|pwd|passphrase|email|e-mail|email_address|mail)$/;
const PASSWORD_WORDS = /^(password|passwd|pwd|passphrase)$/;
const CHANGE_WORDS = /^(change|update|set|reset|edit|new|forgot|recover|modify)$/;
const CREDENTIAL_ATTRS =
  /^(password|password_hash|passwd|pwd_hash|hashed_password|pw_hash|password_digest|email|email_address)$/i;
const PUBLIC_WORDS: [RegExp, string][] = [
  [
    /^(signup|sign-up|sign_up|register|registration|join|enroll|create-account|create_account)$/,
    "sign-up",
  ],
  [
    /^(forgot|reset|recover|forgot-password|reset-password|forgot_password|reset_password|password-reset|password_reset)$/,
    "password-reset request",
  ],
  [/^(contact|feedback|enquiry|inquiry|enquiries|inquiries|support|report-abuse)$/, "contact form"],
  [
    /^(subscribe|unsubscribe|newsletter|waitlist|waiting-list|notify-me|rsvp)$/,
    "newsletter or waiting-list sign-up",
  ],
];

/** Words of a route's path (without converters) and of its handler (and view class). */
export function routeWords(route: Route): string[] {
  const path = route.path
    .split("/")
    .filter((s) => s !== "" && !s.startsWith("<"))
    .map((s) => s.toLowerCase());
  const parts = route.handler.qualname.split(".").slice(-2);
  const names = parts.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase());

  return [
    ...path,
    ...path.flatMap((s) => s.split(/[-_.]/)),
    ...names,
    ...names.flatMap((n) => n.split("_")),
  ];
}

export interface Found {
  node: PyNode;
  module: Module;
  segment: Segment;
}

/** A call that verifies a password, reached by the route under `method` (any when omitted). */
export function passwordCheck(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method?: string,
): Found | null {
  for (const [m, analysis] of a.methods) {
    if (method && m !== method) {
      continue;
    }
    for (const segment of analysis.trace.segments) {
      let found: PyNode | null = null;
      walk(segment.expr, (n) => {
        if (found === null && n.type === "call" && isPasswordCheck(ctx, n, segment.module)) {
          found = n;
        }
        return found === null && n.type !== "lambda";
      });
      if (found) {
        return { node: found, module: segment.module, segment };
      }
    }
  }

  return null;
}

export function isPasswordCheck(ctx: AnalysisContext, call: PyNode, module: Module): boolean {
  const fn = child(call, "function");
  const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : fn?.text;
  if (!fn || !name) {
    return false;
  }
  if (PASSWORD_CHECK_NAMES.has(name)) {
    return true;
  }
  // `ph.verify(hash, password)` with argon2's PasswordHasher, `pwd_context.verify(...)` with passlib.
  if (name === "verify") {
    return ctx.ev.eval(fn, module).some((v) => {
      const of = v.kind === "member" ? v.of : null;
      return (
        of?.kind === "call" &&
        of.callee.kind === "external" &&
        PASSWORD_VERIFY_LIBS.test(of.callee.qualname)
      );
    });
  }

  return false;
}

/** A login route by its name or path. */
export function isLoginByName(route: Route): boolean {
  const words = routeWords(route);
  const handler = route.handler.name.toLowerCase();

  const last =
    route.path
      .split("/")
      .filter((p) => p !== "" && !p.startsWith("<"))
      .pop() ?? "";

  return (
    words.some((w) => LOGIN_WORDS.test(w)) ||
    LOGIN_NAME.test(handler) ||
    SESSION_WORDS.test(last.toLowerCase())
  );
}

/** A password or e-mail change (or reset) route by its name or path. */
export function isCredentialChangeByName(route: Route): boolean {
  const words = routeWords(route);
  if (words.some((w) => PASSWORD_WORDS.test(w))) {
    return true;
  }

  return words.some((w) => CREDENTIAL_WORDS.test(w)) && words.some((w) => CHANGE_WORDS.test(w));
}

/**
 * A write of a password or e-mail attribute to the caller's own item under `method`: the item's
 * key comes from the session or the signed-in identity, as in an account settings page (an
 * administrator editing other users, or a CRM storing customers' e-mail addresses, is not that).
 */
export function credentialWrite(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
): { name: string; node: PyNode; module: Module } | null {
  for (const s of a.methods.get(method)?.ops ?? []) {
    if (!keyedByCaller(ctx, s.op)) {
      continue;
    }
    const hit = writtenAttributes(ctx, s.op).find((w) => CREDENTIAL_ATTRS.test(w.name));
    if (hit) {
      return { name: hit.name, node: s.op.call, module: s.op.module };
    }
  }

  return null;
}

function keyedByCaller(ctx: AnalysisContext, op: DynamoOp): boolean {
  const fn = child(op.call, "function");
  const target =
    op.api === "pynamodb"
      ? fn?.type === "attribute"
        ? child(fn, "object")
        : undefined
      : callArgs(op.call).keywords.get("Key");
  if (!target) {
    return false;
  }

  return originsOf(target, op.module, ctx.ev).some(
    (o) => o.kind === "session" || o.kind === "identity",
  );
}

/** Why a route may be public by design ("sign-up"), or null. */
export function publicPurpose(route: Route): string | null {
  const words = routeWords(route);
  for (const [re, what] of PUBLIC_WORDS) {
    if (words.some((w) => re.test(w))) {
      return what;
    }
  }
  if (isLoginByName(route)) {
    return "login";
  }

  return null;
}
