/**
 * Whether a route authenticates its caller on every path, as AUTH001 and LLM001 need to know.
 *
 * A route is authenticated when
 *   - a credential is enforced: a library decorator (`login_required`, `jwt_required()`), or a
 *     hook, decorator or handler check whose failing branch stops the request;
 *   - a hook or decorator stops the request under a condition that depends on a credential, even
 *     when the credential was first stored in a variable (`scheme, _, token =
 *     request.headers.get("Authorization", "").partition(" ")` then `if not token: abort(401)`),
 *     or calls `verify_jwt_in_request()`;
 *   - a hook or decorator checks a role (a role implies a signed-in caller);
 *   - the handler reads the caller's identity (`current_user.id`, `session["user_id"]`,
 *     `get_jwt_identity()`, an Authorization, API-key or signature header): an anonymous caller
 *     has none, so the handler fails or acts on nobody's behalf, which is not this rule's concern;
 *   - the handler verifies a signed token from the request (itsdangerous `loads`, PyJWT `decode`).
 * A cookie that is not an identity (a conversation id, a theme) does not authenticate.
 */

import type { AnalysisContext } from "../analysis/context.js";
import type { PyNode } from "../python/ast.js";
import {
  callArgs,
  child,
  enclosingFunction,
  parameterNames,
  unparen,
  walk,
} from "../python/ast.js";
import type { Module } from "../python/project.js";
import type { Evidence } from "../report/types.js";
import { unitRoleCheck } from "./roles.js";
import type { CredentialUse, GuardUnit, RouteAnalysis } from "./route.js";
import { identityRead, type Origin, originsOf, requestRead, sessionRead } from "./sources.js";
import { type Exit, Walker } from "./walker.js";

export interface Authentication {
  authenticated: boolean;
  /** What authenticates the route, or the credential reads that do not (for messages). */
  evidence: Evidence[];
  /** Credentials read without any check that stops an anonymous caller. */
  unenforced: CredentialUse[];
}

const CREDENTIAL_WORDS: Record<string, string> = {
  "session-cookie": "the session",
  "flask-login": "Flask-Login",
  "jwt-cookie": "a JWT cookie",
  "jwt-header": "a bearer token",
  basic: "HTTP Basic credentials",
  "api-key-header": "an API key or signature header",
  custom: "a cookie",
};

const cache = new WeakMap<RouteAnalysis, Authentication>();

export function authenticationOf(ctx: AnalysisContext, a: RouteAnalysis): Authentication {
  const cached = cache.get(a);
  if (cached) {
    return cached;
  }
  const result = decide(ctx, a);
  cache.set(a, result);

  return result;
}

function decide(ctx: AnalysisContext, a: RouteAnalysis): Authentication {
  const yes = (node: PyNode, module: Module, note: string): Authentication => ({
    authenticated: true,
    evidence: [{ file: module.path, line: module.line(node), note }],
    unenforced: [],
  });
  // A credential the handler reads only after its write does not protect that write.
  const firstWrite = firstWriteAt(a);
  const usable = a.credentials.filter(
    (c) =>
      c.where !== "handler" ||
      firstWrite === null ||
      c.module !== a.route.handler.module ||
      c.node.start < firstWrite,
  );
  const enforced = usable.find((c) => c.enforced);
  if (enforced) {
    return yes(
      enforced.node,
      enforced.module,
      `requires ${CREDENTIAL_WORDS[enforced.kind] ?? enforced.kind} (${enforced.where})`,
    );
  }
  for (const unit of a.units) {
    const stop = credentialStop(ctx, unit);
    if (stop) {
      return yes(
        stop.node,
        stop.module,
        `the ${unit.kind} stops requests without a valid credential`,
      );
    }
    const role = [...a.methods.keys()]
      .map((m) => unitRoleCheck(ctx, unit, m, a.route))
      .find((r) => r !== null);
    if (role) {
      return yes(role.node, role.module, role.note);
    }
  }
  // A cookie counts when its name says it carries a login (`auth_token`), not a basket id.
  const identity = usable.find(
    (c) =>
      c.where === "handler" &&
      (c.kind !== "custom" || credentialCookie(requestRead(c.node, c.module, ctx.ev)?.key ?? null)),
  );
  if (identity) {
    return yes(
      identity.node,
      identity.module,
      `the handler acts for the caller identified by ${CREDENTIAL_WORDS[identity.kind] ?? identity.kind}`,
    );
  }
  const loadedIdentity = handlerReadsHookIdentity(ctx, a);
  if (loadedIdentity) {
    return yes(
      loadedIdentity.node,
      loadedIdentity.module,
      "the handler acts for the caller a request hook identified",
    );
  }
  const signed = signedTokenCheck(ctx, a);
  if (signed) {
    return yes(signed.node, signed.module, "the handler verifies a signed token from the request");
  }

  return { authenticated: false, evidence: [], unenforced: a.credentials };
}

/** Where the handler's first DynamoDB write ends (its own call, or the helper call leading to it). */
function firstWriteAt(a: RouteAnalysis): number | null {
  let first: number | null = null;
  for (const m of a.methods.values()) {
    for (const sink of m.ops) {
      if (!sink.op.write) {
        continue;
      }
      // Its end: a credential read inside the call's own arguments (`Key={"id": current_user.id}`)
      // comes before the write happens.
      const at = (sink.segment.chain[0]?.call ?? sink.op.call).end;
      if (first === null || at < first) {
        first = at;
      }
    }
  }

  return first;
}

/**
 * A stop (abort, raise, or a returned response) in a hook or decorator whose condition depends on
 * a credential read, or a `verify_jwt_in_request()` call, which raises without a token.
 */
const stopCache = new WeakMap<PyNode, { node: PyNode; module: Module } | null>();

function credentialStop(
  ctx: AnalysisContext,
  unit: GuardUnit,
): { node: PyNode; module: Module } | null {
  if (!unit.body) {
    return null;
  }
  // Hooks and decorators run before many routes: decide each body once.
  const known = stopCache.get(unit.body.fn);
  if (known !== undefined) {
    return known;
  }
  const found = findCredentialStop(ctx, unit);
  stopCache.set(unit.body.fn, found);

  return found;
}

function findCredentialStop(
  ctx: AnalysisContext,
  unit: GuardUnit,
): { node: PyNode; module: Module } | null {
  if (!unit.body) {
    return null;
  }
  const trace = Walker.run(ctx.ev, unit.body.fn, unit.body.module, { method: null });
  for (const seg of trace.segments) {
    let found: PyNode | null = null;
    walk(seg.expr, (n) => {
      if (n.type === "call" && isVerifyJwt(ctx, n, seg.module)) {
        found = n;
      }
      return found === null && n.type !== "lambda";
    });
    if (found) {
      return { node: found, module: seg.module };
    }
  }
  const viewParams = unit.kind === "decorator" ? outerParams(unit.body.fn) : [];
  for (const exit of trace.exits) {
    if (!stops(exit, unit, viewParams)) {
      continue;
    }
    for (const g of exit.guards) {
      if (dependsOnCredential(ctx, g.cond, g.module)) {
        return { node: exit.node, module: exit.module };
      }
    }
  }

  return null;
}

/** Whether leaving the unit this way refuses the request. */
function stops(exit: Exit, unit: GuardUnit, viewParams: string[]): boolean {
  if (exit.kind !== "return") {
    return true;
  }
  if (exit.chain.length > 0 || !exit.value) {
    return false;
  }
  const v = unparen(exit.value);
  if (v.type === "none") {
    return false;
  }
  if (unit.kind === "hook") {
    return true;
  }
  // A decorator's wrapper refuses when it returns something other than the view's response.
  const callee = v.type === "call" ? child(v, "function") : undefined;

  return !(callee?.type === "identifier" && viewParams.includes(callee.text ?? ""));
}

function outerParams(fn: PyNode): string[] {
  const outer = enclosingFunction(fn);

  return outer ? parameterNames(outer) : [];
}

function isVerifyJwt(ctx: AnalysisContext, call: PyNode, module: Module): boolean {
  const fn = child(call, "function");
  if (
    !fn ||
    !ctx.ev
      .eval(fn, module)
      .some(
        (v) =>
          v.kind === "external" &&
          /^flask_jwt_extended\.(view_decorators\.)?verify_jwt_in_request$/.test(v.qualname),
      )
  ) {
    return false;
  }

  return callArgs(call).keywords.get("optional")?.type !== "true";
}

/** A condition that reads a credential directly or through the locals it is computed from. */
export function dependsOnCredential(ctx: AnalysisContext, cond: PyNode, module: Module): boolean {
  let direct = false;
  walk(cond, (n) => {
    if (!direct && isCredentialRead(ctx, n, module)) {
      direct = true;
    }
    return !direct && n.type !== "lambda";
  });
  if (direct) {
    return true;
  }

  return [...originsOf(cond, module, ctx.ev), ...unpackedOrigins(ctx, cond, module)].some((o) => {
    if (o.kind === "session" || o.kind === "identity") {
      return !(o.kind === "session" && o.key !== null && /csrf|xsrf/i.test(o.key));
    }
    if (o.kind !== "request") {
      return false;
    }

    return (
      o.part === "authorization" ||
      (o.part === "headers" && credentialHeader(o.key)) ||
      (o.part === "cookies" && credentialCookie(o.key))
    );
  });
}

/**
 * Origins of names bound by unpacking a value that is not a literal tuple: in `scheme, _, token =
 * request.headers.get("Authorization", "").partition(" ")` each name comes from the header.
 */
function unpackedOrigins(ctx: AnalysisContext, cond: PyNode, module: Module): Origin[] {
  const fn = enclosingFunction(cond);
  if (!fn) {
    return [];
  }
  const out: Origin[] = [];
  const bindings = ctx.ev.bindingsOf(fn, module);
  walk(cond, (n) => {
    if (n.type === "identifier" && n.field !== "attribute") {
      for (const b of bindings.get(n.text ?? "") ?? []) {
        const assign =
          b.kind === "assign" && b.value === null
            ? b.stmt.children.find((c) => c.type === "assignment")
            : undefined;
        const right = assign ? child(assign, "right") : undefined;
        if (right) {
          out.push(...originsOf(right, module, ctx.ev));
        }
      }
    }
    return n.type !== "lambda";
  });

  return out;
}

function isCredentialRead(ctx: AnalysisContext, n: PyNode, module: Module): boolean {
  const ses = sessionRead(n, module, ctx.ev);
  if (ses) {
    return ses.key === null || !/csrf|xsrf/i.test(ses.key);
  }
  if (identityRead(n, module, ctx.ev)) {
    return true;
  }
  const req = requestRead(n, module, ctx.ev);

  return (
    !!req &&
    (req.part === "authorization" ||
      (req.part === "headers" && credentialHeader(req.key)) ||
      (req.part === "cookies" && credentialCookie(req.key)))
  );
}

function credentialHeader(key: string | null): boolean {
  return (
    key !== null &&
    /^authorization$|api[-_]?key|auth|token|signature|secret/i.test(key) &&
    !/csrf|xsrf/i.test(key)
  );
}

function credentialCookie(key: string | null): boolean {
  return (
    key !== null &&
    /session|auth|token|remember|jwt|login|user/i.test(key) &&
    !/csrf|xsrf/i.test(key)
  );
}

/**
 * The handler reads a `g` attribute that a hook of the route fills in (`g.user = load(...)`)
 * from a credential: the hook identified the caller, and the handler acts for that identity.
 */
function handlerReadsHookIdentity(
  ctx: AnalysisContext,
  a: RouteAnalysis,
): { node: PyNode; module: Module } | null {
  if (!a.credentials.some((c) => c.where === "hook")) {
    return null;
  }
  const stored = new Set<string>();
  for (const unit of a.units) {
    if (unit.kind === "hook" && unit.body) {
      for (const name of gNamesStored(ctx, unit.body.fn, unit.body.module)) {
        stored.add(name);
      }
    }
  }
  for (const m of a.methods.values()) {
    for (const seg of m.trace.segments) {
      let found: PyNode | null = null;
      walk(seg.expr, (n) => {
        if (
          found === null &&
          n.type === "attribute" &&
          stored.has(child(n, "attribute")?.text ?? "") &&
          identityRead(n, seg.module, ctx.ev)?.source === "g"
        ) {
          found = n;
        }
        return found === null;
      });
      if (found) {
        return { node: found, module: seg.module };
      }
    }
  }

  return null;
}

const gStores = new WeakMap<PyNode, string[]>();

/** Names a hook (and the helpers it calls) stores on `g`: `g.user = ...` gives `user`. */
function gNamesStored(ctx: AnalysisContext, fn: PyNode, module: Module): string[] {
  const known = gStores.get(fn);
  if (known) {
    return known;
  }
  const names: string[] = [];
  for (const seg of Walker.run(ctx.ev, fn, module, { method: null }).segments) {
    walk(seg.expr, (n) => {
      const left = n.type === "assignment" ? child(n, "left") : undefined;
      if (left?.type === "attribute" && identityRead(left, seg.module, ctx.ev)?.source === "g") {
        names.push(child(left, "attribute")?.text ?? "");
      }
      return n.type !== "lambda";
    });
  }
  gStores.set(fn, names);

  return names;
}

/** itsdangerous `serializer.loads(token)` or PyJWT `jwt.decode(token, key)` in the handler. */
function signedTokenCheck(
  ctx: AnalysisContext,
  a: RouteAnalysis,
): { node: PyNode; module: Module } | null {
  for (const m of a.methods.values()) {
    for (const seg of m.trace.segments) {
      let found: PyNode | null = null;
      walk(seg.expr, (n) => {
        if (found === null && n.type === "call" && isSignedTokenCall(ctx, n, seg.module)) {
          found = n;
        }
        return found === null && n.type !== "lambda";
      });
      if (found) {
        return { node: found, module: seg.module };
      }
    }
  }

  return null;
}

function isSignedTokenCall(ctx: AnalysisContext, call: PyNode, module: Module): boolean {
  const fn = child(call, "function");
  if (fn?.type !== "attribute") {
    return false;
  }
  const name = child(fn, "attribute")?.text ?? "";

  return ctx.ev.eval(fn, module).some((v) => {
    if (v.kind === "external") {
      return /^jwt\.(api_jwt\.)?decode$/.test(v.qualname);
    }
    if (v.kind === "member" && (name === "loads" || name === "loads_unsafe")) {
      const of = v.of;
      return (
        of.kind === "call" &&
        of.callee.kind === "external" &&
        /^itsdangerous\./.test(of.callee.qualname) &&
        name === "loads"
      );
    }
    return false;
  });
}

/** "reads a cookie", "reads the session": the credentials read without a check, for messages. */
export function unenforcedWords(list: readonly CredentialUse[]): string {
  const words = [...new Set(list.map((c) => CREDENTIAL_WORDS[c.kind] ?? c.kind))];

  return words.join(", ");
}
