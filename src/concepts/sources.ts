/**
 * Where values come from: the catalogue of Flask request inputs and identity sources, and a small
 * flow-insensitive origin analysis that follows local assignments back to them. This is what lets
 * a rule ask "does this comparison involve a request-supplied token and a session-bound one?".
 *
 * Request inputs (attributes of `flask.request`):
 *   form, args, values, files      — form and query data a cross-site form or link can set
 *   json, get_json(), data,
 *   get_data(), stream             — the body; `get_json()` refuses non-JSON content types,
 *                                    `get_json(force=True)` and `json.loads(request.data)` do not
 *   headers, cookies, authorization — credentials and metadata
 *   method, path, host, url, ...   — request metadata (host is attacker-influenced behind proxies)
 * Identity: `flask.session`, Flask-Login's `current_user`, flask_jwt_extended's
 * `get_jwt_identity()`/`get_jwt()`/`current_user`, `request.authorization`, and `g` attributes that
 * hooks fill in.
 * TODO: request.stream and werkzeug's raw `environ` are not modelled; reads through them are missed.
 */

import { isLocalName } from "../dataflow/flow.js";
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
import type { Evaluator, Value } from "../python/evaluate.js";
import type { Module } from "../python/project.js";

export type RequestPart =
  | "form"
  | "args"
  | "values"
  | "files"
  | "json"
  | "json-forced"
  | "data"
  | "headers"
  | "cookies"
  | "authorization"
  | "method"
  | "host"
  | "url"
  | "view-arg";

export type Origin =
  | { kind: "request"; part: RequestPart; key: string | null; node: PyNode }
  | { kind: "session"; key: string | null; node: PyNode }
  | { kind: "identity"; source: "flask-login" | "jwt" | "g"; node: PyNode }
  | { kind: "config"; key: string | null; node: PyNode };

const BODY_ATTRS: Record<string, RequestPart> = {
  form: "form",
  args: "args",
  values: "values",
  files: "files",
  json: "json",
  data: "data",
  headers: "headers",
  cookies: "cookies",
  authorization: "authorization",
  method: "method",
  host: "host",
  url: "url",
  base_url: "url",
  url_root: "url",
  host_url: "url",
  referrer: "headers",
  origin: "headers",
  remote_addr: "headers",
  access_route: "headers",
  user_agent: "headers",
  content_type: "headers",
  mimetype: "headers",
};

/**
 * Cheap syntactic gate before asking the evaluator: `request`, `session`, `g`, `current_user` and
 * the JWT helpers reach a module only through an import, so an expression whose leftmost name is
 * not imported at module level (a local variable, a parameter) cannot be one of them.
 * TODO: imports written inside a function body are not seen by this gate; reads through such a
 * local import are missed.
 */
function rootImported(node: PyNode, module: Module): boolean {
  // `token_auth.current_user` or `f(current_user=...)`: a name after a dot or a keyword is not
  // the imported symbol of the same name.
  if (node.type === "identifier" && (node.field === "attribute" || node.field === "name")) {
    return false;
  }
  let n = node;
  for (;;) {
    if (n.type === "attribute") {
      n = child(n, "object") ?? n;
    } else if (n.type === "subscript") {
      n = child(n, "value") ?? n;
    } else if (n.type === "call") {
      n = child(n, "function") ?? n;
    } else if (n.type === "parenthesized_expression" && n.children[0]) {
      n = n.children[0];
    } else {
      break;
    }
    if (n === node) {
      return false;
    }
  }
  if (n.type !== "identifier") {
    return false;
  }
  const bindings = module.bindings.get(n.text ?? "");

  return (
    !!bindings &&
    bindings.some((b) => b.kind === "from" || b.kind === "import" || b.kind === "assign")
  );
}

function isRestxObject(v: Value): boolean {
  return (
    v.kind === "call" &&
    v.callee.kind === "external" &&
    /^flask_(restx|restplus)\.(Namespace|Api)$/.test(v.callee.qualname)
  );
}

export function isFlaskRequest(node: PyNode, module: Module, ev: Evaluator): boolean {
  return ev.eval(node, module).some((v) => v.kind === "external" && v.qualname === "flask.request");
}

export function isQualname(node: PyNode, module: Module, ev: Evaluator, pattern: RegExp): boolean {
  return ev.eval(node, module).some((v) => qualnameOf(v) !== null && pattern.test(qualnameOf(v)!));
}

function qualnameOf(v: Value): string | null {
  if (v.kind === "external") {
    return v.qualname;
  }
  if (v.kind === "call" && v.callee.kind === "external") {
    return `${v.callee.qualname}()`;
  }

  return null;
}

/**
 * If `node` reads a request input directly (`request.form`, `request.form.get("x")`,
 * `request.get_json(force=True)`, `request.headers["X"]`), which part and key it reads.
 */
export function requestRead(
  node: PyNode,
  module: Module,
  ev: Evaluator,
): { part: RequestPart; key: string | null } | null {
  const n = unparen(node);
  if (!rootImported(n, module)) {
    return null;
  }
  // Flask-RESTX: `ns.payload` / `api.payload` is the parsed JSON body.
  if (n.type === "attribute" && child(n, "attribute")?.text === "payload") {
    const obj = child(n, "object");
    if (obj && ev.eval(obj, module).some((v) => isRestxObject(v))) {
      return { part: "json", key: null };
    }
  }
  // Flask-RESTful / Flask-RESTX reqparse: `parser.parse_args()` reads query, form and JSON values.
  if (n.type === "call") {
    const fn = child(n, "function");
    if (fn?.type === "attribute" && child(fn, "attribute")?.text === "parse_args") {
      const obj = child(fn, "object");
      if (
        obj &&
        ev
          .eval(obj, module)
          .some(
            (v) =>
              v.kind === "call" &&
              v.callee.kind === "external" &&
              /reqparse\.RequestParser$/.test(v.callee.qualname),
          )
      ) {
        return { part: "values", key: null };
      }
    }
  }
  // request.<attr>
  if (n.type === "attribute") {
    const obj = child(n, "object");
    const attr = child(n, "attribute")?.text ?? "";
    if (obj && isFlaskRequest(obj, module, ev)) {
      const part = BODY_ATTRS[attr];
      if (attr === "referrer" || attr === "origin") {
        return { part: "headers", key: attr === "referrer" ? "Referer" : "Origin" };
      }

      return part ? { part, key: null } : null;
    }

    return null;
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    if (fn?.type !== "attribute") {
      return null;
    }
    const obj = child(fn, "object");
    const method = child(fn, "attribute")?.text ?? "";
    if (obj && isFlaskRequest(obj, module, ev)) {
      if (method === "get_json") {
        const force = argument(n, 0, "force");

        return { part: force && force.type === "true" ? "json-forced" : "json", key: null };
      }
      if (method === "get_data") {
        return { part: "data", key: null };
      }

      return null;
    }
    // request.form.get("k"), request.headers.get("X"), request.form.getlist("k")
    if (obj && /^(get|getlist|to_dict|items|keys|values)$/.test(method)) {
      const inner = requestRead(obj, module, ev);
      if (inner && inner.key === null) {
        const keyNode = argument(n, 0, "key");

        return { part: inner.part, key: keyNode ? stringValue(keyNode) : null };
      }
    }

    return null;
  }
  if (n.type === "subscript") {
    const value = child(n, "value");
    const keyNode = child(n, "subscript");
    const inner = value ? requestRead(value, module, ev) : null;
    if (inner && inner.key === null) {
      return { part: inner.part, key: keyNode ? stringValue(keyNode) : null };
    }
  }

  return null;
}

/** A read of `flask.session` (`session["k"]`, `session.get("k")`, `"k" in session`). */
export function sessionRead(
  node: PyNode,
  module: Module,
  ev: Evaluator,
): { key: string | null } | null {
  const n = unparen(node);
  if (n.type !== "comparison_operator" && !rootImported(n, module)) {
    return null;
  }
  if (n.type === "subscript") {
    const value = child(n, "value");
    const keyNode = child(n, "subscript");
    if (value && isSession(value, module, ev)) {
      return { key: keyNode ? stringValue(keyNode) : null };
    }
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    const obj = fn?.type === "attribute" ? child(fn, "object") : null;
    const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : null;
    if (obj && (method === "get" || method === "pop") && isSession(obj, module, ev)) {
      const keyNode = argument(n, 0);

      return { key: keyNode ? stringValue(keyNode) : null };
    }
  }
  if (n.type === "comparison_operator") {
    const parts = n.children.filter((c) => c.field !== "operators");
    const ops = n.children.filter((c) => c.field === "operators").map((c) => c.text);
    if (
      parts.length === 2 &&
      (ops[0] === "in" || ops[0] === "not in") &&
      isSession(parts[1]!, module, ev)
    ) {
      return { key: stringValue(parts[0]!) };
    }
  }

  return null;
}

export function isSession(node: PyNode, module: Module, ev: Evaluator): boolean {
  return ev.eval(node, module).some((v) => v.kind === "external" && v.qualname === "flask.session");
}

/** Identity that is not the raw session: Flask-Login, JWT helpers, `g` attributes. */
export function identityRead(
  node: PyNode,
  module: Module,
  ev: Evaluator,
): { source: "flask-login" | "jwt" | "g" } | null {
  const n = unparen(node);
  if (!rootImported(n, module)) {
    return null;
  }
  const values = ev.eval(n, module);
  for (const v of values) {
    if (v.kind === "external") {
      if (
        v.qualname === "flask_login.current_user" ||
        v.qualname === "flask_security.current_user"
      ) {
        return { source: "flask-login" };
      }
      if (v.qualname === "flask_jwt_extended.current_user") {
        return { source: "jwt" };
      }
    }
    if (
      v.kind === "call" &&
      v.callee.kind === "external" &&
      /^flask_jwt_extended\.(get_jwt_identity|get_jwt|get_current_user)$/.test(v.callee.qualname)
    ) {
      return { source: "jwt" };
    }
  }
  if (n.type === "attribute") {
    const obj = child(n, "object");
    if (
      obj &&
      ev.eval(obj, module).some((v) => v.kind === "external" && v.qualname === "flask.g")
    ) {
      return { source: "g" };
    }
  }

  return null;
}

/**
 * Every origin an expression's value may derive from, following local assignments in its function
 * and the parameters that are view arguments of a handler.
 */
export function originsOf(
  expr: PyNode,
  module: Module,
  ev: Evaluator,
  viewArgs: readonly string[] = [],
  depth = 0,
): Origin[] {
  const out: Origin[] = [];
  const seen = new Set<PyNode>();
  const visit = (node: PyNode, d: number) => {
    if (seen.has(node) || d > 12) {
      return;
    }
    seen.add(node);
    walk(node, (n) => {
      if (n.type === "lambda" || n.type === "function_definition") {
        return false;
      }
      if (n.type === "identifier" && isLocalName(n, ev)) {
        const fn = enclosingFunction(n);
        const name = n.text ?? "";
        if (fn && viewArgs.includes(name) && parameterNames(fn).includes(name)) {
          out.push({ kind: "request", part: "view-arg", key: name, node: n });
          return false;
        }
        for (const b of fn ? (ev.bindingsOf(fn, module).get(name) ?? []) : []) {
          if (b.kind === "assign" && b.value) {
            visit(b.value, d + 1);
          }
        }
        return false;
      }
      const req = requestRead(n, module, ev);
      if (req) {
        out.push({ kind: "request", part: req.part, key: req.key, node: n });
        return false;
      }
      const ses = sessionRead(n, module, ev);
      if (ses) {
        out.push({ kind: "session", key: ses.key, node: n });
        return false;
      }
      const id = identityRead(n, module, ev);
      if (id) {
        out.push({ kind: "identity", source: id.source, node: n });
        return false;
      }
      if (n.type === "identifier" && n.field !== "attribute") {
        const name = n.text ?? "";
        const fn = enclosingFunction(n);
        if (fn) {
          if (viewArgs.includes(name) && parameterNames(fn).includes(name)) {
            out.push({ kind: "request", part: "view-arg", key: name, node: n });
            return false;
          }
          const bindings = ev.bindingsOf(fn, module).get(name);
          for (const b of bindings ?? []) {
            if (b.kind === "assign" && b.value) {
              visit(b.value, d + 1);
            }
          }
        }
      }
      return true;
    });
  };
  visit(expr, depth);

  return out;
}
