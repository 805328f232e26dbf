/**
 * Flask configuration as each app receives it: `app.config[...] = ...`, `config.update(...)`,
 * `from_object` with a class, a module or a dotted string (base classes included), `from_mapping`,
 * `app.secret_key` and `app.debug`, and which configuration is production. A config class named
 * like a test or development class, or loaded only from test code, never counts as production.
 */

import type { PyNode } from "../python/ast.js";
import {
  argument,
  callArgs,
  child,
  comparisonOperands,
  comparisonOperators,
  statements,
  stringValue,
  unparen,
  walk,
} from "../python/ast.js";
import type { Evaluator, Value } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import type { FlaskModelBuilder } from "./build.js";
import { methodCallTarget } from "./build.js";
import type { ConfigEntry, ConfigEnv, FlaskApp } from "./model.js";

const APP_ATTRIBUTE_KEYS: Record<string, string> = {
  secret_key: "SECRET_KEY",
  debug: "DEBUG",
  testing: "TESTING",
  permanent_session_lifetime: "PERMANENT_SESSION_LIFETIME",
};

export function collectConfig(builder: FlaskModelBuilder): void {
  const { ev, project } = builder;
  let order = 0;
  for (const module of project.modules) {
    walk(module.root, (n) => {
      if (n.type === "assignment") {
        order++;
        collectAssignment(builder, n, module, order);
      } else if (n.type === "call") {
        order++;
        collectCall(builder, n, module, order);
      }
      return true;
    });
  }
  void ev;
}

function _envOfModule(module: Module): ConfigEnv {
  return module.isTest ? "test" : "production";
}

/**
 * The environment of a configuration statement: test code is test; a statement inside
 * `if app.testing:`, `if test_config is not None:` or an `else` of `if test_config is None:` is
 * test; inside `if app.debug:` or a development check it is development.
 */
function envAt(node: PyNode, module: Module): ConfigEnv {
  if (module.isTest) {
    return "test";
  }
  let child_: PyNode = node;
  let p: PyNode | null = node.parent;
  while (p && p.type !== "function_definition" && p.type !== "module") {
    if (p.type === "if_statement" || p.type === "elif_clause") {
      const cond = child(p, "condition");
      const text = cond ? module.text(cond) : "";
      const inConsequence = child(p, "consequence") === child_;
      const testing = /\btest(ing)?(_config)?\b|TESTING/i.test(text);
      const development = /\bdebug\b|DEBUG|develop|\bdev\b|\blocal\b/i.test(text);
      // `if test_config is None:` keeps production in its body; its `else` is the test branch.
      const negated = /\bis None\b|^not\b/.test(text.trim());
      if (testing && inConsequence !== negated) {
        return "test";
      }
      if (development && inConsequence && !negated) {
        return "development";
      }
    }
    if (p.type === "else_clause") {
      const ifStmt = p.parent;
      const cond = ifStmt ? child(ifStmt, "condition") : undefined;
      const text = cond ? module.text(cond) : "";
      if (
        /\btest(ing)?(_config)?\b|TESTING/i.test(text) &&
        /\bis None\b|^not\b/.test(text.trim())
      ) {
        return "test";
      }
    }
    child_ = p;
    p = p.parent;
  }

  return "production";
}

function push(app: FlaskApp, entry: ConfigEntry): void {
  if (
    !app.config.some((e) => e.site === entry.site && e.env === entry.env && e.key === entry.key)
  ) {
    app.config.push(entry);
  }
}

/** `app.config["KEY"] = value`, `app.secret_key = value`. */
function collectAssignment(
  builder: FlaskModelBuilder,
  n: PyNode,
  module: Module,
  order: number,
): void {
  const left = child(n, "left");
  const right = child(n, "right") ?? null;
  if (!left) {
    return;
  }
  const target = assignedConfigKey(left);
  if (!target) {
    return;
  }
  for (const app of builder.ownersOf(target.owner, module).apps) {
    push(app, {
      key: target.key,
      value: right,
      module,
      site: n,
      env: envAt(n, module),
      className: null,
      order,
    });
  }
}

/** The app expression and config key an assignment target names: `x.config["K"]` or `x.secret_key`. */
function assignedConfigKey(left: PyNode): { owner: PyNode; key: string } | null {
  if (left.type === "subscript") {
    const value = child(left, "value");
    const keyNode = child(left, "subscript");
    const owner =
      value?.type === "attribute" && child(value, "attribute")?.text === "config"
        ? child(value, "object")
        : undefined;
    const key = keyNode ? stringValue(keyNode) : null;

    return owner && key !== null ? { owner, key } : null;
  }
  if (left.type === "attribute") {
    const key = APP_ATTRIBUTE_KEYS[child(left, "attribute")?.text ?? ""];
    const owner = child(left, "object");

    return key && owner ? { owner, key } : null;
  }

  return null;
}

function collectCall(
  builder: FlaskModelBuilder,
  call: PyNode,
  module: Module,
  order: number,
): void {
  const fn = child(call, "function");
  if (fn?.type !== "attribute") {
    return;
  }
  const method = child(fn, "attribute")?.text ?? "";
  const configExpr = child(fn, "object");
  if (configExpr?.type !== "attribute" || child(configExpr, "attribute")?.text !== "config") {
    return;
  }
  const appExpr = child(configExpr, "object");
  const apps = appExpr ? builder.ownersOf(appExpr, module).apps : [];
  if (apps.length === 0) {
    return;
  }
  const env = envAt(call, module);
  const add = (
    key: string,
    value: PyNode | null,
    site: PyNode,
    entryEnv: ConfigEnv,
    className: string | null,
    m: Module,
  ) => {
    for (const app of apps) {
      push(app, { key, value, module: m, site, env: entryEnv, className, order });
    }
  };

  if (method === "update" || method === "from_mapping" || method === "setdefault") {
    if (method === "setdefault") {
      const keyNode = argument(call, 0);
      const key = keyNode ? stringValue(keyNode) : null;
      if (key !== null) {
        add(key, argument(call, 1) ?? null, call, env, null, module);
      }
      return;
    }
    const args = callArgs(call);
    for (const [key, value] of args.keywords) {
      // Anchor on the keyword itself (`JWT_COOKIE_CSRF_PROTECT=False`), not on the whole call.
      add(key, value, value.parent ?? call, env, null, module);
    }
    for (const pos of args.positional) {
      for (const v of builder.ev.eval(pos, module)) {
        if (v.kind === "dict") {
          // A mapping written in test code (`create_app({"TESTING": True, ...})` in conftest).
          const dictEnv: ConfigEnv = v.module.isTest ? "test" : env;
          for (const [key, value, pair] of dictEntries(v.node)) {
            add(key, value, pair, dictEnv, null, v.module);
          }
        }
      }
    }
    return;
  }

  if (method === "from_pyfile") {
    const arg = argument(call, 0, "filename");
    const name = arg ? builder.constString(arg, module) : null;
    const target = name ? pyfileModule(builder, name, module) : null;
    if (target) {
      const source = moduleSource(target);
      for (const e of source.entries) {
        add(e.key, e.value, e.site, env, null, e.module);
      }
    }
    return;
  }

  if (method === "from_object") {
    const arg = argument(call, 0, "obj");
    if (!arg) {
      return;
    }
    for (const source of configSources(builder, arg, module)) {
      const entryEnv: ConfigEnv = env === "test" ? "test" : source.env;
      for (const e of source.entries) {
        add(e.key, e.value, e.site, entryEnv, source.name, e.module);
      }
    }
  }
}

interface ConfigSource {
  name: string;
  env: ConfigEnv;
  entries: { key: string; value: PyNode | null; site: PyNode; module: Module }[];
}

/** The classes or modules a `from_object(...)` argument may load. */
function configSources(builder: FlaskModelBuilder, arg: PyNode, module: Module): ConfigSource[] {
  const out: ConfigSource[] = [];
  // `from_object(os.environ.get("APP_CONFIG", "app.config.ProductionConfig"))`: the fallback is
  // what a deployment that does not set the variable loads.
  const lookup = envLookup(unparen(arg));
  if (lookup?.fallback) {
    return configSources(builder, lookup.fallback.node, module);
  }
  // `from_object(f"pkg.config.{name}Config")`: every class of that module is a candidate.
  const fprefix = fstringPrefix(unparen(arg));
  if (fprefix?.includes(".")) {
    const modName = fprefix.slice(0, fprefix.lastIndexOf("."));
    const target = builder.project.module(modName, module);
    if (target) {
      for (const [, bindings] of target.bindings) {
        for (const b of bindings) {
          if (b.kind === "class") {
            out.push(classSource(builder.ev, b.node, target));
          }
        }
      }
      return out;
    }
  }
  const values = builder.ev.eval(arg, module);
  for (const v of values) {
    if (v.kind === "class") {
      out.push(classSource(builder.ev, v.def, v.module));
    } else if (v.kind === "module") {
      out.push(moduleSource(v.module));
    } else if (v.kind === "const" && typeof v.value === "string") {
      for (const r of builder.project.resolveDotted(v.value, module)) {
        if (r.kind === "class") {
          out.push(classSource(builder.ev, r.node, r.module));
        } else if (r.kind === "module") {
          out.push(moduleSource(r.module));
        }
      }
    }
  }

  return out;
}

/** The literal text before the first interpolation of an f-string, or null. */
function fstringPrefix(n: PyNode): string | null {
  if (n.type !== "string" || !n.children.some((c) => c.type === "interpolation")) {
    return null;
  }
  let out = "";
  for (const c of n.children) {
    if (c.type === "interpolation") {
      break;
    }
    if (c.type === "string_content") {
      out += c.text ?? "";
    }
  }

  return out;
}

/**
 * The module `from_pyfile(name)` loads: Flask resolves the name against the app's root path (the
 * package of the app module), or the instance folder. Python files are project modules already;
 * `.cfg` files written in Python are added to the project by the scan for this purpose.
 */
function pyfileModule(builder: FlaskModelBuilder, name: string, module: Module): Module | null {
  const dir = module.path.includes("/") ? module.path.slice(0, module.path.lastIndexOf("/")) : "";
  const candidates = [
    dir ? `${dir}/${name}` : name,
    `instance/${name}`,
    dir ? `${dir}/instance/${name}` : name,
  ];
  for (const c of candidates) {
    const m = builder.project.moduleByPath(c.replace(/^\.\//, ""));
    if (m) {
      return m;
    }
  }
  const base = name.split("/").pop() ?? name;

  return (
    builder.project.modules.find((m) => m.path === base || m.path.endsWith(`/${base}`)) ?? null
  );
}

/** Upper-case class attributes, base classes first so subclasses override them. */
function classSource(ev: Evaluator, cls: PyNode, module: Module): ConfigSource {
  const name = child(cls, "name")?.text ?? "";
  const entries = new Map<string, ConfigSource["entries"][number]>();
  const visit = (c: PyNode, m: Module, depth: number) => {
    if (depth > 6) {
      return;
    }
    for (const base of ev.baseClasses(c, m)) {
      if (base.kind === "class") {
        visit(base.def, base.module, depth + 1);
      }
    }
    for (const stmt of statements(child(c, "body"))) {
      const assign = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
      if (assign?.type !== "assignment") {
        continue;
      }
      const left = child(assign, "left");
      const key = left?.type === "identifier" ? left.text : undefined;
      if (key && /^[A-Z][A-Z0-9_]*$/.test(key)) {
        entries.set(key, { key, value: child(assign, "right") ?? null, site: assign, module: m });
      }
    }
  };
  visit(cls, module, 0);

  return { name, env: envOfName(name, module), entries: [...entries.values()] };
}

function moduleSource(module: Module): ConfigSource {
  const entries: ConfigSource["entries"] = [];
  for (const [key, bindings] of module.bindings) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) {
      continue;
    }
    for (const b of bindings) {
      if (b.kind === "assign") {
        entries.push({ key, value: b.value, site: b.target.parent ?? b.stmt, module });
      }
    }
  }

  return { name: module.name, env: envOfName(module.name.split(".").pop() ?? "", module), entries };
}

/** A configuration's environment from its name: TestingConfig is a test one, DevConfig development. */
export function envOfName(name: string, module: Module): ConfigEnv {
  if (module.isTest || /test/i.test(name)) {
    return "test";
  }
  if (/dev|local|debug/i.test(name)) {
    return "development";
  }

  return "production";
}

function dictEntries(dict: PyNode): [string, PyNode | null, PyNode][] {
  const out: [string, PyNode | null, PyNode][] = [];
  for (const pair of dict.children) {
    if (pair.type !== "pair") {
      continue;
    }
    const k = child(pair, "key");
    const key = k ? stringValue(k) : null;
    if (key !== null) {
      out.push([key, child(pair, "value") ?? null, pair]);
    }
  }

  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading values.

/** Entries for `key` that apply in production, in the order the app applies them. */
export function productionEntries(app: FlaskApp, key: string): ConfigEntry[] {
  return app.config
    .filter((e) => e.key === key && e.env === "production")
    .sort((a, b) => a.order - b.order);
}

/**
 * The entries that decide `key` in production: the last one applied, or, when the last step loads
 * one of several candidate classes, each candidate's entry.
 */
export function effectiveEntries(app: FlaskApp, key: string): ConfigEntry[] {
  const entries = productionEntries(app, key);
  const last = entries[entries.length - 1];
  if (!last) {
    return [];
  }

  return entries.filter((e) => e.order === last.order);
}

/** What a config value is, as far as the code says without running. */
export type ConfigValue =
  | { kind: "const"; value: string | number | boolean | null | string[] }
  /** Read from the environment: `os.environ.get("X", default)`; `default` undefined when none. */
  | {
      kind: "env";
      variable: string;
      fallback: { value: unknown; node: PyNode } | undefined;
      expected?: { equals: unknown; negated: boolean };
    }
  | { kind: "unknown" };

export function readConfigValue(ev: Evaluator, node: PyNode | null, module: Module): ConfigValue {
  if (!node) {
    return { kind: "unknown" };
  }
  const n = unparen(node);
  const env = envLookup(n);
  if (env) {
    return { kind: "env", variable: env.variable, fallback: env.fallback };
  }
  // `os.environ.get("CSRF_ON", "1") == "1"`: true unless the variable says otherwise.
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);
    const [a, b] = comparisonOperands(n);
    if (a && b && ops.length === 1 && (ops[0] === "==" || ops[0] === "!=")) {
      const lookup = envLookup(unparen(a));
      const other = stringValue(b);
      if (lookup && other !== null) {
        return {
          kind: "env",
          variable: lookup.variable,
          fallback: lookup.fallback,
          expected: { equals: other, negated: ops[0] === "!=" },
        };
      }
    }
  }
  if (n.type === "list" || n.type === "tuple") {
    const items = n.children.map((c) => stringValue(c));
    if (items.every((i): i is string => i !== null)) {
      return { kind: "const", value: items };
    }
  }
  const values = ev.eval(n, module);
  const consts = values.filter((v): v is Extract<Value, { kind: "const" }> => v.kind === "const");
  if (consts.length === 1 && values.length === 1) {
    return { kind: "const", value: consts[0]!.value };
  }
  for (const v of values) {
    if (v.kind === "sequence") {
      const items = v.node.children.map((c) => stringValue(c));
      if (items.every((i): i is string => i !== null)) {
        return { kind: "const", value: items };
      }
    }
  }

  return { kind: "unknown" };
}

/** `os.environ.get("X", d)`, `os.getenv("X", d)`, `os.environ["X"]`, `environ.get(...)`. */
export function envLookup(
  n: PyNode,
): { variable: string; fallback: { value: unknown; node: PyNode } | undefined } | null {
  if (n.type === "call") {
    const fn = child(n, "function");
    const text = fn ? fnText(fn) : "";
    if (/(^|\.)(environ\.get|getenv)$/.test(text)) {
      const nameNode = argument(n, 0, "key");
      const variable = nameNode ? stringValue(nameNode) : null;
      if (variable === null) {
        return null;
      }
      const fb = argument(n, 1, "default");

      return { variable, fallback: fb ? { value: literalOf(fb), node: fb } : undefined };
    }
  }
  if (n.type === "subscript") {
    const value = child(n, "value");
    const key = child(n, "subscript");
    if (value && /(^|\.)environ$/.test(fnText(value)) && key) {
      const variable = stringValue(key);

      return variable === null ? null : { variable, fallback: undefined };
    }
  }

  return null;
}

function fnText(n: PyNode): string {
  if (n.type === "identifier") {
    return n.text ?? "";
  }
  if (n.type === "attribute") {
    const obj = child(n, "object");

    return `${obj ? fnText(obj) : ""}.${child(n, "attribute")?.text ?? ""}`;
  }

  return "";
}

/** The Python literal value of a simple constant node (undefined when not a literal). */
export function literalOf(node: PyNode): unknown {
  const n = unparen(node);
  const s = stringValue(n);
  if (s !== null) {
    return s;
  }
  switch (n.type) {
    case "true":
      return true;
    case "false":
      return false;
    case "none":
      return null;
    case "integer":
      return Number.parseInt(n.text ?? "0", 10);
    default:
      return undefined;
  }
}

export { methodCallTarget };
