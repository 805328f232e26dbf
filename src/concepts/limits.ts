/**
 * Rate limits with Flask-Limiter: does some limit apply to a route's requests of a given method?
 *
 * A limit applies when the route's app has a bound `Limiter` (constructed with the app or
 * `init_app`-ed, in whatever module) and either
 *   - the view carries `@limiter.limit(...)` / `@limiter.shared_limit(...)` (for that method when
 *     `methods=` narrows it), or the view or one of its blueprints is wrapped at registration:
 *     `limiter.limit("5/minute")(view)`, `limiter.limit("100/hour")(bp)`;
 *   - or the limiter has default limits (`default_limits=`, the 1.x spelling `global_limits=`,
 *     `RATELIMIT_DEFAULT`) or application limits (`application_limits=`, `RATELIMIT_APPLICATION`)
 *     and neither the view nor its blueprints are exempted (`@limiter.exempt`, `limiter.exempt(bp)`).
 * `RATELIMIT_ENABLED = False` or `enabled=False` turns every limit off. A project decorator whose
 * name says it throttles (`@rate_limit`, `@throttle`) is taken at its word.
 *
 * Flask-Limiter 3 made `key_func` the only positional argument: `Limiter(app)` written for 1.x/2.x
 * binds nothing when 3.x is pinned (the app becomes the key function), so such a binding does not
 * count then.
 */

import type { AnalysisContext } from "../analysis/context.js";
import { effectiveEntries, readConfigValue } from "../flask/config.js";
import { bindingsOf } from "../flask/extensions.js";
import type { Blueprint, ExtensionBinding, Route } from "../flask/model.js";
import * as N from "../flask/names.js";
import type { PyNode } from "../python/ast.js";
import { callArgs, child, stringValue, unparen } from "../python/ast.js";
import type { Value } from "../python/evaluate.js";
import { matchesQualname } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import type { Evidence } from "../report/types.js";
import type { GuardUnit, RouteAnalysis } from "./route.js";
import { blueprintChain } from "./route.js";
import { compareVersions, pinnedVersion } from "./versions.js";

export interface RateLimitState {
  limited: boolean;
  /** What limits the route, or what was found and does not: evidence either way. */
  evidence: Evidence[];
  /** Why no limit applies, in words for a message (empty when limited). */
  reason: string;
}

/** A `limiter.limit(...)` / `limiter.exempt` applied to a view or blueprint by a plain call. */
interface Application {
  kind: "limit" | "exempt";
  limiterSite: PyNode;
  target: Value[];
  call: PyNode;
  module: Module;
  methods: string[] | null;
}

const applicationsCache = new WeakMap<AnalysisContext, Application[]>();

export function rateLimitOf(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
): RateLimitState {
  const route = a.route;
  const evidence: Evidence[] = [];
  const { bindings, misbound } = limiterBindings(ctx, route);

  // A project throttle decorator counts whatever library it uses.
  const own = a.units.find((u) => isThrottleDecorator(u));
  if (own) {
    return {
      limited: true,
      evidence: [at(own.module, own.expr, "rate-limited by this decorator")],
      reason: "",
    };
  }
  if (bindings.length === 0 && misbound) {
    const note =
      "with Flask-Limiter 3 pinned, the first positional argument is the key function: the app passed there is never bound";

    return {
      limited: false,
      evidence: [at(misbound.module, misbound.site, note)],
      reason: "`Limiter(app)` binds nothing under Flask-Limiter 3",
    };
  }
  if (bindings.length === 0) {
    const unbound = ctx.flask.extensions.find((e) => e.kind === "limiter");
    if (unbound) {
      evidence.push(
        at(
          unbound.module,
          unbound.site,
          "this Limiter is never bound to the route's app, so none of its limits run",
        ),
      );
    }

    return {
      limited: false,
      evidence,
      reason: unbound ? "the Limiter is never bound to this app" : "the app has no rate limiter",
    };
  }
  const disabled = disabledBy(ctx, route, bindings);
  if (disabled) {
    return { limited: false, evidence: [disabled], reason: "rate limiting is switched off" };
  }
  const sites = new Set(bindings.map((b) => b.extension.site));

  // Limits written on the view or applied to it (or its blueprints) at registration.
  const chain = blueprintChain(ctx, route);
  const explicit: Evidence[] = [];
  const exempt: Evidence[] = [];
  for (const u of a.units) {
    for (const v of u.values) {
      const m = limiterMember(v);
      if (!m || !sites.has(m.limiterSite)) {
        continue;
      }
      if ((m.name === "limit" || m.name === "shared_limit") && v.kind === "call") {
        if (appliesTo(methodsOf(v.site), method)) {
          explicit.push(at(u.module, u.expr, "limits this view"));
        }
      } else if (m.name === "exempt") {
        exempt.push(at(u.module, u.expr, "exempts this view from the default limits"));
      }
    }
  }
  for (const app of applications(ctx)) {
    if (!sites.has(app.limiterSite)) {
      continue;
    }
    const target = targetOf(app.target, route, chain);
    if (!target) {
      continue;
    }
    if (app.kind === "limit" && appliesTo(app.methods, method)) {
      explicit.push(at(app.module, app.call, `limits this ${target}`));
    } else if (app.kind === "exempt") {
      exempt.push(at(app.module, app.call, `exempts this ${target} from the default limits`));
    }
  }
  if (explicit.length > 0) {
    return { limited: true, evidence: explicit, reason: "" };
  }
  if (exempt.length > 0) {
    return { limited: false, evidence: exempt, reason: "it is exempted from the limiter's limits" };
  }
  const defaults = defaultLimits(ctx, route, bindings);
  if (defaults) {
    return { limited: true, evidence: [defaults], reason: "" };
  }
  evidence.push(
    ...bindings
      .slice(0, 1)
      .map((b) =>
        at(
          b.extension.module,
          b.extension.site,
          "this Limiter has no default limits, so only decorated views are limited",
        ),
      ),
  );

  return {
    limited: false,
    evidence,
    reason: "the Limiter has no default limits and the view has no limit of its own",
  };
}

/**
 * Active limiter bindings of the route's app, less a `Limiter(app)` that Flask-Limiter 3 would
 * not bind (returned as `misbound`).
 */
function limiterBindings(
  ctx: AnalysisContext,
  route: Route,
): { bindings: ExtensionBinding[]; misbound: ExtensionBinding | null } {
  const modern = flaskLimiter3(ctx);
  const bindings: ExtensionBinding[] = [];
  let misbound: ExtensionBinding | null = null;
  for (const b of bindingsOf(route.app, "limiter")) {
    // `Limiter(app)`: under 3.x the first positional argument is the key function.
    if (modern && b.site === b.extension.site && !callArgs(b.site).keywords.has("app")) {
      misbound = b;
    } else {
      bindings.push(b);
    }
  }

  return { bindings, misbound };
}

const limiter3 = new WeakMap<AnalysisContext, boolean>();

/** Whether the project pins Flask-Limiter 3 or later (read once per scan). */
function flaskLimiter3(ctx: AnalysisContext): boolean {
  let known = limiter3.get(ctx);
  if (known === undefined) {
    const pinned = pinnedVersion(ctx, "flask-limiter");
    known = pinned !== null && compareVersions(pinned, "3.0.0") >= 0;
    limiter3.set(ctx, known);
  }

  return known;
}

/** `RATELIMIT_ENABLED = False` in production config, or `Limiter(..., enabled=False)`. */
function disabledBy(
  ctx: AnalysisContext,
  route: Route,
  bindings: ExtensionBinding[],
): Evidence | null {
  for (const e of effectiveEntries(route.app, "RATELIMIT_ENABLED")) {
    const v = readConfigValue(ctx.ev, e.value, e.module);
    if (v.kind === "const" && v.value === false) {
      return at(e.module, e.site, "RATELIMIT_ENABLED is False, which turns every limit off");
    }
  }
  for (const b of bindings) {
    const opt = b.options.get("enabled");
    if (opt && unparen(opt.node).type === "false") {
      return at(opt.module, opt.node, "enabled=False turns every limit off");
    }
  }

  return null;
}

/** The default or application limits that apply to every view, when some are set. */
function defaultLimits(
  ctx: AnalysisContext,
  route: Route,
  bindings: ExtensionBinding[],
): Evidence | null {
  for (const b of bindings) {
    for (const key of ["default_limits", "global_limits", "application_limits"]) {
      const opt = b.options.get(key);
      if (opt && !isEmptyLimit(ctx, opt.node, opt.module)) {
        return at(opt.module, opt.node, `${key} apply to every view that is not exempted`);
      }
    }
  }
  for (const key of ["RATELIMIT_DEFAULT", "RATELIMIT_GLOBAL", "RATELIMIT_APPLICATION"]) {
    for (const e of effectiveEntries(route.app, key)) {
      if (!e.value || !isEmptyLimit(ctx, e.value, e.module)) {
        return at(e.module, e.site, `${key} applies to every view that is not exempted`);
      }
    }
  }

  return null;
}

/** `[]`, `""`, `None`: a limit setting that sets nothing. Unknown values count as set. */
function isEmptyLimit(ctx: AnalysisContext, node: PyNode, module: Module): boolean {
  const n = unparen(node);
  if (n.type === "none" || ((n.type === "list" || n.type === "tuple") && n.children.length === 0)) {
    return true;
  }
  const s = stringValue(n);
  if (s !== null) {
    return s.trim() === "";
  }
  const values = ctx.ev.eval(n, module);

  return (
    values.length > 0 &&
    values.every(
      (v) =>
        (v.kind === "const" && (v.value === null || v.value === "")) ||
        (v.kind === "sequence" && v.node.children.length === 0),
    )
  );
}

/** `limiter.limit`, `limiter.exempt`: a method of a `Limiter(...)` object, with its site. */
function limiterMember(v: Value): { name: string; limiterSite: PyNode } | null {
  const m =
    v.kind === "call" && v.callee.kind === "member" ? v.callee : v.kind === "member" ? v : null;
  if (m?.kind !== "member") {
    return null;
  }
  const of = m.of;
  if (
    of.kind === "call" &&
    of.callee.kind === "external" &&
    matchesQualname(of.callee.qualname, N.LIMITER)
  ) {
    return { name: m.name, limiterSite: of.site };
  }

  return null;
}

/** `methods=["POST"]` of a limit: the methods it counts, or null for all. */
function methodsOf(call: PyNode): string[] | null {
  const arg = callArgs(call).keywords.get("methods");
  if (!arg) {
    return null;
  }
  const n = unparen(arg);
  if (n.type !== "list" && n.type !== "tuple" && n.type !== "set") {
    return null;
  }
  const out = n.children.map((c) => stringValue(c)?.toUpperCase()).filter((s): s is string => !!s);

  return out.length > 0 ? out : null;
}

function appliesTo(methods: string[] | null, method: string): boolean {
  return (
    methods === null || methods.includes(method) || (method === "HEAD" && methods.includes("GET"))
  );
}

/**
 * Plain calls that apply a limiter to something: `limiter.limit("5/minute")(login_view)`,
 * `limiter.limit("100/hour")(api_bp)`, `limiter.exempt(health_bp)`.
 */
function applications(ctx: AnalysisContext): Application[] {
  const cached = applicationsCache.get(ctx);
  if (cached) {
    return cached;
  }
  const out: Application[] = [];
  for (const { call, module } of ctx.ev.calls()) {
    const fn = child(call, "function");
    const arg = callArgs(call).positional[0];
    if (!fn || !arg || call.parent?.type === "decorator") {
      continue;
    }
    if (fn.type === "call") {
      for (const v of ctx.ev.eval(fn, module)) {
        const m = limiterMember(v);
        if (m && (m.name === "limit" || m.name === "shared_limit") && v.kind === "call") {
          out.push({
            kind: "limit",
            limiterSite: m.limiterSite,
            target: ctx.ev.eval(arg, module),
            call,
            module,
            methods: methodsOf(v.site),
          });
        }
      }
    } else if (fn.type === "attribute" && child(fn, "attribute")?.text === "exempt") {
      for (const v of ctx.ev.eval(fn, module)) {
        const m = limiterMember(v);
        if (m?.name === "exempt") {
          out.push({
            kind: "exempt",
            limiterSite: m.limiterSite,
            target: ctx.ev.eval(arg, module),
            call,
            module,
            methods: null,
          });
        }
      }
    }
  }
  applicationsCache.set(ctx, out);

  return out;
}

/** "view" or "blueprint" when the applied-to values include the route's view or a blueprint of it. */
function targetOf(values: Value[], route: Route, chain: Blueprint[]): string | null {
  for (const v of values) {
    if (v.kind === "function" && v.def === route.handler.def) {
      return "view";
    }
    if (v.kind === "call" && chain.some((bp) => bp.site === v.site)) {
      return "blueprint";
    }
  }

  return null;
}

/** A decorator named for throttling, from the project or another library: `@rate_limit(...)`. */
function isThrottleDecorator(u: GuardUnit): boolean {
  if (u.kind !== "decorator" || (u.library && /^flask_limiter\./.test(u.library))) {
    return false;
  }
  const callee = u.expr.type === "call" ? child(u.expr, "function") : u.expr;
  const name = callee?.type === "attribute" ? child(callee, "attribute")?.text : callee?.text;

  return /^(rate_?limit(ed)?|ratelimit(ed)?|throttled?|limits)$/i.test(name ?? "");
}

function at(module: Module, node: PyNode, note: string): Evidence {
  return { file: module.path, line: module.line(node), note };
}
