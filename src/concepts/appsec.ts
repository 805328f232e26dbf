/**
 * Per-app security settings, read with the libraries' own semantics: Flask-WTF (WTF_CSRF_ENABLED,
 * WTF_CSRF_CHECK_DEFAULT, WTF_CSRF_METHODS, exemptions by view, blueprint or dotted string),
 * Flask-SeaSurf (CSRF_DISABLE, include mode, URL-prefix exemptions), the session cookie's
 * SameSite and domain, credentialed CORS, and WSGI middleware that overrides the request method.
 */

import type { AnalysisContext } from "../analysis/context.js";
import { methodCallTarget, siteOf } from "../flask/build.js";
import {
  type ConfigValue,
  effectiveEntries,
  envLookup,
  envOfName,
  readConfigValue,
} from "../flask/config.js";
import { bindingsOf } from "../flask/extensions.js";
import type { Blueprint, ConfigEntry, ExtensionBinding, FlaskApp } from "../flask/model.js";
import * as N from "../flask/names.js";
import type { PyNode } from "../python/ast.js";
import {
  argument,
  child,
  enclosingFunction,
  parameterNames,
  stringValue,
  unparen,
  walk,
} from "../python/ast.js";
import { matchesQualname, type Value } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import { listSetting } from "./jwt.js";

export type Switch =
  | { state: "on" }
  | { state: "off"; entry: ConfigEntry }
  /** Decided by an environment variable; `defaultOn` is what happens when it is unset. */
  | { state: "env"; entry: ConfigEntry; variable: string; defaultOn: boolean };

export interface WtfSettings {
  binding: ExtensionBinding | null;
  enabled: Switch;
  checkDefault: Switch;
  methods: string[];
  exemptViews: Set<PyNode>;
  exemptBlueprints: Set<Blueprint>;
  exemptStrings: { value: string; node: PyNode; module: Module }[];
  /** Where each exemption is declared, for evidence. */
  exemptSites: Map<PyNode | Blueprint, { node: PyNode; module: Module }>;
}

export interface SeaSurfSettings {
  binding: ExtensionBinding;
  disabled: ConfigEntry | null;
  includeMode: boolean;
  exemptUrls: { prefix: string; node: PyNode; module: Module }[];
  exemptViews: Set<PyNode>;
  includedViews: Set<PyNode>;
}

export interface CookieSettings {
  /** "Lax" | "Strict" | "None" (the string), null (Python None), or undefined (not set). */
  sameSite: string | null | undefined;
  sameSiteEntry: ConfigEntry | null;
  domainEntry: ConfigEntry | null;
}

export interface CorsAny {
  node: PyNode;
  module: Module;
  reason: string;
}

export interface MethodOverride {
  site: PyNode;
  module: Module;
  /** Where the method comes from. */
  from: "query" | "form" | "header";
  /** True when it is applied only to POST requests. */
  onlyPost: boolean;
}

export interface AppSecurity {
  wtf: WtfSettings | null;
  seasurf: SeaSurfSettings | null;
  cookie: CookieSettings;
  cors: CorsAny | null;
  methodOverrides: MethodOverride[];
}

const cache = new WeakMap<FlaskApp, AppSecurity>();

export function appSecurity(ctx: AnalysisContext, app: FlaskApp): AppSecurity {
  let s = cache.get(app);
  if (!s) {
    s = {
      wtf: wtfSettings(ctx, app),
      seasurf: seasurfSettings(ctx, app),
      cookie: cookieSettings(ctx, app),
      cors: corsAnyOrigin(ctx, app),
      methodOverrides: methodOverrides(ctx, app),
    };
    cache.set(app, s);
  }

  return s;
}

/** A boolean setting with a default, as the library reads it. */
export function switchOf(
  ctx: AnalysisContext,
  app: FlaskApp,
  key: string,
  defaultOn: boolean,
): Switch {
  for (const e of effectiveEntries(app, key)) {
    const v: ConfigValue = readConfigValue(ctx.ev, e.value, e.module);
    if (v.kind === "const" && v.value === false && defaultOn) {
      return { state: "off", entry: e };
    }
    if (v.kind === "const" && v.value === true && !defaultOn) {
      return { state: "off", entry: e };
    }
    if (v.kind === "env") {
      let on: boolean;
      if (v.expected) {
        const fallback = v.fallback?.value;
        const equal = fallback === v.expected.equals;
        on = v.expected.negated ? !equal : equal;
        if (fallback === undefined) {
          on = v.expected.negated;
        }
      } else {
        on = v.fallback
          ? Boolean(v.fallback.value) && v.fallback.value !== "0" && v.fallback.value !== "false"
          : false;
      }

      return { state: "env", entry: e, variable: v.variable, defaultOn: defaultOn ? on : !on };
    }
  }

  return { state: "on" };
}

// ---------------------------------------------------------------------------------------------

function wtfSettings(ctx: AnalysisContext, app: FlaskApp): WtfSettings | null {
  const binding = bindingsOf(app, "csrfprotect")[0] ?? null;
  const settings: WtfSettings = {
    binding,
    enabled: switchOf(ctx, app, "WTF_CSRF_ENABLED", true),
    checkDefault: switchOf(ctx, app, "WTF_CSRF_CHECK_DEFAULT", true),
    // Flask-WTF compares request.method with this list as is: "post" matches nothing.
    methods: listSetting(ctx, app, "WTF_CSRF_METHODS") ?? ["POST", "PUT", "PATCH", "DELETE"],
    exemptViews: new Set(),
    exemptBlueprints: new Set(),
    exemptStrings: [],
    exemptSites: new Map(),
  };
  if (!binding) {
    return settings;
  }
  const ext = binding.extension;
  // `csrf.exempt(x)` calls and `@csrf.exempt` decorators.
  for (const { call, module } of ctx.ev.callsNamed("exempt")) {
    const target = methodCallTarget(call, "exempt");
    if (!target || !isExtension(ctx, target, module, ext.site)) {
      continue;
    }
    const arg = argument(call, 0, "view");
    if (arg) {
      addExemption(ctx, app, settings, arg, module, call);
    }
  }
  for (const { decorator: n, module } of ctx.ev.decoratorsNamed("exempt")) {
    const expr = n.children[0];
    const target = expr ? methodCallTargetAttr(expr, "exempt") : null;
    const def = n.parent ? child(n.parent, "definition") : undefined;
    if (target && def && isExtension(ctx, target, module, ext.site)) {
      settings.exemptViews.add(def);
      settings.exemptSites.set(def, { node: n, module });
    }
  }

  return settings;
}

function addExemption(
  ctx: AnalysisContext,
  app: FlaskApp,
  s: WtfSettings,
  arg: PyNode,
  module: Module,
  site: PyNode,
): void {
  // `def api_view(f): return csrf.exempt(f)` used as `@api_view`: the exemption reaches every
  // view the helper decorates.
  const helper = arg.type === "identifier" ? enclosingFunction(arg) : null;
  if (helper && parameterNames(helper)[0] === arg.text) {
    const helperName = child(helper, "name")?.text ?? "";
    for (const { decorator, module: dm } of ctx.ev.decoratorsNamed(helperName)) {
      const expr = decorator.children.find((c) => c.type !== "comment");
      const def = decorator.parent ? child(decorator.parent, "definition") : undefined;
      if (
        expr &&
        def &&
        ctx.ev.eval(expr, dm).some((v) => v.kind === "function" && v.def === helper)
      ) {
        s.exemptViews.add(def);
        s.exemptSites.set(def, { node: decorator, module: dm });
      }
    }
  }
  const values = ctx.ev.eval(arg, module);
  const addValue = (v: Value, node: PyNode, m: Module) => {
    if (v.kind === "function") {
      s.exemptViews.add(v.def);
      s.exemptSites.set(v.def, { node: site, module });
    } else if (v.kind === "const" && typeof v.value === "string") {
      s.exemptStrings.push({ value: v.value, node, module: m });
    } else {
      const bp = ctx.flask.blueprints.find((b) => siteOf(v) === b.site);
      if (bp) {
        s.exemptBlueprints.add(bp);
        s.exemptSites.set(bp, { node: site, module });
      }
    }
  };
  for (const v of values) {
    addValue(v, arg, module);
  }
  // `for view in app.config["CSRF_EXEMPT"]: csrf.exempt(view)`: the loop runs over config values.
  if (arg.type === "identifier") {
    let p: PyNode | null = arg.parent;
    while (p && p.type !== "for_statement" && p.type !== "function_definition") {
      p = p.parent;
    }
    const left = p?.type === "for_statement" ? child(p, "left") : undefined;
    const right = p?.type === "for_statement" ? child(p, "right") : undefined;
    if (left?.text === arg.text && right) {
      const key = configKeyOf(right);
      for (const e of key ? effectiveEntries(app, key) : []) {
        const items = e.value?.type === "list" || e.value?.type === "tuple" ? e.value.children : [];
        for (const item of items) {
          const str = stringValue(item);
          if (str !== null) {
            s.exemptStrings.push({ value: str, node: item, module: e.module });
          }
        }
      }
    }
  }
}

/** `app.config["K"]` or `app.config.get("K")` → "K". */
function configKeyOf(n: PyNode): string | null {
  if (n.type === "subscript") {
    const value = child(n, "value");
    const key = child(n, "subscript");
    if (value?.type === "attribute" && child(value, "attribute")?.text === "config" && key) {
      return stringValue(key);
    }
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    const obj = fn?.type === "attribute" ? child(fn, "object") : null;
    if (obj?.type === "attribute" && child(obj, "attribute")?.text === "config") {
      const key = argument(n, 0);
      return key ? stringValue(key) : null;
    }
  }

  return null;
}

function methodCallTargetAttr(expr: PyNode, name: string): PyNode | null {
  if (expr.type === "attribute" && child(expr, "attribute")?.text === name) {
    return child(expr, "object") ?? null;
  }
  if (expr.type === "call") {
    return methodCallTarget(expr, name);
  }

  return null;
}

/** Whether `expr` denotes the extension object created at `site`. */
export function isExtension(
  ctx: AnalysisContext,
  expr: PyNode,
  module: Module,
  site: PyNode,
): boolean {
  return ctx.ev.eval(expr, module).some((v) => siteOf(v) === site);
}

// ---------------------------------------------------------------------------------------------

function seasurfSettings(ctx: AnalysisContext, app: FlaskApp): SeaSurfSettings | null {
  const binding = bindingsOf(app, "seasurf")[0];
  if (!binding) {
    return null;
  }
  const disabledSwitch = switchOf(ctx, app, "CSRF_DISABLE", false);
  const mode = listSetting(ctx, app, "SEASURF_INCLUDE_OR_EXEMPT_VIEWS");
  const s: SeaSurfSettings = {
    binding,
    disabled: disabledSwitch.state === "off" ? disabledSwitch.entry : null,
    includeMode: mode?.[0]?.toLowerCase() === "include",
    exemptUrls: [],
    exemptViews: new Set(),
    includedViews: new Set(),
  };
  const site = binding.extension.site;
  for (const { call, module } of ctx.ev.callsNamed("exempt_urls")) {
    const target = methodCallTarget(call, "exempt_urls");
    if (target && isExtension(ctx, target, module, site)) {
      const arg = argument(call, 0);
      for (const v of arg ? ctx.ev.eval(arg, module) : []) {
        const items = v.kind === "sequence" ? v.node.children : [];
        for (const item of items) {
          const prefix = stringValue(item);
          if (prefix !== null) {
            s.exemptUrls.push({ prefix, node: call, module });
          }
        }
      }
    }
  }
  for (const { decorator: n, module } of [
    ...ctx.ev.decoratorsNamed("exempt"),
    ...ctx.ev.decoratorsNamed("include"),
  ]) {
    const expr = n.children[0];
    const def = n.parent ? child(n.parent, "definition") : undefined;
    for (const [name, set] of [
      ["exempt", s.exemptViews],
      ["include", s.includedViews],
    ] as const) {
      const target = expr ? methodCallTargetAttr(expr, name) : null;
      if (target && def && isExtension(ctx, target, module, site)) {
        set.add(def);
      }
    }
  }

  return s;
}

// ---------------------------------------------------------------------------------------------

function cookieSettings(ctx: AnalysisContext, app: FlaskApp): CookieSettings {
  const out: CookieSettings = { sameSite: undefined, sameSiteEntry: null, domainEntry: null };
  for (const e of effectiveEntries(app, "SESSION_COOKIE_SAMESITE")) {
    const v = readConfigValue(ctx.ev, e.value, e.module);
    out.sameSiteEntry = e;
    if (v.kind === "const") {
      out.sameSite = v.value === null ? null : String(v.value);
    } else if (v.kind === "env" && v.fallback && typeof v.fallback.value === "string") {
      out.sameSite = v.fallback.value;
    }
  }
  for (const e of effectiveEntries(app, "SESSION_COOKIE_DOMAIN")) {
    const v = readConfigValue(ctx.ev, e.value, e.module);
    if (!(v.kind === "const" && (v.value === null || v.value === false))) {
      out.domainEntry = e;
    }
  }

  return out;
}

// ---------------------------------------------------------------------------------------------

/** Where an option's value is written: a keyword argument, a resource's dict entry, a config entry. */
export interface CorsOption {
  node: PyNode;
  module: Module;
}

/**
 * Credentialed CORS that any site can satisfy, on any of the app's Flask-CORS bindings. Flask-CORS
 * reads each option from the resource's own options, else the keyword arguments (constructor,
 * then `init_app`), else the app's `CORS_*` configuration, else its defaults: origins `*` (which,
 * with credentials on, it answers by echoing the caller's Origin) and no credentials.
 */
function corsAnyOrigin(ctx: AnalysisContext, app: FlaskApp): CorsAny | null {
  for (const b of bindingsOf(app, "cors")) {
    const option = (name: string): CorsOption | undefined =>
      b.options.get(name) ?? corsConfigOption(app, name);
    const reason = resourcesAllowAny(ctx, app, option);
    if (reason) {
      return { node: b.site, module: b.module, reason };
    }
  }

  return null;
}

/** `CORS_ORIGINS` for `origins`: the app configuration's value of an option. */
function corsConfigOption(app: FlaskApp | null, name: string): CorsOption | undefined {
  const entry = app ? effectiveEntries(app, `CORS_${name.toUpperCase()}`)[0] : undefined;

  return entry?.value ? { node: entry.value, module: entry.module } : undefined;
}

/**
 * Why one of the binding's resources (or its only, implicit one) grants credentialed requests to
 * any site, or null when none does. `resources` may be a pattern, a list of patterns (each with
 * the binding's options) or a dict of pattern to options.
 */
function resourcesAllowAny(
  ctx: AnalysisContext,
  app: FlaskApp,
  option: (name: string) => CorsOption | undefined,
): string | null {
  const resources = option("resources");
  const dicts = resources
    ? ctx.ev.eval(resources.node, resources.module).filter((v) => v.kind === "dict")
    : [];
  if (dicts.length === 0) {
    return credentialedAnyOrigin(ctx, app, option);
  }
  for (const v of dicts) {
    for (const pair of v.node.children) {
      const opts = pair.type === "pair" ? child(pair, "value") : undefined;
      const own = new Map<string, CorsOption>();
      for (const p of opts?.type === "dictionary" ? opts.children : []) {
        const key = p.type === "pair" ? child(p, "key") : undefined;
        const value = p.type === "pair" ? child(p, "value") : undefined;
        const name = key ? stringValue(key) : null;
        if (name !== null && value) {
          own.set(name, { node: value, module: v.module });
        }
      }
      const reason = credentialedAnyOrigin(ctx, app, (name) => own.get(name) ?? option(name));
      if (reason) {
        const pattern = pair.type === "pair" ? stringValue(child(pair, "key") ?? pair) : null;

        return pattern ? `${reason} (resource ${pattern})` : reason;
      }
    }
  }

  return null;
}

/**
 * Why a set of Flask-CORS options (a resource's, or a `@cross_origin` decorator's) lets any site
 * make credentialed requests, or null. Options left unset fall back to `app`'s `CORS_*` config.
 */
export function credentialedAnyOrigin(
  ctx: AnalysisContext,
  app: FlaskApp | null,
  given: (name: string) => CorsOption | undefined,
): string | null {
  const option = (name: string) => given(name) ?? corsConfigOption(app, name);
  if (!corsFlag(ctx, app, option("supports_credentials"))) {
    return null;
  }
  // Flask-CORS refuses `send_wildcard` with credentials at start-up: that app never runs.
  if (corsFlag(ctx, app, option("send_wildcard"))) {
    return null;
  }
  const origins = option("origins");
  if (!origins) {
    return "origins are left at the default `*`, which Flask-CORS answers by echoing any Origin";
  }
  // TODO: origins computed at run time (read from the environment, split from a string) are
  // taken as a fixed list; a deployment that sets them to `*` goes unreported.
  for (const o of originValues(ctx, app, origins.node, origins.module) ?? []) {
    const weakness = originWeakness(o.value, o.regex);
    if (weakness) {
      return weakness;
    }
  }

  return null;
}

/** True when an option evaluates to True (through `app.config[...]` reads too). */
function corsFlag(
  ctx: AnalysisContext,
  app: FlaskApp | null,
  opt: CorsOption | undefined,
): boolean {
  if (!opt) {
    return false;
  }
  const key = configKeyOf(opt.node);
  if (key && app) {
    return effectiveEntries(app, key).some((e) => {
      const v = readConfigValue(ctx.ev, e.value, e.module);
      return v.kind === "const" && v.value === true;
    });
  }

  return ctx.ev.eval(opt.node, opt.module).some((v) => v.kind === "const" && v.value === true);
}

/**
 * The allowed origins an expression holds: strings, lists of strings, `re.compile(...)` patterns,
 * and `app.config["KEY"]` reads resolved through the app's configuration. Null when unknown.
 */
function originValues(
  ctx: AnalysisContext,
  app: FlaskApp | null,
  node: PyNode,
  module: Module,
): { value: string; regex: boolean }[] | null {
  // `os.environ.get("CORS_ORIGINS", "*")`: a deployment without the variable runs on the fallback.
  const env = envLookup(unparen(node));
  if (env) {
    return env.fallback ? originValues(ctx, app, env.fallback.node, module) : null;
  }
  const key = configKeyOf(node);
  if (key && app) {
    const entries = effectiveEntries(app, key);
    const values = entries.flatMap((e) =>
      e.value ? (originValues(ctx, null, e.value, e.module) ?? []) : [],
    );

    return values.length > 0 ? values : null;
  }
  const out: { value: string; regex: boolean }[] = [];
  const add = (n: PyNode, m: Module): boolean => {
    const s = stringValue(n);
    if (s !== null) {
      out.push({ value: s, regex: REGEX_CHARS.test(s) });
      return true;
    }
    const compiled = n.type === "call" ? compiledPattern(ctx, n, m) : null;
    if (compiled !== null) {
      out.push({ value: compiled, regex: true });
      return true;
    }

    return false;
  };
  if (add(node, module)) {
    return out;
  }
  for (const v of ctx.ev.eval(node, module)) {
    if (v.kind === "const" && typeof v.value === "string") {
      out.push({ value: v.value, regex: REGEX_CHARS.test(v.value) });
    } else if (v.kind === "sequence") {
      for (const c of v.node.children) {
        if (!add(c, v.module)) {
          return null;
        }
      }
    } else {
      return null;
    }
  }

  return out.length > 0 ? out : null;
}

/** `re.compile("pattern")` → the pattern. */
function compiledPattern(ctx: AnalysisContext, call: PyNode, module: Module): string | null {
  const fn = child(call, "function");
  const arg = argument(call, 0, "pattern");
  const isCompile = fn
    ? ctx.ev.eval(fn, module).some((v) => v.kind === "external" && v.qualname === "re.compile")
    : false;

  return isCompile && arg ? stringValue(arg) : null;
}

/**
 * Flask-CORS treats an origin holding one of these characters as a regular expression (and any
 * other string as an exact, case-insensitive match).
 */
const REGEX_CHARS = /[*\\\]?$^[()]/;

/** Origins a foreign site can present, tried against patterns. */
const FOREIGN_ORIGINS = ["https://attacker.invalid", "http://attacker.invalid"];

/**
 * Whether an allowed origin lets a foreign site in: `*`, `null` (sent by sandboxed iframes and
 * `data:` pages, which any site can create), or a pattern that matches a foreign origin or lacks
 * a closing `$`.
 */
export function isAnyOrigin(origin: string, regex = REGEX_CHARS.test(origin)): boolean {
  return originWeakness(origin, regex) !== null;
}

function originWeakness(origin: string, regex: boolean): string | null {
  if (origin === "*") {
    return "origins allow any site (`*`), which Flask-CORS answers by echoing the caller's Origin";
  }
  if (origin.toLowerCase() === "null") {
    return 'origins include "null", which any site can send from a sandboxed iframe';
  }
  if (!regex) {
    return null;
  }
  const js = pythonPatternToJs(origin);
  if (js && FOREIGN_ORIGINS.some((o) => js.test(o))) {
    return `the origin pattern \`${origin}\` matches any site`;
  }
  if (!endAnchored(origin)) {
    return `the origin pattern \`${origin}\` has no closing \`$\`: Flask-CORS applies it with re.match, which anchors only the start, so an allowed host followed by the attacker's own domain (https://app.example.com.attacker.net) passes`;
  }

  return null;
}

/** The pattern as `re.match` applies it (anchored at the start, case-insensitive), in JavaScript. */
function pythonPatternToJs(pattern: string): RegExp | null {
  const source = pattern
    .replace(/\(\?P</g, "(?<")
    .replace(/\\Z/g, "$")
    .replace(/\\A/g, "^");
  try {
    return new RegExp(`^(?:${source})`, "i");
  } catch {
    return null;
  }
}

/** True when every top-level alternative of a pattern ends with `$` (or `\Z`), past closing groups. */
function endAnchored(pattern: string): boolean {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
    } else if (inClass) {
      inClass = c !== "]";
    } else if (c === "[") {
      inClass = true;
    } else if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
    } else if (c === "|" && depth === 0) {
      branches.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(pattern.slice(start));

  return branches.every((b) => {
    let tail = b;
    while (tail.endsWith(")") && !tail.endsWith("\\)")) {
      tail = tail.slice(0, -1);
    }

    return (tail.endsWith("$") && !tail.endsWith("\\$")) || tail.endsWith("\\Z");
  });
}
// ---------------------------------------------------------------------------------------------

/**
 * WSGI middleware installed as `app.wsgi_app = Cls(app.wsgi_app)` whose `__call__` rewrites
 * `REQUEST_METHOD` from the query string, a form field or an override header.
 */
function methodOverrides(ctx: AnalysisContext, app: FlaskApp): MethodOverride[] {
  const out: MethodOverride[] = [];
  for (const mw of app.middleware) {
    for (const v of mw.value) {
      if (v.kind !== "instance") {
        continue;
      }
      const strings: string[] = [];
      let writesMethod = false;
      let onlyPost = false;
      walk(v.cls, (n) => {
        const s = n.type === "string" ? stringValue(n) : null;
        if (s !== null) {
          strings.push(s);
        }
        if (n.type === "assignment") {
          const left = child(n, "left");
          if (
            left?.type === "subscript" &&
            stringValue(child(left, "subscript") ?? left) === "REQUEST_METHOD"
          ) {
            writesMethod = true;
          }
        }
        if (
          n.type === "comparison_operator" &&
          /REQUEST_METHOD/.test(ctx.project.moduleByPath(v.clsModule.path)?.text(n) ?? "") &&
          /["']POST["']/.test(v.clsModule.text(n))
        ) {
          onlyPost = true;
        }
        return true;
      });
      if (!writesMethod) {
        continue;
      }
      const from = strings.includes("QUERY_STRING")
        ? "query"
        : strings.some((s) => /^HTTP_X_(HTTP_)?METHOD_OVERRIDE$/i.test(s))
          ? "header"
          : strings.includes("_method")
            ? "form"
            : null;
      if (from) {
        out.push({ site: mw.site, module: mw.module, from, onlyPost });
      }
    }
  }

  return out;
}

export { envOfName, matchesQualname, N };
