/**
 * INPUT001 unvalidated-input-write (info): a raw request value stored in a DynamoDB attribute with
 * no validation dominating the write: no cast, length bound, pattern match, allowlist, type check,
 * validator function, form or schema.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import type { Frame } from "../../concepts/walker.js";
import { atomicFacts, type Fact } from "../../concepts/walker.js";
import { argumentFor, type FlowOrigin, flowOrigins, isClientOrigin } from "../../dataflow/flow.js";
import { flowContextFor } from "../../dataflow/sinks.js";
import type { PyNode } from "../../python/ast.js";
import {
  callArgs,
  child,
  comparisonOperators,
  enclosingFunction,
  parameterNames,
  stringValue,
  unparen,
  walk,
  walkScope,
} from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import type { Rule, RuleFinding } from "../types.js";
import { describeOrigin, originEvidence, routeSinks } from "./common.js";

const VALUE_PARTS = new Set(["form", "args", "values", "json", "json-forced", "data", "headers"]);
const VALIDATOR_NAME = /valid|check|match|verify|clean|saniti[sz]e|parse|normali[sz]e|escape|is_/i;

export const input001: Rule = {
  id: "INPUT001",
  name: "unvalidated-input-write",
  family: "data",
  severity: "info",
  confidence: "medium",
  cwe: ["CWE-20"],
  owasp: ["API8:2023"],
  status: "stable",
  fixAvailability: "none",
  summary: "A raw request value is stored in DynamoDB without validation",
  docs: {
    whatItDoes:
      "Reports DynamoDB writes that store a form field, query parameter, JSON value or header exactly as the client sent it: no cast (`int()`, `Decimal()`), no length bound (`len(x) <= N`, `x[:N]`), no pattern match (`re.fullmatch`), no allowlist (`x in CHOICES`), no `isinstance` check, no validator function, form or schema before the write.",
    why: "Unbounded or malformed values end up in items that other code, other services and other users' pages trust: oversized attributes, wrong types that break readers, markup that becomes stored XSS elsewhere. It is information, not a vulnerability on its own.",
    example: `import boto3
from flask import Flask, request, session

app = Flask(__name__)
users = boto3.resource("dynamodb").Table("users")


@app.post("/profile/bio")
def set_bio():
    users.update_item(
        Key={"user_id": session["user_id"]},
        UpdateExpression="SET bio = :b",
        ExpressionAttributeValues={":b": request.form["bio"]},
    )
    return "ok"
`,
    useInstead: `import boto3
from flask import Flask, abort, request, session

app = Flask(__name__)
users = boto3.resource("dynamodb").Table("users")


@app.post("/profile/bio")
def set_bio():
    bio = request.form.get("bio", "")
    if len(bio) > 500:
        abort(400)
    users.update_item(
        Key={"user_id": session["user_id"]},
        UpdateExpression="SET bio = :b",
        ExpressionAttributeValues={":b": bio},
    )
    return "ok"
`,
    fixSafety: "No automatic edit: the valid shape of a value is the application's knowledge.",
    knownProblems:
      "Validation done inside a helper that returns a cleaned value is recognised only by its name (validate, clean, parse...).",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { a, sink } of routeSinks(ctx)) {
      if (!sink.op.write) {
        continue;
      }
      const fc = flowContextFor(ctx, a, sink);
      const raw: FlowOrigin[] = [];
      for (const { value, module, level } of storedValues(
        sink.op.call,
        sink.op.module,
        sink.segment.chain,
      )) {
        if (boundedAt(value) || nameValidated(value, sink.segment.guards)) {
          continue;
        }
        // `body["description"]` is validated only by a check of that field.
        const picked = selectedField(value);
        if (picked && checksName(picked.name, sink.segment.guards, picked.field)) {
          continue;
        }
        const at = { ...fc, chain: fc.chain.slice(0, level) };
        for (const o of flowOrigins(value, module, at)) {
          if (
            isClientOrigin(o) &&
            VALUE_PARTS.has(o.part) &&
            !o.cast &&
            !o.bounded &&
            !o.whole &&
            !o.keyOf &&
            !validated(ctx, o, sink.segment.guards, picked?.field ?? null)
          ) {
            raw.push(o);
          }
        }
      }
      const first = raw[0];
      if (!first) {
        continue;
      }
      const names = [...new Set(raw.map(describeOrigin))];
      out.push({
        anchor: anchorAt(sink.op.module, sink.op.call),
        route: a.route,
        message: `${sink.op.op} stores ${names.slice(0, 3).join(", ")}${names.length > 3 ? " and more" : ""} as sent, with no validation before the write.`,
        evidence: raw.slice(0, 3).map((o) => originEvidence(o, `${describeOrigin(o)} read here`)),
        fingerprint: `${a.route.handler.qualname} ${sink.op.module.text(sink.op.call).slice(0, 80)}`,
      });
    }

    return out;
  },
};

/**
 * The expressions a write stores as attribute values: the values of an `Item` or
 * `ExpressionAttributeValues` dict, written at the call or built in a local variable first
 * (`item = {...}; item["note"] = note; table.put_item(Item=item)`).
 */
function storedValues(call: PyNode, module: Module, chain: readonly Frame[]): StoredValue[] {
  const args = callArgs(call);
  const out: StoredValue[] = [];
  const level = chain.length;
  for (const name of ["Item", "ExpressionAttributeValues"]) {
    const arg = args.keywords.get(name);
    if (arg) {
      out.push(...dictValues(arg, module, chain, level));
    }
  }
  // PynamoDB: `Model.attr.set(value)` actions.
  const actions = args.keywords.get("actions");
  if (actions) {
    walk(actions, (n) => {
      const fn = n.type === "call" ? child(n, "function") : undefined;
      if (fn?.type === "attribute" && child(fn, "attribute")?.text === "set") {
        const v = callArgs(n).positional[0];
        if (v) {
          out.push({ value: v, module, level });
        }
      }
      return true;
    });
  }

  return out;
}

interface StoredValue {
  value: PyNode;
  module: Module;
  /** How many frames of the sink's call chain lead to the function holding the value. */
  level: number;
}

/**
 * Values of a dict argument: written at the call, built in a local variable, or passed in by a
 * caller (`store.add({"title": request.form["title"]})` reaching `put_item(Item=item)`).
 */
function dictValues(
  arg: PyNode,
  module: Module,
  chain: readonly Frame[],
  level: number,
): StoredValue[] {
  const out: StoredValue[] = [];
  for (const dict of dictsOf(arg)) {
    for (const pair of dict.children) {
      const v = pair.type === "pair" ? child(pair, "value") : undefined;
      if (v) {
        out.push({ value: v, module, level });
      }
    }
  }
  if (arg.type === "identifier") {
    out.push(...subscriptStores(arg).map((value) => ({ value, module, level })));
    const fn = enclosingFunction(arg);
    const frame = level > 0 ? chain[level - 1] : undefined;
    const index = fn ? parameterNames(fn).indexOf(arg.text ?? "") : -1;
    if (fn && frame && frame.fn === fn && index !== -1) {
      const passed = argumentFor(frame.call, fn, arg.text ?? "", index);
      if (passed) {
        out.push(...dictValues(passed, frame.module, chain, level - 1));
      }
    }
  }

  return out;
}

/** A stored local variable that a guard before the write validates. */
function nameValidated(value: PyNode, guards: readonly Fact[]): boolean {
  const v = unparen(value);

  return v.type === "identifier" && checksName(v.text ?? "", guards);
}

function checksName(name: string, guards: readonly Fact[], field: string | null = null): boolean {
  for (const f of atomicFacts(guards)) {
    const n = unparen(f.cond);
    if (mentions(n, name, field) && isValidation(n)) {
      return true;
    }
  }

  return false;
}

/**
 * Whether a condition reads the variable `name` (and, for a field of a mapping, that very field:
 * a check of `body["title"]` says nothing about `body["description"]`).
 */
function mentions(cond: PyNode, name: string, field: string | null): boolean {
  let found = false;
  walk(cond, (n) => {
    if (found) {
      return false;
    }
    if (n.type === "identifier" && n.text === name && n.field !== "attribute") {
      if (field === null) {
        found = true;
      } else {
        const use = n.parent;
        const key =
          use?.type === "subscript"
            ? child(use, "subscript")
            : use?.type === "attribute" && use.parent?.type === "call"
              ? callArgs(use.parent).positional[0]
              : undefined;
        found = !!key && stringValue(key) === field;
      }
    }
    return true;
  });

  return found;
}

/**
 * A condition that validates: a validator-like call (`is_valid_email(x)`, `re.fullmatch(...)`,
 * `isinstance(...)`), a length bound (`len(x) <= 200`; `len(x) == 0` is only a presence test) or
 * membership in an allowlist.
 */
function isValidation(n: PyNode): boolean {
  if (n.type === "call") {
    const fn = child(n, "function");
    const fname = fn?.type === "attribute" ? child(fn, "attribute")?.text : fn?.text;

    return (
      !!fname && (VALIDATOR_NAME.test(fname) || /^(isinstance|match|fullmatch|search)$/.test(fname))
    );
  }
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);

    return ops.some((op) => ["in", "not in", "<", "<=", ">", ">="].includes(op));
  }

  return false;
}

/** The dict literal an argument is, or the dict literals its local variable is assigned. */
function dictsOf(arg: PyNode): PyNode[] {
  const a = unparen(arg);
  if (a.type === "dictionary") {
    return [a];
  }
  if (a.type !== "identifier") {
    return [];
  }
  const fn = enclosingFunction(a);
  const out: PyNode[] = [];
  walkScope(child(fn ?? a, "body") ?? a, (n) => {
    if (n.type === "assignment" && child(n, "left")?.text === a.text) {
      const right = child(n, "right");
      if (right && unparen(right).type === "dictionary") {
        out.push(unparen(right));
      }
    }
    return true;
  });

  return out;
}

/** Values stored into a local dict by `item["k"] = v` before the write. */
function subscriptStores(name: PyNode): PyNode[] {
  const fn = enclosingFunction(name);
  const out: PyNode[] = [];
  walkScope(child(fn ?? name, "body") ?? name, (n) => {
    if (n.type === "assignment") {
      const left = child(n, "left");
      const right = child(n, "right");
      if (
        left?.type === "subscript" &&
        child(left, "value")?.text === name.text &&
        right &&
        n.start < name.start
      ) {
        out.push(right);
      }
    }
    return true;
  });

  return out;
}

/** `x[:200]` or `str(x)[:200]`: a bounded slice is a length limit. */
function boundedAt(value: PyNode): boolean {
  const v = unparen(value);

  return v.type === "subscript" && child(v, "subscript")?.type === "slice";
}

/** Whether a guard at the write validates the variable the origin flows through. */
function validated(
  ctx: AnalysisContext,
  o: FlowOrigin,
  guards: readonly Fact[],
  field: string | null,
): boolean {
  // A form field read after the form validated (its validators ran on every field).
  if (o.kind === "request" && o.form) {
    const formText = o.module.text(o.form);
    if (atomicFacts(guards).some((f) => f.holds && isFormValidation(f, formText))) {
      return true;
    }
  }
  const name = assignedName(o.node);
  void ctx;

  return name !== null && checksName(name, guards, field);
}

/** `form.validate_on_submit()` / `form.validate()` on the same form variable. */
function isFormValidation(f: Fact, formText: string): boolean {
  const n = unparen(f.cond);
  const fn = n.type === "call" ? child(n, "function") : undefined;
  const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
  const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;

  return (
    (method === "validate_on_submit" || method === "validate") &&
    !!obj &&
    f.module.text(obj) === formText
  );
}

/** `body["title"]` or `body.get("title")`: the variable and the field a stored value picks. */
function selectedField(value: PyNode): { name: string; field: string } | null {
  const v = unparen(value);
  if (v.type === "subscript") {
    const obj = child(v, "value");
    const key = child(v, "subscript");
    const field = key ? stringValue(key) : null;
    return obj?.type === "identifier" && field !== null ? { name: obj.text ?? "", field } : null;
  }
  if (v.type === "call") {
    const fn = child(v, "function");
    const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;
    const first = callArgs(v).positional[0];
    const field = first ? stringValue(first) : null;
    return fn?.type === "attribute" &&
      child(fn, "attribute")?.text === "get" &&
      obj?.type === "identifier" &&
      field !== null
      ? { name: obj.text ?? "", field }
      : null;
  }

  return null;
}

/** The local variable a request read is assigned to (`email = request.form["email"]`). */
function assignedName(node: PyNode): string | null {
  let p: PyNode | null = node.parent;
  while (p && p.type !== "assignment" && p.type !== "expression_statement" && p.type !== "block") {
    p = p.parent;
  }
  const left = p?.type === "assignment" ? child(p, "left") : undefined;

  return left?.type === "identifier" ? (left.text ?? null) : null;
}
