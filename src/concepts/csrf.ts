/**
 * The CSRF verdict for each method a route answers: does a state change happen under that method,
 * does the route accept a credential the browser sends by itself, which defences cover the method
 * (Flask-WTF's CSRFProtect, Flask-SeaSurf, a validated FlaskForm guarding the write, a hand-written
 * token check, flask_jwt_extended's double submit, a required custom header, an Origin/Referer
 * check), and, when none does, how reachable the request is from another site: the method, the body
 * the handler accepts, the session cookie's SameSite, credentialed CORS and method overrides.
 */

import type { AnalysisContext } from "../analysis/context.js";
import { effectiveEntries, readConfigValue } from "../flask/config.js";
import * as N from "../flask/names.js";
import type { PyNode } from "../python/ast.js";
import {
  argument,
  callArgs,
  child,
  comparisonOperands,
  comparisonOperators,
  enclosingFunction,
  statements,
  stringValue,
  unparen,
  walk,
} from "../python/ast.js";
import type { Value } from "../python/evaluate.js";
import { matchesQualname } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import type { CsrfDefenceKind, Evidence, Severity } from "../report/types.js";
import { type AppSecurity, appSecurity, isExtension } from "./appsec.js";
import { decideUnderRoute } from "./decide.js";
import { jwtSettings, listSetting } from "./jwt.js";
import type { CredentialUse, GuardUnit, RouteAnalysis, SinkAt } from "./route.js";
import { blueprintChain } from "./route.js";
import { type Origin, originsOf } from "./sources.js";
import { compareVersions, pinnedVersion } from "./versions.js";
import { atomicFacts, decideUnderMethod, type Fact, Walker } from "./walker.js";

/** Credentials a browser attaches without the page's help. */
export const AMBIENT = new Set(["session-cookie", "flask-login", "jwt-cookie", "basic", "custom"]);

export interface WeakCheck {
  node: PyNode;
  module: Module;
  reason: string;
  severity: Severity;
  kind: "timing" | "missing-token" | "query-token" | "unbound" | "request-host" | "generator";
}

export interface CsrfVerdict {
  method: string;
  /** State changes reached under this method. */
  writes: { node: PyNode; module: Module; note: string }[];
  ambient: CredentialUse[];
  /** Defences that hold for this method. */
  defences: CsrfDefenceKind[];
  /** Defences present that do not cover this method, and why: evidence for the finding. */
  gaps: Evidence[];
  vulnerable: boolean;
  severity: Severity;
  /** Why the severity is what it is, in words for the message. */
  reasons: string[];
  weak: WeakCheck[];
  /** Method override middleware that makes this method reachable from a link or form. */
  override: AppSecurity["methodOverrides"][number] | null;
}

const SAFE = ["GET", "HEAD", "OPTIONS", "TRACE"];

export function csrfVerdicts(ctx: AnalysisContext, a: RouteAnalysis): Map<string, CsrfVerdict> {
  const out = new Map<string, CsrfVerdict>();
  for (const [method, m] of a.methods) {
    out.set(method, verdictFor(ctx, a, method, m.ops, m.otherWrites));
  }

  return out;
}

function verdictFor(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
  ops: SinkAt[],
  other: RouteAnalysis["methods"] extends Map<string, infer M>
    ? M extends { otherWrites: infer O }
      ? O
      : never
    : never,
): CsrfVerdict {
  const route = a.route;
  const sec = appSecurity(ctx, route.app);
  const writes = [
    ...ops
      .filter((o) => o.op.write)
      .map((o) => ({
        node: o.op.call,
        module: o.op.module,
        note: `${o.op.op} ${o.op.table ? `on ${o.op.table}` : ""} writes to DynamoDB`.replace(
          "  ",
          " ",
        ),
      })),
    ...other.map((s) => ({ node: s.expr, module: s.module, note: "changes server-side state" })),
  ];
  const verdict: CsrfVerdict = {
    method,
    writes,
    ambient: [],
    defences: [],
    gaps: [],
    vulnerable: false,
    severity: "info",
    reasons: [],
    weak: [],
    override: null,
  };

  const handlerUsesIdentity = a.credentials.some((c) => c.where === "handler") || readsG(ctx, a);
  // A credential the handler reads only after the write plays no part in it (that is AUTH001).
  const firstWrite =
    writes.length > 0
      ? Math.min(
          ...ops.filter((o) => o.op.write).map((o) => (o.segment.chain[0]?.call ?? o.op.call).end),
        )
      : null;
  verdict.ambient = a.credentials.filter(
    (c) =>
      AMBIENT.has(c.kind) &&
      (c.where !== "hook" || c.enforced || handlerUsesIdentity) &&
      !(
        c.where === "handler" &&
        firstWrite !== null &&
        c.module === route.handler.module &&
        c.node.start >= firstWrite
      ),
  );

  const unitChecks = a.units.map((u) => ({ unit: u, facts: proceedFacts(ctx, u, method) }));
  collectDefences(ctx, a, method, sec, verdict, unitChecks, ops);
  verdict.weak = weakChecks(ctx, a, method, unitChecks);

  if (writes.length === 0 || verdict.ambient.length === 0) {
    return verdict;
  }
  if (verdict.defences.length > 0 && !verdict.defences.every((d) => d === "exempt")) {
    return verdict;
  }
  grade(ctx, a, method, sec, verdict);

  return verdict;
}

// ---------------------------------------------------------------------------------------------
// Defences.

function collectDefences(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
  sec: AppSecurity,
  v: CsrfVerdict,
  unitChecks: { unit: GuardUnit; facts: Fact[] | null }[],
  ops: SinkAt[],
): void {
  const route = a.route;
  const add = (d: CsrfDefenceKind) => {
    if (!v.defences.includes(d)) {
      v.defences.push(d);
    }
  };
  const handlerDef = route.handler.def;
  const wtf = sec.wtf;

  // Flask-WTF CSRFProtect.
  if (wtf?.binding) {
    const where = {
      file: wtf.binding.module.path,
      line: wtf.binding.module.line(wtf.binding.site),
    };
    const exempt = wtfExemption(ctx, a);
    const protectCalled =
      unitChecks.some((u) =>
        callsProtect(ctx, u.unit, method, wtf.binding!.extension.site, route),
      ) || securityProtects(ctx, a, method);
    if (wtf.enabled.state === "off") {
      v.gaps.push({
        ...entryRef(wtf.enabled.entry),
        note: "WTF_CSRF_ENABLED is False in the production configuration: CSRFProtect checks nothing",
      });
    } else if (exempt) {
      add("exempt");
      v.gaps.push({ ...exempt, note: "the view is exempted from CSRFProtect" });
    } else if (!wtf.methods.includes(method)) {
      v.gaps.push({
        ...where,
        note: `CSRFProtect checks only ${wtf.methods.join(", ")} (WTF_CSRF_METHODS), not ${method}`,
      });
    } else if (wtf.checkDefault.state === "off" && !protectCalled) {
      v.gaps.push({
        ...entryRef(wtf.checkDefault.entry),
        note: "WTF_CSRF_CHECK_DEFAULT is False and nothing calls csrf.protect() for this route",
      });
    } else if (wtf.binding.condition && !wtf.binding.active) {
      v.gaps.push({
        ...where,
        note: "CSRFProtect is bound only under a condition that the configuration never meets",
      });
    } else {
      add("csrfprotect");
    }
  }

  // Flask-SeaSurf.
  const ss = sec.seasurf;
  if (ss) {
    const urlExempt = ss.exemptUrls.find((u) => route.path.startsWith(u.prefix));
    if (ss.disabled) {
      v.gaps.push({ ...entryRef(ss.disabled), note: "CSRF_DISABLE turns Flask-SeaSurf off" });
    } else if (SAFE.includes(method)) {
      v.gaps.push({
        file: ss.binding.module.path,
        line: ss.binding.module.line(ss.binding.site),
        note: `Flask-SeaSurf does not check ${method} requests`,
      });
    } else if (ss.exemptViews.has(handlerDef)) {
      add("exempt");
    } else if (urlExempt) {
      add("exempt");
      v.gaps.push({
        file: urlExempt.module.path,
        line: urlExempt.module.line(urlExempt.node),
        note: `exempt_urls prefix "${urlExempt.prefix}" matches ${route.path} (SeaSurf compares with startswith)`,
      });
    } else if (ss.includeMode && !ss.includedViews.has(handlerDef)) {
      v.gaps.push({
        file: ss.binding.module.path,
        line: ss.binding.module.line(ss.binding.site),
        note: "SEASURF_INCLUDE_OR_EXEMPT_VIEWS is 'include' and this view is not marked @csrf.include",
      });
    } else {
      add("seasurf");
    }
  }

  // Flask-Admin validates its form before calling the model view's method.
  const admin = adminFormDefence(ctx, a);
  if (admin === true) {
    add("form-validate");
  } else if (admin) {
    v.gaps.push(admin);
  }

  // A validated FlaskForm guarding every write.
  const writes = ops.filter((o) => o.op.write);
  if (
    writes.length > 0 &&
    wtf?.enabled.state !== "off" &&
    writes.every((w) => formValidated(ctx, w.segment.guards))
  ) {
    add("form-validate");
  }

  // Hand-written token checks: in a hook or decorator before the handler, or guarding every write.
  for (const { unit, facts } of unitChecks) {
    for (const kind of facts ? factDefences(ctx, facts, sec, method) : []) {
      add(kind);
      void unit;
    }
  }
  if (writes.length > 0) {
    const perWrite = writes.map((w) => factDefences(ctx, [...w.segment.guards], sec, method));
    for (const kind of ["manual-token", "custom-header", "origin-check"] as const) {
      if (perWrite.every((list) => list.includes(kind))) {
        add(kind);
      }
    }
  }

  // flask_jwt_extended double submit.
  if (a.credentials.some((c) => c.kind === "jwt-cookie")) {
    const jwt = jwtSettings(ctx, route.app);
    const defeated = jwtHeaderForged(ctx, a);
    if (!jwt.cookieCsrfProtect) {
      v.gaps.push({
        ...(jwt.protectEntry
          ? entryRef(jwt.protectEntry)
          : { file: route.handler.module.path, line: 1 }),
        note: "JWT_COOKIE_CSRF_PROTECT is False: cookie JWTs are accepted without the double-submit header",
      });
    } else if (!jwt.csrfMethods.includes(method)) {
      v.gaps.push({
        file: route.handler.module.path,
        line: route.handler.module.line(route.anchor),
        note: `flask_jwt_extended checks the CSRF header only for ${jwt.csrfMethods.join(", ")} (JWT_CSRF_METHODS), not ${method}`,
      });
    } else if (defeated) {
      v.gaps.push({
        file: defeated.module.path,
        line: defeated.module.line(defeated.node),
        note: "a hook copies the CSRF cookie into the X-CSRF-TOKEN header, so the double-submit check compares the cookie with itself",
      });
    } else {
      add("jwt-double-submit");
      // A cookie JWT protected this way makes the JWT credential safe; other ambient credentials
      // (a session the route also reads) are judged on their own.
      v.ambient = v.ambient.filter((c) => c.kind !== "jwt-cookie");
    }
  }

  // A custom header only holds while no foreign origin may send it through CORS.
  if (sec.cors && v.defences.includes("custom-header")) {
    v.defences = v.defences.filter((d) => d !== "custom-header");
    v.gaps.push({
      file: sec.cors.module.path,
      line: sec.cors.module.line(sec.cors.node),
      note: `credentialed CORS (${sec.cors.reason}) lets any site send the custom header`,
    });
  }
  if (v.defences.length > 1 && v.defences.includes("exempt")) {
    // SeaSurf exemption next to another defence: the other one decides.
  }
}

/**
 * For Flask-Admin views: true when the view's `form_base_class` is a CSRF-carrying form
 * (`SecureForm`, or a FlaskForm) that the generated view validates; otherwise why not.
 * Flask-Admin before 1.5.0 ran actions without validating any form.
 */
function adminFormDefence(ctx: AnalysisContext, a: RouteAnalysis): true | Evidence | null {
  const g = a.route.generated;
  if (!g) {
    return null;
  }
  const base = ctx.ev.attributeOf(
    { kind: "class", def: g.viewClass, module: g.module },
    "form_base_class",
    g.module,
  );
  const secure = base.some(
    (v) =>
      (v.kind === "external" &&
        (matchesQualname(v.qualname, N.ADMIN_SECURE_FORM) ||
          matchesQualname(v.qualname, N.FLASK_FORM))) ||
      (v.kind === "class" &&
        ctx.ev.classDerivesFrom(v.def, v.module, [...N.ADMIN_SECURE_FORM, ...N.FLASK_FORM])),
  );
  const at = { file: g.module.path, line: g.module.line(g.viewClass) };
  if (!secure) {
    return {
      ...at,
      note: "the model view's form_base_class is a plain WTForms form, which carries no CSRF token",
    };
  }
  const version = pinnedVersion(ctx, "flask-admin");
  if (g.view === "action" && version && compareVersions(version, "1.5.0") < 0) {
    return {
      ...at,
      note: `Flask-Admin ${version} (pinned) runs actions without validating any form; fixed in 1.5.0`,
    };
  }

  return true;
}

function entryRef(e: { module: Module; site: PyNode }): { file: string; line: number } {
  return { file: e.module.path, line: e.module.line(e.site) };
}

/** Where the route is exempted from CSRFProtect, if it is. */
function wtfExemption(
  ctx: AnalysisContext,
  a: RouteAnalysis,
): { file: string; line: number } | null {
  const wtf = appSecurity(ctx, a.route.app).wtf;
  if (!wtf) {
    return null;
  }
  const def = a.route.handler.def;
  const at = (x: { node: PyNode; module: Module } | undefined) =>
    x
      ? { file: x.module.path, line: x.module.line(x.node) }
      : { file: a.route.handler.module.path, line: a.route.handler.module.line(a.route.anchor) };
  if (wtf.exemptViews.has(def)) {
    return at(wtf.exemptSites.get(def));
  }
  // Flask-WTF looks up `app.blueprints[request.blueprint]`: the innermost blueprint only, so
  // exempting a parent does not exempt the blueprints nested in it.
  const own = a.route.blueprint;
  if (own && wtf.exemptBlueprints.has(own)) {
    return at(wtf.exemptSites.get(own));
  }
  void blueprintChain;
  // Dotted strings name the view as `module.function`, what functools.wraps keeps on wrappers.
  const s = wtf.exemptStrings.find((e) => e.value === a.route.handler.qualname);
  if (s) {
    return { file: s.module.path, line: s.module.line(s.node) };
  }

  return null;
}

/** A hook or decorator that calls `csrf.protect()` (or is `csrf.protect` itself) under `method`. */
function callsProtect(
  ctx: AnalysisContext,
  unit: GuardUnit,
  method: string,
  extSite: PyNode,
  route: RouteAnalysis["route"],
): boolean {
  if (
    unit.library?.endsWith("#protect") &&
    unit.values.some((v) => v.kind === "member" && siteOfValue(v.of) === extSite)
  ) {
    return true;
  }
  if (!unit.body) {
    return false;
  }
  const trace = Walker.run(ctx.ev, unit.body.fn, unit.body.module, { method });
  for (const seg of trace.segments) {
    let found = false;
    walk(seg.expr, (n) => {
      if (n.type === "call") {
        const fn = child(n, "function");
        const obj =
          fn?.type === "attribute" && child(fn, "attribute")?.text === "protect"
            ? child(fn, "object")
            : null;
        if (obj && isExtension(ctx, obj, seg.module, extSite)) {
          found = true;
        }
      }
      return !found;
    });
    if (found && routingAllows(ctx, seg.guards, route)) {
      return true;
    }
  }

  return false;
}

/**
 * Conditions on the request's routing (`request.path.startswith("/api/")`, `request.blueprint ==
 * "api"`, `request.endpoint in EXEMPT`) decided for this route: false when one excludes it,
 * and also false when one cannot be decided (the call may be skipped for this route).
 */
function routingAllows(
  ctx: AnalysisContext,
  guards: readonly Fact[],
  route: RouteAnalysis["route"],
): boolean {
  for (const f of atomicFacts(guards)) {
    if (
      !/request\.(path|full_path|url|url_rule|endpoint|blueprint|blueprints)\b/.test(
        f.module.text(f.cond),
      )
    ) {
      continue;
    }
    const decided = decideUnderRoute(ctx.ev, f.cond, f.module, route);
    if (decided === null || decided !== f.holds) {
      return false;
    }
  }

  return true;
}

function siteOfValue(v: Value): PyNode | null {
  return v.kind === "call" ? v.site : null;
}

/**
 * Flask-Security's `auth_required(...)` calls `csrf.protect()` when the mechanism that
 * authenticated the request is listed in SECURITY_CSRF_PROTECT_MECHANISMS. Only the session
 * mechanism is ambient, so the question is whether "session" is listed.
 */
function securityProtects(ctx: AnalysisContext, a: RouteAnalysis, method: string): boolean {
  const usesSecurity = a.units.some(
    (u) => u.library && /^flask_security\.(decorators\.)?auth_required$/.test(u.library),
  );
  if (!usesSecurity) {
    return false;
  }
  const mechanisms = listSetting(ctx, a.route.app, "SECURITY_CSRF_PROTECT_MECHANISMS") ?? [
    "basic",
    "session",
    "token",
  ];
  void method;

  return mechanisms.includes("session");
}

/** Facts guaranteed when a hook or decorator lets the request through to the handler. */
export function proceedFacts(ctx: AnalysisContext, unit: GuardUnit, method: string): Fact[] | null {
  if (!unit.body) {
    return null;
  }
  const trace = Walker.run(ctx.ev, unit.body.fn, unit.body.module, { method });
  const paths: (readonly Fact[])[] = [];
  if (unit.kind === "hook") {
    // A hook lets the request through when it returns nothing or falls off its end.
    for (const exit of trace.exits) {
      if (
        exit.kind === "return" &&
        exit.chain.length === 0 &&
        (!exit.value || exit.value.type === "none")
      ) {
        paths.push(exit.guards);
      }
    }
    if (trace.fallthrough) {
      paths.push(trace.fallthrough);
    }
  } else {
    // A decorator's wrapper lets it through where it calls the wrapped view.
    const outer = enclosingFunction(unit.body.fn);
    const params = outer ? paramNames(outer) : [];
    for (const seg of trace.segments) {
      if (seg.chain.length > 0) {
        continue;
      }
      let calls = false;
      walk(seg.expr, (n) => {
        if (n.type === "call") {
          const f = child(n, "function");
          if (f?.type === "identifier" && params.includes(f.text ?? "")) {
            calls = true;
          }
        }
        return !calls;
      });
      if (calls) {
        paths.push(seg.guards);
      }
    }
  }
  if (paths.length === 0) {
    return null;
  }
  const [first, ...rest] = paths;

  return (first ?? []).filter((f) =>
    rest.every((p) => p.some((g) => g.cond === f.cond && g.holds === f.holds)),
  );
}

function paramNames(fn: PyNode): string[] {
  const params = child(fn, "parameters");

  return (params?.children ?? []).filter((p) => p.type === "identifier").map((p) => p.text ?? "");
}

/** Defence kinds established by facts: token comparisons, custom-header and origin checks. */
function factDefences(
  ctx: AnalysisContext,
  facts: readonly Fact[],
  sec: AppSecurity,
  method: string | null = null,
): CsrfDefenceKind[] {
  const out: CsrfDefenceKind[] = [];
  // `if request.method == "POST" and not compare_digest(...): abort()` under POST: the method
  // test is true, so the comparison must have held.
  const isTrue = (n: PyNode, m: Module) =>
    method !== null && decideUnderMethod(n, m, method, ctx.ev) === true;
  for (const f of atomicFacts(facts, isTrue)) {
    const cmp = comparison(ctx, f);
    if (!cmp) {
      continue;
    }
    const kind = classifyComparison(cmp);
    if (kind && !out.includes(kind)) {
      out.push(kind);
    }
  }
  void sec;

  return out;
}

interface Comparison {
  a: Origin[];
  b: Origin[];
  aNode: PyNode;
  bNode: PyNode;
  constantTime: boolean;
  node: PyNode;
  module: Module;
  /** `x in ALLOWED` or `x.startswith(PREFIX)` rather than equality: only origin checks use it. */
  shape: "equal" | "member" | "prefix";
}

/** An equality that holds: `a == b` true, `a != b` false, or `compare_digest(a, b)` true. */
function comparison(ctx: AnalysisContext, f: Fact): Comparison | null {
  const n = unparen(f.cond);
  let aNode: PyNode | undefined;
  let bNode: PyNode | undefined;
  let constantTime = false;
  let shape: Comparison["shape"] = "equal";
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);
    if (ops.length !== 1) {
      return null;
    }
    if ((ops[0] === "in" && f.holds) || (ops[0] === "not in" && !f.holds)) {
      shape = "member";
    } else if (!((ops[0] === "==" && f.holds) || (ops[0] === "!=" && !f.holds))) {
      return null;
    }
    [aNode, bNode] = comparisonOperands(n);
  } else if (n.type === "call" && f.holds) {
    const fn = child(n, "function");
    const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : fn?.text;
    if (name === "startswith" && fn?.type === "attribute") {
      shape = "prefix";
      aNode = child(fn, "object");
      bNode = argument(n, 0);
    } else if (name !== "compare_digest") {
      return null;
    } else {
      constantTime = true;
      aNode = argument(n, 0);
      bNode = argument(n, 1);
    }
  } else {
    return null;
  }
  if (!aNode || !bNode) {
    return null;
  }

  return {
    a: originsOf(aNode, f.module, ctx.ev),
    b: originsOf(bNode, f.module, ctx.ev),
    aNode,
    bNode,
    constantTime,
    node: n,
    module: f.module,
    shape,
  };
}

function isTokenInput(o: Origin): boolean {
  return (
    o.kind === "request" &&
    ["form", "values", "json", "json-forced", "headers", "args"].includes(o.part) &&
    (o.key === null || !/^(origin|referer|host)$/i.test(o.key))
  );
}

function classifyComparison(c: Comparison): CsrfDefenceKind | null {
  const sides: [Origin[], Origin[], PyNode][] = [
    [c.a, c.b, c.bNode],
    [c.b, c.a, c.aNode],
  ];
  for (const [req, other, otherNode] of sides) {
    if (c.shape === "prefix" && !prefixIsWholeOrigin(c)) {
      // `origin.startswith("https://app.example.com")` also admits
      // `https://app.example.com.evil.net`: no defence (CSRF005 says why).
      continue;
    }
    if (c.shape !== "equal") {
      // Membership in an allowlist or a prefix test: meaningful only for Origin/Referer.
      const h = req.find((o) => o.kind === "request" && o.part === "headers");
      if (
        h?.kind === "request" &&
        h.key &&
        /^(origin|referer)$/i.test(h.key) &&
        other.every((o) => o.kind !== "request")
      ) {
        return "origin-check";
      }
      continue;
    }
    if (
      req.some(isTokenInput) &&
      other.some((o) => o.kind === "session" || o.kind === "identity")
    ) {
      return "manual-token";
    }
    const header = req.find((o) => o.kind === "request" && o.part === "headers");
    const againstRequest = other.every(
      (o) => o.kind === "request" && (o.part === "host" || o.part === "url"),
    );
    if (
      header?.kind === "request" &&
      header.key &&
      /^(origin|referer)$/i.test(header.key) &&
      againstRequest
    ) {
      // Compared with a configured origin, or (weakly, see CSRF005) with request.host.
      return "origin-check";
    }
    if (
      header?.kind === "request" &&
      header.key &&
      other.length === 0 &&
      (otherNode.type === "string" ||
        otherNode.type === "identifier" ||
        otherNode.type === "attribute")
    ) {
      return "custom-header";
    }
  }

  return null;
}

/**
 * Whether a prefix ends where an origin ends (`https://app.example.com/`), so that no other host
 * can share it. A constant we cannot read is given the benefit of the doubt.
 */
function prefixIsWholeOrigin(c: Comparison): boolean {
  const prefix = stringValue(c.bNode);
  if (prefix === null) {
    return true;
  }

  return prefix.endsWith("/") || !/^https?:\/\/[^/]+$/.test(prefix);
}

/** A FlaskForm's `validate_on_submit()` / `validate()` among the conditions known to hold. */
function formValidated(ctx: AnalysisContext, guards: readonly Fact[]): boolean {
  for (const f of atomicFacts(guards)) {
    if (!f.holds) {
      continue;
    }
    const n = unparen(f.cond);
    if (n.type !== "call") {
      continue;
    }
    const fn = child(n, "function");
    const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
    const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;
    if (!obj || (name !== "validate_on_submit" && name !== "validate")) {
      continue;
    }
    for (const v of ctx.ev.eval(obj, f.module)) {
      if (
        v.kind === "instance" &&
        ctx.ev.classDerivesFrom(v.cls, v.clsModule, N.FLASK_FORM) &&
        formCsrfOn(ctx, v)
      ) {
        return true;
      }
    }
  }

  return false;
}

/** A FlaskForm keeps its CSRF field unless `class Meta: csrf = False` or `meta={"csrf": False}`. */
function formCsrfOn(ctx: AnalysisContext, v: Value & { kind: "instance" }): boolean {
  if (v.site) {
    const meta = callArgs(v.site).keywords.get("meta");
    if (meta && /["']csrf["']\s*:\s*False/.test(v.module.text(meta))) {
      return false;
    }
  }
  let off = false;
  walk(v.cls, (n) => {
    if (n.type === "class_definition" && child(n, "name")?.text === "Meta") {
      for (const s of statements(child(n, "body"))) {
        const assign = s.children[0];
        if (
          assign?.type === "assignment" &&
          child(assign, "left")?.text === "csrf" &&
          child(assign, "right")?.type === "false"
        ) {
          off = true;
        }
      }
    }
    return true;
  });
  void ctx;

  return !off;
}

/**
 * A hook that copies the CSRF cookie into the header flask_jwt_extended reads: then the
 * double-submit check compares the cookie with itself, and a forged request passes.
 */
function jwtHeaderForged(
  ctx: AnalysisContext,
  a: RouteAnalysis,
): { node: PyNode; module: Module } | null {
  for (const unit of a.units) {
    if (!unit.body) {
      continue;
    }
    let readsCookie = false;
    let writesHeader: PyNode | null = null;
    walk(unit.body.fn, (n) => {
      const text = n.type === "string" ? unit.body!.module.text(n) : "";
      if (
        /csrf/i.test(text) &&
        n.parent &&
        /cookies/.test(unit.body!.module.text(n.parent.parent ?? n.parent))
      ) {
        readsCookie = true;
      }
      if (n.type === "assignment") {
        const left = child(n, "left");
        if (
          left?.type === "subscript" &&
          /environ|headers/.test(unit.body!.module.text(left)) &&
          /HTTP_X_CSRF|X-CSRF/i.test(unit.body!.module.text(left))
        ) {
          writesHeader = n;
        }
      }
      return true;
    });
    if (readsCookie && writesHeader) {
      return { node: writesHeader, module: unit.body.module };
    }
  }
  void ctx;

  return null;
}

function readsG(ctx: AnalysisContext, a: RouteAnalysis): boolean {
  for (const m of a.methods.values()) {
    for (const seg of m.trace.segments) {
      let found = false;
      walk(seg.expr, (n) => {
        if (n.type === "attribute") {
          const obj = child(n, "object");
          if (
            obj &&
            ctx.ev
              .eval(obj, seg.module)
              .some((v) => v.kind === "external" && v.qualname === "flask.g")
          ) {
            found = true;
          }
        }
        return !found;
      });
      if (found) {
        return true;
      }
    }
  }

  return false;
}

// ---------------------------------------------------------------------------------------------
// Weak hand-written checks (CSRF005 material).

function weakChecks(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
  unitChecks: { unit: GuardUnit; facts: Fact[] | null }[],
): WeakCheck[] {
  const out: WeakCheck[] = [];
  const bodies: { fn: PyNode; module: Module; facts: readonly Fact[] | null }[] = unitChecks
    .filter((u) => u.unit.body)
    .map((u) => ({ fn: u.unit.body!.fn, module: u.unit.body!.module, facts: u.facts }));
  bodies.push({ fn: a.route.handler.def, module: a.route.handler.module, facts: null });
  for (const body of bodies) {
    const trace = Walker.run(ctx.ev, body.fn, body.module, { method });
    for (const exit of trace.exits) {
      if (exit.chain.length > 0) {
        continue;
      }
      const isStop = exit.kind !== "return" || (exit.value !== null && exit.value.type !== "none");
      if (!isStop) {
        continue;
      }
      for (const g of exit.guards) {
        // The stopping branch's own condition: `if token != expected: abort(403)`.
        inspectStopCondition(ctx, g, out);
      }
    }
  }

  return dedupeWeak(out);
}

/**
 * The equality a stop condition tests, read from its failing side: `a != b` is the comparison
 * `a == b` failing, `not compare_digest(a, b)` the call failing.
 */
function failingComparison(ctx: AnalysisContext, cond: PyNode, module: Module): Comparison | null {
  const u = unparen(cond);
  const inner = u.type === "not_operator" ? child(u, "argument") : undefined;

  return inner
    ? comparison(ctx, { cond: inner, module, holds: true })
    : comparison(ctx, { cond: u, module, holds: false });
}

function inspectStopCondition(ctx: AnalysisContext, g: Fact, out: WeakCheck[]): void {
  const n = unparen(g.cond);
  if (!g.holds) {
    return;
  }
  // `if token and token != expected:` — the check runs only when the request sent a token.
  if (
    n.type === "boolean_operator" &&
    n.children.find((c) => c.field === "operator")?.text === "and"
  ) {
    const left = child(n, "left");
    const right = child(n, "right");
    if (left && right) {
      const cmp = comparison(ctx, { cond: right, module: g.module, holds: false });
      const presence = originsOf(left, g.module, ctx.ev);
      if (
        cmp &&
        classifyComparison(cmp) === "manual-token" &&
        presence.some((o) => o.kind === "request")
      ) {
        out.push({
          node: n,
          module: g.module,
          kind: "missing-token",
          severity: "high",
          reason:
            "the token check runs only when the request carries a token, so a forged request that sends none passes",
        });
        return;
      }
      // `if referer and not referer.startswith(SITE):` — a page that sends no Referer
      // (`Referrer-Policy: no-referrer`) skips the check.
      const originCmp = failingComparison(ctx, right, g.module);
      if (
        originCmp &&
        classifyComparison(originCmp) === "origin-check" &&
        presence.some((o) => o.kind === "request" && o.part === "headers")
      ) {
        out.push({
          node: n,
          module: g.module,
          kind: "missing-token",
          severity: "high",
          reason:
            "the Origin/Referer check runs only when the header is present, and a page can send requests without a Referer (Referrer-Policy: no-referrer)",
        });
        return;
      }
    }
  }
  // The failing branch of `a != b` or `not compare_digest(a, b)`.
  const cmp = failingComparison(ctx, n, g.module);
  // A form or body token compared with one value for everybody (a constant, a setting): anyone
  // who loads one of the app's pages learns it.
  if (cmp && cmp.shape === "equal" && classifyComparison(cmp) === null) {
    const sides: [Origin[], PyNode][] = [
      [cmp.a, cmp.bNode],
      [cmp.b, cmp.aNode],
    ];
    for (const [req, otherNode] of sides) {
      const other = req === cmp.a ? cmp.b : cmp.a;
      const tokenField = req.some(
        (o) =>
          o.kind === "request" &&
          ["form", "values", "json", "json-forced"].includes(o.part) &&
          o.key !== null &&
          /csrf|xsrf|token/i.test(o.key),
      );
      if (tokenField && other.length === 0 && otherNode.type !== "none") {
        out.push({
          node: n,
          module: g.module,
          kind: "unbound",
          severity: "high",
          reason:
            "the token is compared with one value shared by every user (a constant or a setting), which anyone can read from the app's own pages; bind it to the session",
        });
        break;
      }
    }
  }
  if (cmp) {
    const kind = classifyComparison(cmp);
    if (kind === "manual-token") {
      const reqSide = cmp.a.some(isTokenInput) ? cmp.a : cmp.b;
      if (reqSide.some((o) => o.kind === "request" && o.part === "args")) {
        out.push({
          node: n,
          module: g.module,
          kind: "query-token",
          severity: "medium",
          reason:
            "the token is read from the query string, where it leaks through logs, history and the Referer header",
        });
      }
      if (!cmp.constantTime) {
        out.push({
          node: n,
          module: g.module,
          kind: "timing",
          severity: "low",
          reason:
            "the token is compared with `!=`/`==`, which is not constant-time; use hmac.compare_digest",
        });
      }
    }
    if (cmp.shape === "prefix" && !prefixIsWholeOrigin(cmp)) {
      out.push({
        node: n,
        module: g.module,
        kind: "request-host",
        severity: "high",
        reason: `the origin is checked with a prefix that stops at the host name, so ${stringValue(cmp.bNode) ?? "it"}.evil.example passes too; compare the whole origin or end the prefix with "/"`,
      });
    }
    if (kind === "origin-check" || kind === null) {
      const hostSide = [...cmp.a, ...cmp.b].some(
        (o) => o.kind === "request" && (o.part === "host" || o.part === "url"),
      );
      const refSide = [...cmp.a, ...cmp.b].some(
        (o) =>
          o.kind === "request" &&
          o.part === "headers" &&
          o.key !== null &&
          /^(origin|referer)$/i.test(o.key),
      );
      if (hostSide && refSide) {
        out.push({
          node: n,
          module: g.module,
          kind: "request-host",
          severity: "medium",
          reason:
            "the Origin/Referer is compared with request.host, which comes from the request itself (X-Forwarded-Host behind ProxyFix) rather than a configured origin",
        });
      }
    }
  }
  // Comparisons inside a failing `not x or a != b` condition.
  if (
    n.type === "boolean_operator" &&
    n.children.find((c) => c.field === "operator")?.text === "or"
  ) {
    for (const side of [child(n, "left"), child(n, "right")]) {
      if (side) {
        inspectStopCondition(ctx, { cond: side, module: g.module, holds: true }, out);
      }
    }
  }
}

function dedupeWeak(list: WeakCheck[]): WeakCheck[] {
  const out: WeakCheck[] = [];
  for (const w of list) {
    if (!out.some((o) => o.node === w.node && o.kind === w.kind)) {
      out.push(w);
    }
  }

  return out;
}

// ---------------------------------------------------------------------------------------------
// Severity of an unprotected method.

function grade(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
  sec: AppSecurity,
  v: CsrfVerdict,
): void {
  const reasons: string[] = [];
  const kinds = new Set(v.ambient.map((c) => c.kind));
  const cookieOnly = !kinds.has("basic");
  const override = sec.methodOverrides.find((o) => o.from !== "header" && !SAFE.includes(method));
  v.override = override ?? null;
  let severity: Severity;

  // How the browser can be made to send this method cross-site.
  let sentAs: "navigation" | "form" | "preflight" = SAFE.includes(method)
    ? "navigation"
    : method === "POST"
      ? "form"
      : "preflight";
  // A `?_method=` override turns a plain link (a top-level GET, which even SameSite=Lax cookies
  // ride along with) into any method, POST included.
  const linkOverride = override?.from === "query" && !override.onlyPost;
  if (override && (sentAs === "preflight" || (sentAs === "form" && linkOverride))) {
    sentAs = override.from === "query" && !override.onlyPost ? "navigation" : "form";
    reasons.push(
      `the ${override.from === "query" ? "`_method` query parameter" : "`_method` form field"} turns a ${sentAs === "navigation" ? "link" : "form post"} into ${method}`,
    );
  }

  if (sentAs === "preflight") {
    if (sec.cors) {
      severity = "high";
      reasons.push(
        `a cross-site ${method} needs a CORS preflight, and credentialed CORS (${sec.cors.reason}) grants it to any site`,
      );
    } else {
      severity = "low";
      reasons.push(
        `a cross-site ${method} needs a CORS preflight that this app never grants, so this is a gap rather than an open door`,
      );
    }
  } else if (sentAs === "form" && jsonOnly(a) && !sec.cors) {
    v.vulnerable = false;
    return;
  } else {
    severity = "high";
  }

  // SameSite of the cookie that carries the credential (the weakest, when several do).
  if (cookieOnly && severity === "high" && !sec.cors) {
    const ss = credentialSameSite(ctx, a, v, sec);
    if (sentAs === "form" && (ss === "Lax" || ss === "lax")) {
      if (sec.cookie.domainEntry) {
        severity = "medium";
        reasons.push(
          "SameSite=Lax keeps the cookie off cross-site POSTs, but SESSION_COOKIE_DOMAIN shares it with sibling hosts that can post same-site",
        );
      } else {
        severity = "low";
        reasons.push(
          "SameSite=Lax keeps the session cookie off cross-site POSTs; only same-site forgery (a sibling subdomain) remains",
        );
      }
    } else if (ss === "Strict" || ss === "strict") {
      severity = sentAs === "navigation" ? "medium" : "low";
      reasons.push(
        "SameSite=Strict keeps the session cookie off cross-site requests; same-site forgery remains",
      );
    } else if (sentAs === "navigation") {
      reasons.push(
        ss === "Lax" || ss === "lax"
          ? "SameSite=Lax still sends the cookie on a top-level cross-site navigation (a link or redirect)"
          : "a link or redirect is enough",
      );
    } else if (ss === "None") {
      reasons.push('the session cookie is SameSite="None", sent on every cross-site request');
    } else if (ss === null || ss === undefined) {
      reasons.push(
        "the session cookie has no SameSite attribute, so protection depends on the browser",
      );
    }
  } else if (!cookieOnly && severity === "high") {
    reasons.push("browsers replay HTTP Basic credentials on cross-site requests");
  }

  v.vulnerable = true;
  v.severity = severity;
  v.reasons = reasons;
}

/**
 * The SameSite attribute of the cookie a forged request would rely on: the session cookie for
 * session and Flask-Login credentials, JWT_COOKIE_SAMESITE for JWT cookies (unset by default),
 * unknown for hand-made auth cookies. With several, the least protective one counts.
 */
function credentialSameSite(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  v: CsrfVerdict,
  sec: AppSecurity,
): string | null | undefined {
  const rank = (x: string | null | undefined) =>
    x === "Strict" || x === "strict" ? 2 : x === "Lax" || x === "lax" ? 1 : 0;
  let weakest: string | null | undefined = "Strict";
  for (const c of v.ambient) {
    let ss: string | null | undefined;
    if (c.kind === "session-cookie" || c.kind === "flask-login") {
      ss = sec.cookie.sameSite;
    } else if (c.kind === "jwt-cookie") {
      const entry = effectiveEntries(a.route.app, "JWT_COOKIE_SAMESITE")[0];
      const value = entry ? readConfigValue(ctx.ev, entry.value, entry.module) : null;
      ss = value?.kind === "const" && typeof value.value === "string" ? value.value : undefined;
    } else {
      ss = undefined;
    }
    if (rank(ss) < rank(weakest) || (rank(ss) === rank(weakest) && rank(ss) === 0)) {
      weakest = ss;
    }
  }

  return weakest;
}

/** True when every body read is a plain `get_json()`/`request.json` (a JSON content type needs a preflight). */
function jsonOnly(a: RouteAnalysis): boolean {
  const reads = a.bodyReads.filter((r) =>
    ["form", "values", "json", "json-forced", "data", "files"].includes(r.part),
  );

  return reads.length > 0 && reads.every((r) => r.part === "json");
}

export { effectiveEntries, matchesQualname };
