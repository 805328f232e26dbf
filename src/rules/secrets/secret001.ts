/**
 * SECRET001 hardcoded-secret-key: a signing key of the app written into the code: `SECRET_KEY`,
 * `app.secret_key`, `WTF_CSRF_SECRET_KEY`, `JWT_SECRET_KEY`, `SECRET_KEY_FALLBACKS`,
 * `SECURITY_PASSWORD_SALT`, as a literal or as the literal fallback of an environment lookup
 * (`os.environ.get("SECRET_KEY", "change-me")`). Keys read from the environment with no fallback,
 * fetched from a secrets store or generated at start-up are not reported, and neither are keys
 * in test code or in test and development configuration classes.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { envLookup, envOfName } from "../../flask/config.js";
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
import type { Severity } from "../../report/types.js";
import { productionSettings, replaceNode, settingEvidence } from "../cookie/settings.js";
import type { Rule, RuleFinding } from "../types.js";

/** The settings that sign or derive something an attacker could forge, and what each signs. */
const SECRET_SETTINGS: Record<string, { signs: string; severity: Severity }> = {
  SECRET_KEY: { signs: "sessions and CSRF tokens", severity: "high" },
  SECRET_KEY_FALLBACKS: { signs: "sessions (old keys are still accepted)", severity: "high" },
  WTF_CSRF_SECRET_KEY: { signs: "CSRF tokens", severity: "high" },
  JWT_SECRET_KEY: { signs: "JWTs", severity: "high" },
  SECURITY_PASSWORD_SALT: {
    signs: "Flask-Security's password and confirmation tokens (with the secret key)",
    severity: "medium",
  },
};

/** App attributes that stand for a setting (`app.secret_key = ...`). */
const ATTRIBUTE_KEYS: Record<string, string> = { secret_key: "SECRET_KEY" };

export const secret001: Rule = {
  id: "SECRET001",
  name: "hardcoded-secret-key",
  family: "secrets",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-798"],
  owasp: ["A07:2021", "A02:2021"],
  status: "stable",
  fixAvailability: "sometimes",
  summary: "The app's secret key (or a JWT/CSRF signing key) is a literal in the code",
  docs: {
    whatItDoes:
      'Finds `SECRET_KEY`, `app.secret_key`, `SECRET_KEY_FALLBACKS`, `WTF_CSRF_SECRET_KEY`, `JWT_SECRET_KEY` and `SECURITY_PASSWORD_SALT` set to a literal string in the configuration the app runs with in production, including the literal fallback of `os.environ.get("SECRET_KEY", "change-me")` or `os.getenv(...)` and `os.environ.get(...) or "dev"`. Placeholders such as "change-me" are reported too: they are as public as any other literal. Settings in test code and in test or development configuration classes are not reported.',
    why: "Flask signs the session cookie with the secret key, and Flask-WTF derives CSRF tokens from it. Anyone who reads the key (in the repository, an image, a leaked backup) can write a session cookie for any user id and the matching CSRF token; a JWT key lets them mint bearer tokens. A literal fallback is as bad as a literal: the deployment that forgets the variable runs with the published value and nothing fails.",
    example: `import os

from flask import Flask

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "change-me")
`,
    useInstead: `import os

from flask import Flask

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
`,
    fixSafety:
      'For a literal fallback the fix reads the variable with `os.environ["NAME"]`, so the app refuses to start without it; it is unsafe because a deployment that relied on the fallback stops starting. A plain literal has no automatic edit: the key must move to the environment or a secrets store, and rotating it signs every user out.',
    knownProblems:
      'Keys built from literal pieces are recognised when they use only literals (`"-".join([...])`, `+`, `*`, f-strings of constants); pieces behind function calls are not. A key that is overridden later by configuration flaskguard cannot read (`from_pyfile`, `from_envvar`) is still reported.',
    references: [
      "https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY",
      "https://cwe.mitre.org/data/definitions/798.html",
    ],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const modelled = new Set<PyNode>();
    for (const app of ctx.flask.apps) {
      for (const e of app.config) {
        modelled.add(e.site);
      }
    }
    for (const [key, meta] of Object.entries(SECRET_SETTINGS)) {
      for (const s of productionSettings(ctx, key)) {
        const literal = s.entry.value ? literalSecret(ctx, s.entry.value, s.entry.module, 0) : null;
        if (literal) {
          out.push(
            finding(key, meta, s.entry.module, s.entry.site, literal, "high", settingEvidence(s)),
          );
        }
      }
    }
    out.push(...unmodelledFindings(ctx, modelled));

    return out;
  },
};

/** How the literal reaches the setting. */
interface LiteralSecret {
  node: PyNode;
  module: Module;
  /** Set when the literal is the fallback of an environment lookup. */
  variable: string | null;
  /** For the fix: the expression to replace and the lookup call whose `environ` it names. */
  lookup: { replace: PyNode; call: PyNode } | null;
}

/**
 * The literal a setting's value may be, following names to their assignment, the fallback of
 * environment lookups and the right side of `or`. Empty strings and None are not keys (Flask
 * refuses to sign a session with them), so they are not literals here.
 */
function literalSecret(
  ctx: AnalysisContext,
  node: PyNode,
  module: Module,
  depth: number,
): LiteralSecret | null {
  if (depth > 4) {
    return null;
  }
  const n = unparen(node);
  const s = stringValue(n);
  if (s !== null) {
    return s.trim() === "" ? null : { node: n, module, variable: null, lookup: null };
  }
  switch (n.type) {
    case "call": {
      const lookup = envLookup(n);
      if (lookup) {
        const inner = lookup.fallback
          ? literalSecret(ctx, lookup.fallback.node, module, depth + 1)
          : null;

        return inner
          ? { ...inner, variable: lookup.variable, lookup: { replace: n, call: n } }
          : null;
      }
      // `"dev-key".encode()`
      const fn = child(n, "function");
      const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;
      if (obj && child(fn!, "attribute")?.text === "encode") {
        return literalSecret(ctx, obj, module, depth + 1);
      }
      // `"-".join(["not", "really", "secret"])`: built at run time from nothing but literals.
      if (obj && child(fn!, "attribute")?.text === "join" && stringValue(obj) !== null) {
        const parts = callArgs(n).positional[0];
        return parts && allLiteral(parts)
          ? { node: n, module, variable: null, lookup: null }
          : null;
      }

      return null;
    }
    case "binary_operator":
    case "concatenated_string":
    case "string":
      // `"dev-" + "key"`, `"x" * 32`, an f-string of constants.
      return allLiteral(n) ? { node: n, module, variable: null, lookup: null } : null;
    case "boolean_operator": {
      // `os.environ.get("SECRET_KEY") or "dev"`: the right side is what runs when the variable is unset.
      const right = child(n, "right");
      const left = child(n, "left");
      if (!right || !left || !n.children.some((c) => c.type === "or")) {
        return null;
      }
      const inner = literalSecret(ctx, right, module, depth + 1);
      const call = unparen(left);
      const lookup = envLookup(call);
      if (!inner) {
        return null;
      }

      return lookup
        ? { ...inner, variable: lookup.variable, lookup: { replace: n, call } }
        : { ...inner, lookup: null };
    }
    case "list":
    case "tuple":
      for (const item of n.children) {
        const inner = literalSecret(ctx, item, module, depth + 1);
        if (inner) {
          return inner;
        }
      }
      return null;
    case "identifier":
      return literalOfName(ctx, n, module, depth);
    default:
      return null;
  }
}

/** Whether an expression is made of string and number literals only (no names, no calls). */
function allLiteral(node: PyNode): boolean {
  const n = unparen(node);
  switch (n.type) {
    case "string": {
      const interpolations = n.children.filter((c) => c.type === "interpolation");
      return interpolations.every((i) => {
        const e = child(i, "expression") ?? i.children[0];
        return !!e && allLiteral(e);
      });
    }
    case "concatenated_string":
    case "list":
    case "tuple":
      return n.children.length > 0 && n.children.every(allLiteral);
    case "binary_operator":
      return n.children.filter((c) => c.field !== "operator").every(allLiteral);
    case "integer":
      return true;
    default:
      return false;
  }
}

/** `SECRET = "..."; app.secret_key = SECRET`, locally or at module level (imports followed). */
function literalOfName(
  ctx: AnalysisContext,
  n: PyNode,
  module: Module,
  depth: number,
): LiteralSecret | null {
  const name = n.text ?? "";
  const fn = enclosingFunction(n);
  if (fn) {
    const local = ctx.ev.bindingsOf(fn, module).get(name);
    if (local && local.length > 0) {
      for (const b of local) {
        const inner =
          b.kind === "assign" && b.value ? literalSecret(ctx, b.value, module, depth + 1) : null;
        if (inner) {
          return inner;
        }
      }
      return null;
    }
  }
  for (const r of ctx.project.resolveGlobal(module, name)) {
    const inner =
      r.kind === "value" && !r.module.isTest
        ? literalSecret(ctx, r.node, r.module, depth + 1)
        : null;
    if (inner) {
      return inner;
    }
  }

  return null;
}

function finding(
  key: string,
  meta: { signs: string; severity: Severity },
  module: Module,
  site: PyNode,
  literal: LiteralSecret,
  confidence: "high" | "medium",
  evidence: RuleFinding["evidence"],
): RuleFinding {
  const where =
    literal.variable !== null
      ? `falls back to a literal string when the environment variable ${literal.variable} is unset`
      : key.endsWith("_FALLBACKS")
        ? "lists literal keys in the code"
        : "is a literal string in the code";
  const literalAt =
    literal.node.start < site.start || literal.node.end > site.end || literal.module !== module
      ? [
          {
            file: literal.module.path,
            line: literal.module.line(literal.node),
            note: "the literal value",
          },
        ]
      : [];

  return {
    anchor: anchorAt(module, site),
    route: null,
    message: `${key} ${where}: anyone who can read it can forge ${meta.signs}. Read it from the environment or a secrets store with no literal default.`,
    severity: meta.severity,
    confidence,
    evidence: [...evidence, ...literalAt],
    fix: fixFor(literal),
  };
}

/** `os.environ.get("K", "lit")` / `os.getenv("K", "lit")` → `os.environ["K"]`. */
function fixFor(literal: LiteralSecret): RuleFinding["fix"] {
  const lookup = literal.lookup;
  const fn = lookup ? child(lookup.call, "function") : undefined;
  const text = fn ? literal.module.text(fn) : "";
  const environ =
    /^(.*\benviron)\.get$/.exec(text)?.[1] ??
    (/^(\w+)\.getenv$/.exec(text) ? `${text.replace(/\.getenv$/, "")}.environ` : null);
  if (!lookup || literal.variable === null || environ === null) {
    return {
      description:
        "Move the key out of the code: read it from the environment or a secrets store, with no literal default.",
      applicability: "manual",
      edits: [],
    };
  }

  return {
    description: `Read ${literal.variable} with no fallback, so the app refuses to start without it.`,
    applicability: "unsafe",
    edits: [
      replaceNode(
        literal.module,
        lookup.replace,
        `${environ}[${JSON.stringify(literal.variable)}]`,
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Settings the Flask model did not attach to an app.

/**
 * Secret settings written where the Flask model saw no app use them: `x.secret_key = ...` and
 * `x.config["SECRET_KEY"] = ...` on an object it could not resolve, attributes of production
 * configuration classes that no `from_object` it understood loads, and module constants of a
 * config or settings module. Reported at medium confidence.
 */
function unmodelledFindings(ctx: AnalysisContext, modelled: Set<PyNode>): RuleFinding[] {
  const out: RuleFinding[] = [];
  const report = (key: string, site: PyNode, value: PyNode | undefined, module: Module) => {
    const meta = SECRET_SETTINGS[key];
    if (!meta || !value || modelled.has(site)) {
      return;
    }
    modelled.add(site);
    const literal = literalSecret(ctx, value, module, 0);
    const note =
      "no app was seen loading this setting; it is reported because it sits in production code or a production configuration";
    if (literal) {
      out.push(
        finding(key, meta, module, site, literal, "medium", [
          { file: module.path, line: module.line(site), note },
        ]),
      );
    }
  };
  for (const module of ctx.project.modules) {
    if (module.isTest) {
      continue;
    }
    const configModule =
      /(^|\.)(config|settings|conf)[^.]*$/i.test(module.name) &&
      envOfName(module.name.split(".").pop() ?? "", module) === "production";
    for (const stmt of statements(module.root)) {
      const assign = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
      const left = assign?.type === "assignment" ? child(assign, "left") : undefined;
      if (configModule && assign && left?.type === "identifier") {
        report(left.text ?? "", assign, child(assign, "right"), module);
      }
    }
    walk(module.root, (n) => {
      if (n.type === "class_definition") {
        classSettings(n, module, report);
      } else if (n.type === "assignment") {
        const left = child(n, "left");
        const key = left ? assignedKey(left) : null;
        if (key) {
          report(key, n, child(n, "right"), module);
        }
      } else if (n.type === "call") {
        updateSettings(n, module, report);
      }
      return true;
    });
  }

  return out;
}

/** Upper-case attributes of a class named like a production configuration. */
function classSettings(
  cls: PyNode,
  module: Module,
  report: (key: string, site: PyNode, value: PyNode | undefined, module: Module) => void,
): void {
  const name = child(cls, "name")?.text ?? "";
  if (!/config|settings/i.test(name) || envOfName(name, module) !== "production") {
    return;
  }
  for (const stmt of statements(child(cls, "body"))) {
    const assign = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
    const left = assign?.type === "assignment" ? child(assign, "left") : undefined;
    if (assign && left?.type === "identifier") {
      report(left.text ?? "", assign, child(assign, "right"), module);
    }
  }
}

/** `x.secret_key` → SECRET_KEY; `x.config["JWT_SECRET_KEY"]` → JWT_SECRET_KEY. */
function assignedKey(left: PyNode): string | null {
  if (left.type === "attribute") {
    return ATTRIBUTE_KEYS[child(left, "attribute")?.text ?? ""] ?? null;
  }
  if (left.type === "subscript") {
    const value = child(left, "value");
    const key = child(left, "subscript");
    if (value?.type === "attribute" && child(value, "attribute")?.text === "config" && key) {
      return stringValue(key);
    }
  }

  return null;
}

/** `x.config.update(SECRET_KEY="...")` and `from_mapping(...)` keywords. */
function updateSettings(
  call: PyNode,
  module: Module,
  report: (key: string, site: PyNode, value: PyNode | undefined, module: Module) => void,
): void {
  const fn = child(call, "function");
  const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;
  const method = fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined;
  if (
    obj?.type !== "attribute" ||
    child(obj, "attribute")?.text !== "config" ||
    (method !== "update" && method !== "from_mapping")
  ) {
    return;
  }
  for (const [key, value] of callArgs(call).keywords) {
    report(key, value.parent ?? call, value, module);
  }
}
