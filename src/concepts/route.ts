/**
 * Per-route analysis: what runs before the handler (request hooks of the app and of the route's
 * blueprints, decorators, wrappers given at registration), which credentials the route accepts,
 * and, for each HTTP method it answers, which DynamoDB operations the handler reaches and under
 * which conditions. Rules and the route inventory read this; the CSRF verdict builds on it.
 */

import type { AnalysisContext } from "../analysis/context.js";
import { classifyDynamoCall, type DynamoOp } from "../dynamo/ops.js";
import type { Blueprint, FlaskApp, Hook, Route, RouteFacts } from "../flask/model.js";
import type { PyNode } from "../python/ast.js";
import {
  callArgs,
  child,
  decoratorExpression,
  decoratorsOf,
  enclosingFunction,
  parameterNames,
  stringValue,
  unparen as unparenNode,
  walk,
} from "../python/ast.js";
import type { Value } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import type { AuthKind } from "../report/types.js";
import { type CsrfVerdict, csrfVerdicts } from "./csrf.js";
import { jwtSettings } from "./jwt.js";
import { identityRead, type RequestPart, requestRead, sessionRead } from "./sources.js";
import { type Fact, type Segment, type Trace, Walker } from "./walker.js";

/** Something that runs before the handler: a decorator, a registration wrapper or a hook. */
export interface GuardUnit {
  kind: "decorator" | "hook";
  /** The decorator or hook expression as written. */
  expr: PyNode;
  module: Module;
  /** What the expression evaluates to (a project function, or a library symbol or call). */
  values: Value[];
  /** For library decorators and hooks: the qualified name (`flask_login.login_required`). */
  library: string | null;
  /** For a library decorator factory call (`jwt_required(optional=True)`): the call. */
  call: PyNode | null;
  /** For project code: the function whose body runs before the handler. */
  body: { fn: PyNode; module: Module } | null;
  /** The hook's owner, for messages. */
  owner?: string;
}

export interface SinkAt {
  op: DynamoOp;
  segment: Segment;
}

export interface MethodAnalysis {
  method: string;
  trace: Trace;
  /** DynamoDB operations reached under this method. */
  ops: SinkAt[];
  /** Other state changes (SQL sessions, file writes): enough for CSRF without DynamoDB. */
  otherWrites: Segment[];
}

export interface CredentialUse {
  kind: AuthKind;
  node: PyNode;
  module: Module;
  /** Where it is read: the handler (or a helper), a decorator or a hook. */
  where: "handler" | "decorator" | "hook";
  /** True when the unit stops the request if this credential is missing. */
  enforced: boolean;
}

export interface RouteAnalysis {
  route: Route;
  units: GuardUnit[];
  credentials: CredentialUse[];
  methods: Map<string, MethodAnalysis>;
  /** Request parts the handler reads (form, json, json-forced, data, ...). */
  bodyReads: { part: RequestPart; node: PyNode; module: Module }[];
  csrf: Map<string, CsrfVerdict>;
  facts: RouteFacts;
}

export function analyseRoute(ctx: AnalysisContext, route: Route): RouteAnalysis {
  const units = guardUnits(ctx, route);
  const methods = new Map<string, MethodAnalysis>();
  const answered = [...route.methods];
  if (answered.includes("GET") && !answered.includes("HEAD")) {
    // Flask answers HEAD with the GET view.
    answered.push("HEAD");
  }
  for (const method of answered) {
    methods.set(method, analyseMethod(ctx, route, method));
  }
  const analysis: RouteAnalysis = {
    route,
    units,
    credentials: [],
    methods,
    bodyReads: [],
    csrf: new Map(),
    facts: { auth: [], csrf: [], dynamo: [] },
  };
  analysis.credentials = credentialsOf(ctx, analysis);
  analysis.bodyReads = bodyReads(ctx, analysis);
  analysis.csrf = csrfVerdicts(ctx, analysis);
  analysis.facts = factsOf(analysis);

  return analysis;
}

function analyseMethod(ctx: AnalysisContext, route: Route, method: string): MethodAnalysis {
  const trace = Walker.run(ctx.ev, route.handler.def, route.handler.module, { method });
  const ops: SinkAt[] = [];
  const otherWrites: Segment[] = [];
  const seen = new Set<PyNode>();
  for (const segment of trace.segments) {
    walk(segment.expr, (n) => {
      if (n.type === "lambda" || n.type === "function_definition") {
        return false;
      }
      if (n.type === "call" && !seen.has(n)) {
        seen.add(n);
        const op = classifyDynamoCall(n, segment.module, ctx.ev);
        if (op) {
          ops.push({ op, segment });
        } else if (isOtherWrite(n)) {
          otherWrites.push(segment);
        }
      }
      return true;
    });
  }

  return { method, trace, ops, otherWrites };
}

/** `db.session.commit()` and similar: state changes outside DynamoDB that make CSRF matter. */
function isOtherWrite(call: PyNode): boolean {
  const fn = child(call, "function");
  if (fn?.type !== "attribute") {
    return false;
  }
  const name = child(fn, "attribute")?.text ?? "";
  const obj = child(fn, "object");
  const objText = obj?.type === "attribute" ? child(obj, "attribute")?.text : obj?.text;

  return objText === "session" && (name === "commit" || name === "add" || name === "delete");
}

// ---------------------------------------------------------------------------------------------
// What runs before the handler.

function guardUnits(ctx: AnalysisContext, route: Route): GuardUnit[] {
  const units: GuardUnit[] = [];
  for (const hook of hooksFor(ctx, route)) {
    units.push(
      unitFor(ctx, "hook", hook.hook.expr, hook.hook.module, hook.hook.target, hook.owner),
    );
  }
  for (const w of route.wrappers) {
    units.push(unitFor(ctx, "decorator", w.expr, w.module, ctx.ev.eval(w.expr, w.module)));
  }
  // Decorators apply bottom-up and the route decorator registers what it receives: only the
  // decorators below it wrap the view Flask calls. `@login_required` above `@app.route` wraps a
  // function Flask never sees.
  const decorators = decoratorsOf(route.handler.def);
  const registeredAt = decorators.findIndex((d) => decoratorExpression(d) === route.registration);
  for (const dec of registeredAt === -1 ? decorators : decorators.slice(registeredAt + 1)) {
    const expr = decoratorExpression(dec);
    if (!expr || expr === route.registration) {
      continue;
    }
    units.push(
      unitFor(
        ctx,
        "decorator",
        expr,
        route.handler.module,
        ctx.ev.eval(expr, route.handler.module),
      ),
    );
  }
  // Flask-Admin runs the view's `is_accessible()` before every generated view.
  if (route.generated) {
    const access = ctx.ev
      .attributeOf(
        { kind: "class", def: route.generated.viewClass, module: route.generated.module },
        "is_accessible",
        route.generated.module,
      )
      .find((v) => v.kind === "function");
    if (access?.kind === "function") {
      units.push({
        kind: "hook",
        expr: access.def,
        module: access.module,
        values: [access],
        library: null,
        call: null,
        body: { fn: access.def, module: access.module },
        owner: "is_accessible",
      });
    }
  }

  return units;
}

function unitFor(
  ctx: AnalysisContext,
  kind: GuardUnit["kind"],
  expr: PyNode,
  module: Module,
  values: Value[],
  owner?: string,
): GuardUnit {
  let library: string | null = null;
  let call: PyNode | null = null;
  let body: GuardUnit["body"] = null;
  for (const v of values) {
    if (v.kind === "external") {
      library = v.qualname;
    } else if (v.kind === "call" && v.callee.kind === "external") {
      library = v.callee.qualname;
      call = v.site;
    } else if (v.kind === "member" || (v.kind === "call" && v.callee.kind === "member")) {
      // `csrf.exempt`, `limiter.limit("5/minute")`, `auth.login_required`: a method of an object.
      library = memberName(v);
      call = v.kind === "call" ? v.site : null;
    } else if (v.kind === "function") {
      body = kind === "hook" ? { fn: v.def, module: v.module } : wrapperOf(ctx, v);
    }
  }
  if (expr.type === "call" && !call) {
    call = expr;
  }

  return { kind, expr, module, values, library, call, body, owner };
}

/** `ext.method` for a member of an extension object, with the extension's class qualname. */
function memberName(v: Value): string | null {
  const m =
    v.kind === "call" && v.callee.kind === "member" ? v.callee : v.kind === "member" ? v : null;
  if (m?.kind !== "member") {
    return null;
  }
  const of = m.of;
  const base =
    of.kind === "call" && of.callee.kind === "external"
      ? of.callee.qualname
      : of.kind === "external"
        ? of.qualname
        : "?";

  return `${base}#${m.name}`;
}

/**
 * The function that runs in place of the view for a project decorator: the inner function the
 * decorator returns (`def wrapper(*a, **kw)`), found through decorator factories too.
 */
function wrapperOf(
  ctx: AnalysisContext,
  v: Value & { kind: "function" },
  depth = 0,
): GuardUnit["body"] {
  if (depth > 3) {
    return null;
  }
  const returned = ctx.ev
    .returnValues(v.def, v.module)
    .filter((r): r is Value & { kind: "function" } => r.kind === "function");
  const inner = returned.find((r) => r.def !== v.def);
  if (!inner) {
    return null;
  }
  // A factory (`require_role("admin")` evaluated to the decorator) returns the decorator itself,
  // whose own return is the wrapper.
  const innerReturns = ctx.ev
    .returnValues(inner.def, inner.module)
    .some((r) => r.kind === "function" && r.def !== inner.def);
  const callsParam = callsFirstParameter(inner.def);
  if (!callsParam && innerReturns) {
    return wrapperOf(ctx, inner, depth + 1);
  }

  return { fn: inner.def, module: inner.module };
}

function callsFirstParameter(fn: PyNode): boolean {
  // The wrapper calls the wrapped function, a parameter of an enclosing function.
  let found = false;
  const outer = enclosingFunction(fn);
  const outerParams = outer ? parameterNames(outer) : [];
  walk(fn, (n) => {
    if (n.type === "call") {
      const f = child(n, "function");
      if (f?.type === "identifier" && outerParams.includes(f.text ?? "")) {
        found = true;
      }
    }
    return !found;
  });

  return found;
}

/** Hooks that run before this route: the app's, its blueprints' (nested), app-wide blueprint hooks. */
export function hooksFor(ctx: AnalysisContext, route: Route): { hook: Hook; owner: string }[] {
  const out: { hook: Hook; owner: string }[] = [];
  const app: FlaskApp = route.app;
  for (const hook of app.hooks) {
    out.push({ hook, owner: `app ${app.name}` });
  }
  out.push(...appWideHooks(ctx, app));
  for (const bp of blueprintChain(ctx, route)) {
    for (const hook of bp.hooks) {
      if (hook.kind === "before_request") {
        out.push({ hook, owner: `blueprint ${bp.name}` });
      }
    }
  }

  return out;
}

const appWideCache = new WeakMap<FlaskApp, { hook: Hook; owner: string }[]>();

/** `before_app_request` hooks of the blueprints mounted on `app`: they run for all its routes. */
function appWideHooks(ctx: AnalysisContext, app: FlaskApp): { hook: Hook; owner: string }[] {
  let list = appWideCache.get(app);
  if (!list) {
    list = [];
    for (const bp of ctx.flask.blueprints) {
      if (!bp.hooks.some((h) => h.kind === "before_app_request")) {
        continue;
      }
      if (bp.registrations.length > 0 && !mountedOn(ctx, bp, app)) {
        continue;
      }
      for (const hook of bp.hooks) {
        if (hook.kind === "before_app_request") {
          list.push({ hook, owner: `blueprint ${bp.name} (app-wide)` });
        }
      }
    }
    appWideCache.set(app, list);
  }

  return list;
}

function mountedOn(ctx: AnalysisContext, bp: Blueprint, app: FlaskApp, depth = 0): boolean {
  if (depth > 8) {
    return false;
  }

  return bp.registrations.some((r) =>
    r.parent.kind === "app"
      ? r.parent.app === app
      : mountedOn(ctx, r.parent.blueprint, app, depth + 1),
  );
}

/** The route's blueprint and the blueprints it is nested in (their hooks run for it too). */
export function blueprintChain(_ctx: AnalysisContext, route: Route): Blueprint[] {
  if (!route.blueprint) {
    return [];
  }
  const out: Blueprint[] = [route.blueprint];
  const visit = (bp: Blueprint, depth: number) => {
    if (depth > 8) {
      return;
    }
    for (const r of bp.registrations) {
      if (r.parent.kind === "blueprint" && !out.includes(r.parent.blueprint)) {
        out.push(r.parent.blueprint);
        visit(r.parent.blueprint, depth + 1);
      }
    }
  };
  visit(route.blueprint, 0);

  return out;
}

// ---------------------------------------------------------------------------------------------
// Credentials.

const LIBRARY_AUTH: [RegExp, AuthKind | "jwt"][] = [
  [/^flask_login\.(utils\.)?(login_required|fresh_login_required)$/, "flask-login"],
  [
    /^flask_security\.(decorators\.)?(login_required|auth_required|roles_required|roles_accepted|permissions_required)$/,
    "flask-login",
  ],
  [/^flask_security\.(decorators\.)?(auth_token_required)$/, "api-key-header"],
  [/^flask_security\.(decorators\.)?(http_auth_required)$/, "basic"],
  [/^flask_jwt_extended\.(view_decorators\.)?(jwt_required|fresh_jwt_required)$/, "jwt"],
  [/^flask_httpauth\.HTTPBasicAuth#login_required$/, "basic"],
  [/^flask_httpauth\.HTTPDigestAuth#login_required$/, "basic"],
  [/^flask_httpauth\.HTTPTokenAuth#login_required$/, "api-key-header"],
];

function credentialsOf(ctx: AnalysisContext, a: RouteAnalysis): CredentialUse[] {
  const out: CredentialUse[] = [];
  const jwt = jwtSettings(ctx, a.route.app);
  for (const unit of a.units) {
    if (unit.library) {
      for (const [re, kind] of LIBRARY_AUTH) {
        if (!re.test(unit.library)) {
          continue;
        }
        if (kind === "jwt") {
          const optional = unit.call
            ? callArgs(unit.call).keywords.get("optional")?.type === "true"
            : false;
          for (const loc of jwtLocations(ctx, unit, jwt.locations)) {
            out.push({
              kind: loc,
              node: unit.expr,
              module: unit.module,
              where: "decorator",
              enforced: !optional,
            });
          }
        } else if (/auth_required$/.test(unit.library) && unit.call) {
          for (const mech of securityMechanisms(unit.call)) {
            out.push({
              kind: mech,
              node: unit.expr,
              module: unit.module,
              where: "decorator",
              enforced: true,
            });
          }
        } else {
          out.push({
            kind,
            node: unit.expr,
            module: unit.module,
            where: "decorator",
            enforced: true,
          });
        }
      }
    }
    if (unit.body) {
      const found = credentialsInBody(
        ctx,
        unit.body.fn,
        unit.body.module,
        unit.kind,
        jwt.locations,
      );
      // Flask-Admin refuses the view when is_accessible() is false: what it reads is enforced.
      out.push(
        ...(unit.owner === "is_accessible" ? found.map((c) => ({ ...c, enforced: true })) : found),
      );
    }
  }
  // `@jwt_required(locations=["headers"])` decides where the handler's `get_jwt_identity()`
  // comes from, whatever JWT_TOKEN_LOCATION says.
  const decorated = a.units.find(
    (u) =>
      u.library &&
      /jwt_required$/.test(u.library) &&
      u.call &&
      callArgs(u.call).keywords.has("locations"),
  );
  const handlerLocations = decorated
    ? jwtLocations(ctx, decorated, jwt.locations).map((k) =>
        k === "jwt-cookie" ? "cookies" : "headers",
      )
    : jwt.locations;
  out.push(
    ...credentialsInBody(
      ctx,
      a.route.handler.def,
      a.route.handler.module,
      "handler",
      handlerLocations,
    ),
  );

  return dedupeCredentials(out);
}

function jwtLocations(ctx: AnalysisContext, unit: GuardUnit, configured: string[]): AuthKind[] {
  const locArg = unit.call ? callArgs(unit.call).keywords.get("locations") : undefined;
  let locs = configured;
  if (locArg) {
    const items = ctx.ev
      .eval(locArg, unit.module)
      .flatMap((v) =>
        v.kind === "sequence"
          ? v.node.children.map((c) => stringValue(c) ?? "")
          : v.kind === "const" && typeof v.value === "string"
            ? [v.value]
            : [],
      );
    if (items.length > 0) {
      locs = items;
    }
  }

  return [
    ...new Set(
      locs.map(
        (l) =>
          (l === "cookies" ? "jwt-cookie" : l === "headers" ? "jwt-header" : "custom") as AuthKind,
      ),
    ),
  ];
}

/** `auth_required("token", "session")`: Flask-Security's mechanisms as credential kinds. */
function securityMechanisms(call: PyNode): AuthKind[] {
  const out: AuthKind[] = [];
  for (const arg of callArgs(call).positional) {
    const s = arg.text?.replace(/["']/g, "");
    if (s === "session") {
      out.push("flask-login");
    } else if (s === "token") {
      out.push("api-key-header");
    } else if (s === "basic") {
      out.push("basic");
    }
  }

  return out.length > 0 ? out : ["flask-login", "api-key-header", "basic"];
}

/**
 * Credentials a function body reads, following its helpers: session keys (other than CSRF
 * tokens), Flask-Login, JWT helpers, `request.authorization`, the Authorization header, other
 * headers, cookies. `enforced` when a read sits in a condition whose failing branch stops.
 */
function credentialsInBody(
  ctx: AnalysisContext,
  fn: PyNode,
  module: Module,
  where: CredentialUse["where"],
  jwtLocs: string[],
): CredentialUse[] {
  const trace = Walker.run(ctx.ev, fn, module, { method: null });
  const out: CredentialUse[] = [];
  const stopConds = new Set<PyNode>();
  const outer = enclosingFunction(fn);
  const wrapped = where === "decorator" && outer ? parameterNames(outer) : [];
  for (const exit of trace.exits) {
    if (exit.chain.length > 0) {
      continue;
    }
    // A hook that returns nothing, or a wrapper that returns the wrapped view's result, lets the
    // request through; anything else it returns, raises or aborts with stops it.
    const value = exit.value ? unparenNode(exit.value) : null;
    const proceeds =
      where !== "handler" &&
      exit.kind === "return" &&
      (value === null ||
        value.type === "none" ||
        (value.type === "call" && wrapped.includes(child(value, "function")?.text ?? "")));
    if (!proceeds) {
      for (const g of exit.guards) {
        stopConds.add(g.cond);
      }
    }
  }
  const jwtKinds: AuthKind[] = jwtLocs.map((l) => (l === "cookies" ? "jwt-cookie" : "jwt-header"));
  for (const seg of trace.segments) {
    walk(seg.expr, (n) => {
      if (n.type === "lambda" || n.type === "function_definition") {
        return false;
      }
      // Writing the session (`session["uid"] = ...` at login) is not reading a credential.
      if (
        n.field === "left" &&
        (n.parent?.type === "assignment" || n.parent?.type === "augmented_assignment")
      ) {
        return false;
      }
      const kinds = credentialKinds(ctx, n, seg.module, jwtKinds);
      if (kinds.length > 0) {
        const enforced =
          stopConds.has(seg.expr) ||
          [...stopConds].some((c) => c.start <= n.start && n.end <= c.end);
        for (const kind of kinds) {
          out.push({ kind, node: n, module: seg.module, where, enforced });
        }
        return false;
      }
      return true;
    });
  }

  return out;
}

function credentialKinds(
  ctx: AnalysisContext,
  n: PyNode,
  module: Module,
  jwtKinds: AuthKind[],
): AuthKind[] {
  const ses = sessionRead(n, module, ctx.ev);
  if (ses) {
    return ses.key !== null && /csrf|xsrf/i.test(ses.key) ? [] : ["session-cookie"];
  }
  const id = identityRead(n, module, ctx.ev);
  if (id?.source === "flask-login") {
    return ["flask-login"];
  }
  if (id?.source === "jwt") {
    return jwtKinds;
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    if (
      fn &&
      ctx.ev
        .eval(fn, module)
        .some(
          (v) =>
            v.kind === "external" &&
            /^flask_jwt_extended\.(verify_jwt_in_request)$/.test(v.qualname),
        )
    ) {
      return jwtKinds;
    }
  }
  const req = requestRead(n, module, ctx.ev);
  if (req) {
    if (req.part === "authorization") {
      return bearerAuthorization(n, module) ? ["jwt-header"] : ["basic"];
    }
    if (req.part === "headers" && req.key && !/csrf|xsrf/i.test(req.key)) {
      if (/^authorization$/i.test(req.key)) {
        return ["jwt-header"];
      }
      if (/api[-_]?key|auth|token|signature/i.test(req.key)) {
        return ["api-key-header"];
      }
    }
    if (
      req.part === "cookies" &&
      req.key &&
      !/csrf|xsrf|theme|lang|locale|consent/i.test(req.key)
    ) {
      return ["custom"];
    }
  }

  return [];
}

/**
 * Werkzeug 2.3+ parses `Authorization: Bearer x` into `request.authorization` too (`.type ==
 * "bearer"`, `.token`); only username/password use (or none at all) is HTTP Basic. The read may
 * go through a local variable (`auth = request.authorization`).
 */
function bearerAuthorization(read: PyNode, module: Module): boolean {
  const uses: PyNode[] = [read];
  const assign =
    read.parent?.type === "assignment" && child(read.parent, "right") === read ? read.parent : null;
  const target = assign ? child(assign, "left") : undefined;
  const fn = enclosingFunction(read);
  if (target?.type === "identifier" && fn) {
    walk(fn, (n) => {
      if (n.type === "identifier" && n.text === target.text && n !== target) {
        uses.push(n);
      }
      return true;
    });
  }
  for (const u of uses) {
    const parent = u.parent;
    if (parent?.type !== "attribute" || child(parent, "object") !== u) {
      continue;
    }
    const attr = child(parent, "attribute")?.text;
    if (attr === "token") {
      return true;
    }
    // `auth.type == "bearer"` / `auth.type != "bearer"`.
    const cmp = parent.parent;
    if (attr === "type" && cmp?.type === "comparison_operator") {
      const other = cmp.children.find((c) => c !== parent && c.field !== "operators");
      if (other && stringValue(other)?.toLowerCase() === "bearer") {
        return true;
      }
    }
  }
  void module;

  return false;
}

function dedupeCredentials(list: CredentialUse[]): CredentialUse[] {
  const out: CredentialUse[] = [];
  for (const c of list) {
    const same = out.find((o) => o.kind === c.kind && o.where === c.where);
    if (!same) {
      out.push(c);
    } else if (c.enforced && !same.enforced) {
      out[out.indexOf(same)] = c;
    }
  }

  return out;
}

/** Body parts the handler (and its helpers) read, for the JSON-versus-form CSRF question. */
function bodyReads(ctx: AnalysisContext, a: RouteAnalysis): RouteAnalysis["bodyReads"] {
  const out: RouteAnalysis["bodyReads"] = [];
  const seen = new Set<PyNode>();
  for (const m of a.methods.values()) {
    for (const seg of m.trace.segments) {
      walk(seg.expr, (n) => {
        if (seen.has(n)) {
          return false;
        }
        seen.add(n);
        const r = requestRead(n, seg.module, ctx.ev);
        if (r) {
          out.push({
            part: jsonLoadsOfData(n, seg.module, ctx) ? "json-forced" : r.part,
            node: n,
            module: seg.module,
          });
          return false;
        }
        return true;
      });
    }
  }

  return out;
}

/** `json.loads(request.data)` parses whatever content type was sent: like `force=True`. */
function jsonLoadsOfData(n: PyNode, module: Module, ctx: AnalysisContext): boolean {
  const call = n.parent?.parent;
  if (call?.type !== "call") {
    return false;
  }
  const fn = child(call, "function");

  return (
    !!fn &&
    ctx.ev
      .eval(fn, module)
      .some(
        (v) => v.kind === "external" && /^(json|simplejson|ujson|orjson)\.loads$/.test(v.qualname),
      )
  );
}

function factsOf(a: RouteAnalysis): RouteFacts {
  const auth = [...new Set(a.credentials.map((c) => c.kind))];
  const csrf = [...new Set([...a.csrf.values()].flatMap((v) => v.defences))];
  const dynamo: RouteFacts["dynamo"] = [];
  const seen = new Set<PyNode>();
  for (const m of a.methods.values()) {
    for (const s of m.ops) {
      if (seen.has(s.op.call)) {
        continue;
      }
      seen.add(s.op.call);
      dynamo.push({
        op: s.op.op,
        table: s.op.table,
        write: s.op.write,
        file: s.op.module.path,
        line: s.op.module.line(s.op.call),
      });
    }
  }

  return {
    auth: auth.length > 0 ? auth : ["none"],
    csrf: csrf.length > 0 ? csrf : ["none"],
    dynamo,
  };
}

export type { Fact };
