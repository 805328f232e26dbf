/**
 * Flask extensions and the apps they are bound to. An extension counts for an app only when it is
 * constructed with that app or `init_app`-ed on it, in whatever module that happens; a binding
 * inside `if app.config.get("ENABLE_CSRF"):` counts only if the configuration sets that key.
 */

import type { PyNode } from "../python/ast.js";
import { argument, callArgs, child, unparen } from "../python/ast.js";
import type { Module } from "../python/project.js";
import type { FlaskModelBuilder } from "./build.js";
import { methodCallTarget, siteOf } from "./build.js";
import { effectiveEntries, envLookup, literalOf, readConfigValue } from "./config.js";
import type { Extension, ExtensionBinding, ExtensionKind, FlaskApp } from "./model.js";
import * as N from "./names.js";

const KINDS: [ExtensionKind, readonly string[]][] = [
  ["csrfprotect", N.CSRF_PROTECT],
  ["seasurf", N.SEASURF],
  ["login", N.LOGIN_MANAGER],
  ["jwt", N.JWT_MANAGER],
  ["cors", N.CORS],
  ["limiter", N.LIMITER],
  ["talisman", N.TALISMAN],
  ["admin", N.FLASK_ADMIN],
  ["security", N.FLASK_SECURITY],
];

export function collectExtensions(builder: FlaskModelBuilder): void {
  const { ev } = builder;
  const bySite = new Map<PyNode, Extension>();
  for (const { call, module } of ev.classCalls()) {
    const fn = child(call, "function");
    if (!fn) {
      continue;
    }
    const callee = ev.eval(fn, module);
    const kind = KINDS.find(([, names]) => callee.some((v) => builder.isClass(v, names)))?.[0];
    if (!kind) {
      continue;
    }
    const ext: Extension = { kind, site: call, module };
    builder.model.extensions.push(ext);
    bySite.set(call, ext);
    const appArg = argument(call, 0, "app");
    if (appArg) {
      for (const app of builder.ownersOf(appArg, module).apps) {
        bind(builder, app, ext, call, module, [call]);
      }
    }
  }
  for (const { call, module } of ev.callsNamed("init_app")) {
    const object = methodCallTarget(call, "init_app");
    const appArg = argument(call, 0, "app");
    if (!object || !appArg) {
      continue;
    }
    for (const v of ev.eval(object, module)) {
      const site = siteOf(v);
      const ext = site ? bySite.get(site) : undefined;
      if (!ext) {
        continue;
      }
      for (const app of builder.ownersOf(appArg, module).apps) {
        bind(builder, app, ext, call, module, [ext.site, call]);
      }
    }
  }
}

function bind(
  builder: FlaskModelBuilder,
  app: FlaskApp,
  extension: Extension,
  site: PyNode,
  module: Module,
  optionCalls: PyNode[],
): void {
  const options = new Map<string, { node: PyNode; module: Module }>();
  for (const c of optionCalls) {
    const m = c === extension.site ? extension.module : module;
    for (const [k, v] of callArgs(c).keywords) {
      options.set(k, { node: v, module: m });
    }
  }
  const { active, condition } = bindingCondition(builder, app, site, module);
  const binding: ExtensionBinding = { extension, site, module, options, active, condition };
  app.extensions.push(binding);
}

/**
 * Whether the statement holding `site` runs: it does unless an enclosing `if` tests a config key
 * or environment variable that nothing sets (then the binding is inactive). Other conditions are
 * recorded as undecided.
 */
function bindingCondition(
  builder: FlaskModelBuilder,
  app: FlaskApp,
  site: PyNode,
  module: Module,
): { active: boolean; condition: PyNode | null } {
  let node: PyNode | null = site;
  while (node && node.type !== "function_definition" && node.type !== "module") {
    const parent: PyNode | null = node.parent;
    if (parent?.type === "if_statement" && child(parent, "consequence") === node) {
      const cond = child(parent, "condition");
      if (cond) {
        const truth = conditionTruth(builder, app, cond, module);
        if (truth === false) {
          return { active: false, condition: cond };
        }
        if (truth === null) {
          return { active: true, condition: cond };
        }
      }
    }
    node = parent;
  }

  return { active: true, condition: null };
}

/** True/false when a condition on configuration is decidable, null otherwise. */
function conditionTruth(
  builder: FlaskModelBuilder,
  app: FlaskApp,
  cond: PyNode,
  module: Module,
): boolean | null {
  const n = unparen(cond);
  if (n.type === "not_operator") {
    const inner = child(n, "argument");
    const t = inner ? conditionTruth(builder, app, inner, module) : null;

    return t === null ? null : !t;
  }
  const key = configKeyRead(n);
  if (key) {
    const entries = effectiveEntries(app, key.key);
    if (entries.length === 0) {
      return key.fallback === undefined ? false : Boolean(key.fallback);
    }
    const values = entries.map((e) => readConfigValue(builder.ev, e.value, e.module));
    if (values.every((v) => v.kind === "const")) {
      const truths = values.map((v) => (v.kind === "const" ? truthy(v.value) : false));

      return truths.every((t) => t === truths[0]) ? truths[0]! : null;
    }

    return null;
  }
  const env = envLookup(n);
  if (env) {
    return null;
  }

  return null;
}

/** `app.config.get("K")`, `app.config.get("K", d)`, `app.config["K"]`. */
function configKeyRead(n: PyNode): { key: string; fallback: unknown } | null {
  if (n.type === "call") {
    const fn = child(n, "function");
    const obj =
      fn?.type === "attribute" && child(fn, "attribute")?.text === "get"
        ? child(fn, "object")
        : null;
    if (obj?.type === "attribute" && child(obj, "attribute")?.text === "config") {
      const keyNode = argument(n, 0);
      const key = keyNode ? literalOf(keyNode) : undefined;
      const fb = argument(n, 1);
      if (typeof key === "string") {
        return { key, fallback: fb ? literalOf(fb) : undefined };
      }
    }
  }
  if (n.type === "subscript") {
    const value = child(n, "value");
    const keyNode = child(n, "subscript");
    if (value?.type === "attribute" && child(value, "attribute")?.text === "config" && keyNode) {
      const key = literalOf(keyNode);
      if (typeof key === "string") {
        return { key, fallback: undefined };
      }
    }
  }

  return null;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) {
    return v.length > 0;
  }

  return Boolean(v);
}

/** Active bindings of an extension kind on an app. */
export function bindingsOf(app: FlaskApp, kind: ExtensionKind): ExtensionBinding[] {
  return app.extensions.filter((b) => b.extension.kind === kind && b.active);
}
