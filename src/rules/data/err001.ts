/**
 * ERR001 exception-detail-leak: exception text returned to the client from a route handler or an
 * error handler: `str(e)`, `repr(e)`, `f"{e}"`, `e.response[...]`, `e.args`,
 * `traceback.format_exc()`, directly or through helpers that build the response.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { Walker } from "../../concepts/walker.js";
import { CLIENT_FACING_ERRORS, type FlowContext, flowOrigins } from "../../dataflow/flow.js";
import { viewArgsOf } from "../../dataflow/sinks.js";
import type { PyNode } from "../../python/ast.js";
import {
  argument,
  callArgs,
  child,
  decoratorExpression,
  decoratorsOf,
  unparen,
  walk,
} from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import type { Rule, RuleFinding } from "../types.js";

export const err001: Rule = {
  id: "ERR001",
  name: "exception-detail-leak",
  family: "web",
  severity: "medium",
  confidence: "high",
  cwe: ["CWE-209"],
  owasp: ["A05:2021", "API8:2023"],
  status: "stable",
  fixAvailability: "none",
  summary: "Exception text is returned to the client",
  docs: {
    whatItDoes:
      "Follows exception objects (`except ClientError as e`, error-handler arguments) and tracebacks into the values that route handlers and error handlers (`@app.errorhandler`, `register_error_handler`, lambdas included) return or pass to `abort()`.",
    why: "botocore's messages name the operation, the table, the key schema and, for access errors, the role and table ARNs; tracebacks show code paths and library versions. That maps the back end for an attacker. Branching on `e.response['Error']['Code']` and returning fixed text is fine.",
    example: `import boto3
from botocore.exceptions import ClientError
from flask import Flask, jsonify, session

app = Flask(__name__)
table = boto3.resource("dynamodb").Table("users")


@app.post("/close")
def close_account():
    try:
        table.delete_item(Key={"user_id": session["user_id"]})
    except ClientError as e:
        return jsonify({"error": str(e)}), 500
    return jsonify({"ok": True})
`,
    useInstead: `import logging

import boto3
from botocore.exceptions import ClientError
from flask import Flask, jsonify, session

app = Flask(__name__)
log = logging.getLogger(__name__)
table = boto3.resource("dynamodb").Table("users")


@app.post("/close")
def close_account():
    try:
        table.delete_item(Key={"user_id": session["user_id"]})
    except ClientError:
        log.exception("closing account failed")
        return jsonify({"error": "could not close the account"}), 500
    return jsonify({"ok": True})
`,
    fixSafety: "No automatic edit: the replacement message is the application's choice.",
    knownProblems:
      "Exception text stored first in a database and returned by a later request is not followed.",
    references: ["https://cwe.mitre.org/data/definitions/209.html"],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const seen = new Set<PyNode>();
    const report = (node: PyNode, module: Module, where: string, route: RuleFinding["route"]) => {
      if (seen.has(node)) {
        return;
      }
      seen.add(node);
      out.push({
        anchor: anchorAt(module, node),
        route,
        message: `${where} returns exception details to the client; log them and return a fixed message instead.`,
        evidence: [],
        fingerprint: module.text(node).slice(0, 120),
      });
    };
    for (const a of ctx.routes.values()) {
      const fc: FlowContext = {
        ctx,
        viewArgs: viewArgsOf(a),
        handler: a.route.handler.def,
        chain: [],
      };
      for (const m of a.methods.values()) {
        for (const exit of m.trace.exits) {
          if (exit.chain.length > 0 || !exit.value) {
            continue;
          }
          const leaks =
            exit.kind === "abort"
              ? abortLeaks(exit.value, exit.module, fc)
              : exit.kind === "return" && leaksException(exit.value, exit.module, fc);
          if (leaks) {
            report(exit.node, exit.module, `${a.route.methods.join("/")} ${a.route.path}`, a.route);
          }
        }
        // `flash(f"failed: {e}")` shows the text on the next page the user sees.
        for (const seg of m.trace.segments) {
          if (seg.chain.length > 0) {
            continue;
          }
          walk(seg.expr, (n) => {
            if (n.type === "call" && isFlash(ctx, n, seg.module)) {
              const message = argument(n, 0, "message");
              if (message && leaksException(message, seg.module, fc)) {
                report(n, seg.module, `${a.route.methods.join("/")} ${a.route.path}`, a.route);
              }
            }
            return true;
          });
        }
      }
    }
    for (const h of errorHandlers(ctx)) {
      const fc: FlowContext = { ctx, viewArgs: [], handler: null, chain: [] };
      if (h.fn.type === "lambda") {
        const body = child(h.fn, "body");
        if (body && leaksException(body, h.module, fc, h.param)) {
          report(body, h.module, "An error handler", null);
        }
        continue;
      }
      const trace = Walker.run(ctx.ev, h.fn, h.module, { method: null, maxDepth: 0 });
      for (const exit of trace.exits) {
        if (
          exit.chain.length === 0 &&
          exit.value &&
          exit.kind === "return" &&
          leaksException(exit.value, exit.module, fc, h.param)
        ) {
          report(exit.node, exit.module, "An error handler", null);
        }
      }
    }

    return out;
  },
};

/** Whether a returned value carries exception text (or, for handlers, its exception argument). */
function leaksException(value: PyNode, module: Module, fc: FlowContext, param?: string): boolean {
  // `return e` hands the exception object back to Flask, which renders an HTTP error's own
  // public page (and refuses anything else): no text of it reaches the client.
  const v = unparen(value);
  if (v.type === "identifier") {
    return false;
  }

  return flowOrigins(value, module, fc).some(
    (o) =>
      o.kind === "exception" || (param !== undefined && o.kind === "param" && o.name === param),
  );
}

/** `abort(500, str(e))`, `abort(500, description=f"{e}")`, `ns.abort(500, detail=str(e))`. */
function abortLeaks(call: PyNode, module: Module, fc: FlowContext): boolean {
  const args = callArgs(call);

  return [...args.positional.slice(1), ...args.keywords.values()].some((a) =>
    leaksException(a, module, fc),
  );
}

function isFlash(ctx: AnalysisContext, call: PyNode, module: Module): boolean {
  const fn = child(call, "function");

  return (
    !!fn &&
    ctx.ev
      .eval(fn, module)
      .some((v) => v.kind === "external" && /^flask(\.helpers)?\.flash$/.test(v.qualname))
  );
}

/**
 * Handlers for HTTP errors (`errorhandler(404)`, `errorhandler(HTTPException)`) and for the
 * application's own exception classes get exceptions whose text the application wrote for the
 * client; only handlers of other exceptions can leak internals.
 */
function handlesOwnErrors(ctx: AnalysisContext, exc: PyNode | undefined, module: Module): boolean {
  if (!exc) {
    return false;
  }
  if (unparen(exc).type === "integer") {
    return true;
  }

  return ctx.ev
    .eval(exc, module)
    .some(
      (v) => v.kind === "class" || (v.kind === "external" && CLIENT_FACING_ERRORS.test(v.qualname)),
    );
}

/** `@app.errorhandler(X)` functions and `register_error_handler(X, f)` targets, with their exception parameter. */
function errorHandlers(ctx: AnalysisContext): { fn: PyNode; module: Module; param: string }[] {
  const out: { fn: PyNode; module: Module; param: string }[] = [];
  for (const m of ctx.project.modules) {
    walk(m.root, (n) => {
      if (n.type === "function_definition") {
        for (const d of decoratorsOf(n)) {
          const e = decoratorExpression(d);
          const f = e?.type === "call" ? child(e, "function") : undefined;
          if (
            e &&
            f?.type === "attribute" &&
            /^(errorhandler|app_errorhandler)$/.test(child(f, "attribute")?.text ?? "") &&
            !handlesOwnErrors(ctx, argument(e, 0), m)
          ) {
            out.push({ fn: n, module: m, param: firstParam(n) });
          }
        }
      }
      return true;
    });
  }
  for (const { call, module } of ctx.ev.calls()) {
    const f = child(call, "function");
    if (f?.type !== "attribute" || child(f, "attribute")?.text !== "register_error_handler") {
      continue;
    }
    const target = argument(call, 1, "f");
    if (handlesOwnErrors(ctx, argument(call, 0, "code_or_exception"), module)) {
      continue;
    }
    if (target?.type === "lambda") {
      out.push({ fn: target, module, param: firstParam(target) });
    } else if (target) {
      for (const v of ctx.ev.eval(target, module)) {
        if (v.kind === "function") {
          out.push({ fn: v.def, module: v.module, param: firstParam(v.def) });
        }
      }
    }
  }

  return out;
}

function firstParam(fn: PyNode): string {
  const params = child(fn, "parameters");
  const first = params?.children.find(
    (c) =>
      c.type === "identifier" || c.type === "typed_parameter" || c.type === "default_parameter",
  );
  if (!first) {
    return "";
  }

  return first.type === "identifier"
    ? (first.text ?? "")
    : (child(first, "name")?.text ??
        first.children.find((c) => c.type === "identifier")?.text ??
        "");
}
