/**
 * Pieces shared by the configuration rules (COOKIE001, COOKIE002, SECRET001, FLASK001): the
 * settings that decide a key in production for each app, Python truthiness of a literal, the
 * routes of an app that a browser cookie authenticates, and edits that replace or add code.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import { type ConfigValue, effectiveEntries, readConfigValue } from "../../flask/config.js";
import type { ConfigEntry, FlaskApp } from "../../flask/model.js";
import type { PyNode } from "../../python/ast.js";
import { lineOf } from "../../python/ast.js";
import type { Module } from "../../python/project.js";
import type { Edit, Evidence, Position } from "../../report/types.js";

export interface ProductionSetting {
  app: FlaskApp;
  entry: ConfigEntry;
  value: ConfigValue;
}

/**
 * For every app not built by test code, the entries that decide `key` in production. A config
 * class shared by two apps is one setting: it is reported once, for the first app.
 */
export function productionSettings(ctx: AnalysisContext, key: string): ProductionSetting[] {
  const out: ProductionSetting[] = [];
  const seen = new Set<PyNode>();
  for (const app of ctx.flask.apps) {
    if (app.module.isTest) {
      continue;
    }
    for (const entry of effectiveEntries(app, key)) {
      if (seen.has(entry.site)) {
        continue;
      }
      seen.add(entry.site);
      out.push({ app, entry, value: readConfigValue(ctx.ev, entry.value, entry.module) });
    }
  }

  return out;
}

/** Python's truthiness of a literal value (`"0"` and `"False"` are true, as Python has it). */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "") {
    return false;
  }

  return !(Array.isArray(value) && value.length === 0);
}

/**
 * What an environment-read setting is when the deployment does not set the variable:
 * `os.environ.get("X", "1") == "1"` is true, `os.environ.get("X")` is None.
 */
export function envDefault(value: Extract<ConfigValue, { kind: "env" }>): boolean {
  const fallback = value.fallback?.value ?? null;
  if (value.expected) {
    const equal = fallback === value.expected.equals;

    return value.expected.negated ? !equal : equal;
  }

  return pyTruthy(fallback);
}

/** Which app a production setting configures, as evidence. */
export function settingEvidence(setting: ProductionSetting): Evidence[] {
  const { app, entry } = setting;
  const note = entry.className
    ? `the app \`${app.name}\` created here loads ${entry.className} as its production configuration`
    : `the app \`${app.name}\` created here runs with this setting`;

  return [{ file: app.module.path, line: app.module.line(app.site), note }];
}

/** "1 route changes" / "3 routes change": a count with its noun and verb agreeing. */
export function counted(n: number, noun: string, verb: string, verbPlural: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"} ${n === 1 ? verb : verbPlural}`;
}

const COOKIE_AUTH = new Set(["session-cookie", "flask-login"]);

/** Routes of `app` that accept the Flask session cookie (directly or through Flask-Login). */
export function cookieAuthRoutes(ctx: AnalysisContext, app: FlaskApp): RouteAnalysis[] {
  return [...ctx.routes.values()].filter(
    (a) => a.route.app === app && a.credentials.some((c) => COOKIE_AUTH.has(c.kind)),
  );
}

/** Whether the route changes state under some method it answers. */
export function routeWrites(a: RouteAnalysis): boolean {
  return [...a.methods.values()].some(
    (m) => m.ops.some((s) => s.op.write) || m.otherWrites.length > 0,
  );
}

export function positionAt(module: Module, index: number): Position {
  const line = lineOf(module.lineStarts, index);

  return { line, column: index - (module.lineStarts[line - 1] ?? 0) + 1 };
}

/** An edit replacing `node` with `text`. */
export function replaceNode(module: Module, node: PyNode, text: string): Edit {
  return {
    file: module.path,
    start: positionAt(module, node.start),
    end: positionAt(module, node.end),
    text,
  };
}

/**
 * An edit adding keyword arguments at the end of a call's argument list, with the comma the
 * existing arguments need (none after `(` or a trailing comma).
 */
export function appendArguments(module: Module, args: PyNode, keywords: string[]): Edit {
  const close = args.end - 1;
  const before = module.source.slice(args.start, close).trimEnd();
  const needsComma = !(before.endsWith("(") || before.endsWith(","));
  const at = positionAt(module, close);

  return {
    file: module.path,
    start: at,
    end: at,
    text: `${needsComma ? ", " : ""}${keywords.join(", ")}`,
  };
}
