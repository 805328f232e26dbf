/**
 * AWS access keys written into Python code, for SECRET002: string literals shaped like an access
 * key id or a secret access key, with the name they are stored under (`AWS_ACCESS_KEY_ID = ...`,
 * `aws_secret_access_key=...`, `{"SecretAccessKey": ...}`, `os.environ.setdefault(NAME, ...)`)
 * and the scope they are stored in (one call's keywords, one dict, one block or class body), so
 * that an id and a secret stored together pair up. Credential keywords of boto3-style calls
 * (`boto3.client(..., aws_access_key_id=settings.KEY_ID)`) are followed back through names,
 * module attributes, class attributes and environment fallbacks to the literal they hold, in
 * whichever module it is written.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import { envLookup } from "../../flask/config.js";
import type { PyNode } from "../../python/ast.js";
import {
  callArgs,
  child,
  enclosingFunction,
  statements,
  stringValue,
  unparen,
  walk,
} from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import { type AwsKeyKind, keyKindOf } from "./aws-keys.js";

export interface KeyLiteral {
  kind: AwsKeyKind;
  value: string;
  node: PyNode;
  module: Module;
  /** The name it is stored under, when it has one. */
  name: string | null;
  /** Where it is stored: literals of the same scope are stored together. */
  scope: PyNode;
  /** Credential arguments of calls that receive it, with the keyword they use. */
  uses: { call: PyNode; module: Module; keyword: string }[];
}

/** The keywords boto3 (and botocore, aioboto3, PynamoDB connections) take credentials through. */
const CREDENTIAL_KEYWORDS: Record<string, AwsKeyKind> = {
  aws_access_key_id: "id",
  aws_secret_access_key: "secret",
};

/**
 * Where boto3 takes credentials positionally: `boto3.client(service, region, api_version,
 * use_ssl, verify, endpoint_url, aws_access_key_id, aws_secret_access_key, ...)` (and
 * `resource` alike), and `boto3.Session(aws_access_key_id, aws_secret_access_key, ...)`.
 */
const POSITIONAL_CREDENTIALS: [RegExp, number][] = [
  [/^boto3\.(client|resource)$|^boto3\.session\.Session\(\)\.(client|resource)$/, 6],
  [/^boto3\.(session\.)?Session$/, 0],
];

/** Credential arguments of a call, by keyword or by boto3's positional order. */
function credentialArguments(
  ctx: AnalysisContext,
  call: PyNode,
  module: Module,
): [string, PyNode][] {
  const args = callArgs(call);
  const out: [string, PyNode][] = [...args.keywords];
  const fn = child(call, "function");
  const names = fn
    ? ctx.ev.eval(fn, module).flatMap((v) => (v.kind === "external" ? [v.qualname] : []))
    : [];
  for (const [pattern, first] of POSITIONAL_CREDENTIALS) {
    if (names.some((n) => pattern.test(n))) {
      const id = args.positional[first];
      const secret = args.positional[first + 1];
      if (id) {
        out.push(["aws_access_key_id", id]);
      }
      if (secret) {
        out.push(["aws_secret_access_key", secret]);
      }
    }
  }

  return out;
}

/** A quick test on a module's source before its tree is walked. */
const MAY_HOLD_KEYS = /AKIA|ASIA|secret/i;

/**
 * Shortest and longest source text of a string literal worth reading: a key with its quotes, and
 * room for prefixes and implicit concatenation.
 */
const MIN_LITERAL = 20 + 2;
const MAX_LITERAL = 120;

export function keyLiterals(ctx: AnalysisContext): KeyLiteral[] {
  const found = new Map<PyNode, KeyLiteral>();
  const literalAt = (node: PyNode, module: Module): KeyLiteral | null => {
    const known = found.get(node);
    if (known) {
      return known;
    }
    const value = stringValue(node);
    const kind = value === null ? null : keyKindOf(value);
    if (value === null || !kind) {
      return null;
    }
    const literal: KeyLiteral = { kind, value, node, module, ...storageOf(node), uses: [] };
    found.set(node, literal);

    return literal;
  };

  for (const module of ctx.project.modules) {
    if (!MAY_HOLD_KEYS.test(module.source)) {
      continue;
    }
    walk(module.root, (n) => {
      if (n.type !== "string" && n.type !== "concatenated_string") {
        return true;
      }
      const length = n.end - n.start;
      if (length >= MIN_LITERAL && length <= MAX_LITERAL) {
        literalAt(n, module);
      }

      return false;
    });
  }

  const mayPassKeys = new Map<Module, boolean>();
  for (const { call, module } of ctx.ev.calls()) {
    let passes = mayPassKeys.get(module);
    if (passes === undefined) {
      passes = /aws_(access_key_id|secret_access_key)|AKIA|ASIA/.test(module.source);
      mayPassKeys.set(module, passes);
    }
    if (!passes) {
      continue;
    }
    for (const [keyword, value] of credentialArguments(ctx, call, module)) {
      const kind = CREDENTIAL_KEYWORDS[keyword];
      if (!kind) {
        continue;
      }
      for (const origin of literalOrigins(ctx, value, module)) {
        const literal = literalAt(origin.node, origin.module);
        if (literal?.kind === kind && !literal.uses.some((u) => u.call === call)) {
          literal.uses.push({ call, module, keyword });
        }
      }
    }
  }

  return [...found.values()];
}

/** The name a literal is stored under and the scope it is stored in. */
function storageOf(node: PyNode): { name: string | null; scope: PyNode } {
  let inner = node;
  let p = node.parent;
  while (p?.type === "parenthesized_expression") {
    inner = p;
    p = p.parent;
  }
  if (!p) {
    return { name: null, scope: node };
  }
  if (p.type === "assignment" && child(p, "right") === inner) {
    const left = child(p, "left");

    return { name: left ? targetName(left) : null, scope: blockOf(p) };
  }
  if (p.type === "keyword_argument" && child(p, "value") === inner) {
    return { name: child(p, "name")?.text ?? null, scope: p.parent?.parent ?? p };
  }
  if (p.type === "pair" && child(p, "value") === inner) {
    const key = child(p, "key");

    return { name: key ? stringValue(key) : null, scope: p.parent ?? p };
  }
  // `os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "...")`, `os.getenv("AWS_KEY_ID", "...")`.
  if (p.type === "argument_list") {
    const positional = p.children.filter(
      (c) => c.type !== "keyword_argument" && c.type !== "comment",
    );
    const first = positional[0];
    if (positional[1] === inner && first) {
      return { name: stringValue(first), scope: blockOf(p) };
    }
  }

  return { name: null, scope: blockOf(p) };
}

/** `NAME`, `self.name`, `os.environ["NAME"]`, `app.config["NAME"]` → the name. */
function targetName(target: PyNode): string | null {
  const t = unparen(target);
  if (t.type === "identifier") {
    return t.text ?? null;
  }
  if (t.type === "attribute") {
    return child(t, "attribute")?.text ?? null;
  }
  if (t.type === "subscript") {
    const key = child(t, "subscript");

    return key ? stringValue(key) : null;
  }

  return null;
}

/** The block (function body, class body, `if` branch) or module holding a node. */
function blockOf(node: PyNode): PyNode {
  let p: PyNode | null = node;
  while (p && p.type !== "block" && p.type !== "module") {
    p = p.parent;
  }

  return p ?? node;
}

const MAX_TRACE_DEPTH = 8;

/**
 * The string literals an expression may take its value from: itself, what a local or global name
 * was assigned, a module or class attribute, either branch of `a if c else b` / `a or b`, the
 * fallback of an environment lookup, an entry of a dict literal.
 */
export function literalOrigins(
  ctx: AnalysisContext,
  node: PyNode,
  module: Module,
  depth = 0,
): { node: PyNode; module: Module }[] {
  const n = unparen(node);
  if (depth > MAX_TRACE_DEPTH) {
    return [];
  }
  const next = (x: PyNode, m: Module) => literalOrigins(ctx, x, m, depth + 1);
  switch (n.type) {
    case "string":
    case "concatenated_string":
      return [{ node: n, module }];
    case "identifier":
      return nameOrigins(ctx, n, module).flatMap((o) => next(o.node, o.module));
    case "attribute": {
      const obj = child(n, "object");
      const attr = child(n, "attribute")?.text ?? "";
      const out: { node: PyNode; module: Module }[] = [];
      for (const v of obj ? ctx.ev.eval(obj, module) : []) {
        if (v.kind === "module") {
          for (const r of ctx.project.resolveGlobal(v.module, attr)) {
            if (r.kind === "value") {
              out.push(...next(r.node, r.module));
            }
          }
        } else if (v.kind === "class" || v.kind === "instance") {
          const cls = v.kind === "class" ? v.def : v.cls;
          const clsModule = v.kind === "class" ? v.module : v.clsModule;
          for (const a of classAttribute(ctx, cls, clsModule, attr)) {
            out.push(...next(a.node, a.module));
          }
        }
      }

      return out;
    }
    case "conditional_expression": {
      // `a if cond else b`: tree-sitter gives the three parts without field names.
      const parts = n.children;

      return parts.length === 3 ? [...next(parts[0]!, module), ...next(parts[2]!, module)] : [];
    }
    case "boolean_operator":
      return [child(n, "left"), child(n, "right")].flatMap((c) => (c ? next(c, module) : []));
    case "call": {
      const env = envLookup(n);

      return env?.fallback ? next(env.fallback.node, module) : [];
    }
    case "subscript": {
      const value = child(n, "value");
      const key = child(n, "subscript");
      const wanted = key ? stringValue(key) : null;
      const out: { node: PyNode; module: Module }[] = [];
      for (const v of value && wanted !== null ? ctx.ev.eval(value, module) : []) {
        if (v.kind !== "dict") {
          continue;
        }
        for (const pair of v.node.children) {
          const k = pair.type === "pair" ? child(pair, "key") : undefined;
          const val = pair.type === "pair" ? child(pair, "value") : undefined;
          if (k && val && stringValue(k) === wanted) {
            out.push(...next(val, v.module));
          }
        }
      }

      return out;
    }
    default:
      return [];
  }
}

/** Expressions a bare name was assigned: in the enclosing functions first, then at module level. */
function nameOrigins(
  ctx: AnalysisContext,
  n: PyNode,
  module: Module,
): { node: PyNode; module: Module }[] {
  const name = n.text ?? "";
  let fn = enclosingFunction(n);
  while (fn) {
    const bindings = ctx.ev.bindingsOf(fn, module).get(name);
    if (bindings && bindings.length > 0) {
      return bindings.flatMap((b) =>
        b.kind === "assign" && b.value ? [{ node: b.value, module }] : [],
      );
    }
    fn = enclosingFunction(fn);
  }

  return ctx.project
    .resolveGlobal(module, name)
    .flatMap((r) => (r.kind === "value" ? [{ node: r.node, module: r.module }] : []));
}

/** `attr = ...` in a class body, searched through the project base classes. */
function classAttribute(
  ctx: AnalysisContext,
  cls: PyNode,
  module: Module,
  attr: string,
  depth = 0,
): { node: PyNode; module: Module }[] {
  if (depth > 8) {
    return [];
  }
  for (const stmt of statements(child(cls, "body"))) {
    const assign = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
    const right = assign?.type === "assignment" ? child(assign, "right") : undefined;
    if (assign && right && child(assign, "left")?.text === attr) {
      return [{ node: right, module }];
    }
  }
  for (const base of ctx.ev.baseClasses(cls, module)) {
    if (base.kind === "class") {
      const found = classAttribute(ctx, base.def, base.module, attr, depth + 1);
      if (found.length > 0) {
        return found;
      }
    }
  }

  return [];
}
