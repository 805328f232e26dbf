/**
 * Expectations about findings, as written in a case's `expected.json`: parsing and validating the
 * verdict file, deciding whether one finding matches one expectation, whether an expectation waits
 * for a rule that is not built yet, and readable descriptions for test names and failure messages.
 * Shared by the regression cases and the bundled examples so both read the format the same way.
 */

import type { Finding, Report, Severity } from "../../src/report/types.js";
import { SEVERITIES, severityRank } from "../../src/report/types.js";
import type { KnownGap } from "./known-gaps.js";
import { fail, type Outcome, PASS } from "./outcome.js";

export interface Expectation {
  /** A rule id, or a family wildcard such as `CSRF*`. */
  rule: string;
  /** `METHOD /full/url/rule`, as Flask registers it. */
  route?: string;
  file?: string;
  line?: number;
  minSeverity?: Severity;
  maxSeverity?: Severity;
}

export interface Verdict {
  findings: Expectation[];
  absent: Expectation[];
}

export type ExpectationList = keyof Verdict;

/** A case's verdicts keyed by variant folder; `null` when the case root itself is scanned. */
export type Verdicts = Map<string | null, Verdict>;

/** A finding's anchor may sit this many lines outside its range and still match a `line`. */
const LINE_SLACK = 2;

const EXPECTATION_KEYS = new Set(["rule", "route", "file", "line", "minSeverity", "maxSeverity"]);

/** Reads an `expected.json` document, throwing with the offending path on any malformed entry. */
export function parseVerdicts(json: unknown, source: string): Verdicts {
  const doc = asObject(json, source);
  const verdicts: Verdicts = new Map();
  if ("variants" in doc) {
    const extra = Object.keys(doc).filter((k) => k !== "variants");
    if (extra.length > 0) {
      throw new Error(`${source}: "variants" cannot be combined with ${extra.join(", ")}`);
    }
    const variants = asObject(doc.variants, `${source}: variants`);
    for (const [name, verdict] of Object.entries(variants)) {
      verdicts.set(name, parseVerdict(verdict, `${source}: variants.${name}`));
    }
    if (verdicts.size === 0) {
      throw new Error(`${source}: "variants" is empty`);
    }

    return verdicts;
  }
  verdicts.set(null, parseVerdict(doc, source));

  return verdicts;
}

function parseVerdict(json: unknown, where: string): Verdict {
  const obj = asObject(json, where);
  const unknown = Object.keys(obj).filter((k) => k !== "findings" && k !== "absent");
  if (unknown.length > 0) {
    throw new Error(`${where}: unknown keys ${unknown.join(", ")}`);
  }
  const list = (key: ExpectationList): Expectation[] => {
    const value = obj[key] ?? [];
    if (!Array.isArray(value)) {
      throw new Error(`${where}.${key}: expected an array`);
    }

    return value.map((e, i) => parseExpectation(e, `${where}.${key}[${i}]`));
  };

  return { findings: list("findings"), absent: list("absent") };
}

export function parseExpectation(json: unknown, where: string): Expectation {
  const obj = asObject(json, where);
  const unknown = Object.keys(obj).filter((k) => !EXPECTATION_KEYS.has(k));
  if (unknown.length > 0) {
    throw new Error(`${where}: unknown keys ${unknown.join(", ")}`);
  }
  if (typeof obj.rule !== "string" || obj.rule.length === 0) {
    throw new Error(`${where}: "rule" must be a non-empty string`);
  }
  if (obj.route !== undefined) {
    if (typeof obj.route !== "string" || parseRouteSpec(obj.route) === null) {
      throw new Error(
        `${where}: "route" must read "METHOD /path", got ${JSON.stringify(obj.route)}`,
      );
    }
  }
  if (obj.file !== undefined && typeof obj.file !== "string") {
    throw new Error(`${where}: "file" must be a string`);
  }
  if (obj.line !== undefined && !(Number.isInteger(obj.line) && (obj.line as number) > 0)) {
    throw new Error(`${where}: "line" must be a positive integer`);
  }
  if (obj.line !== undefined && obj.file === undefined) {
    throw new Error(`${where}: "line" needs "file"`);
  }
  for (const key of ["minSeverity", "maxSeverity"] as const) {
    if (obj[key] !== undefined && !SEVERITIES.includes(obj[key] as Severity)) {
      throw new Error(`${where}: "${key}" must be one of ${SEVERITIES.join(", ")}`);
    }
  }

  return obj as unknown as Expectation;
}

function asObject(json: unknown, where: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error(`${where}: expected an object`);
  }

  return json as Record<string, unknown>;
}

/** Splits `"POST /items/<int:id>"`; null when it does not have that shape. */
export function parseRouteSpec(spec: string): { method: string; path: string } | null {
  const m = /^([A-Za-z]+) +(\/\S*)$/.exec(spec.trim());

  return m?.[1] && m[2] ? { method: m[1].toUpperCase(), path: m[2] } : null;
}

/** Whether a rule id satisfies a pattern: the id itself, or `FAMILY*` for `FAMILY` + digits. */
export function ruleMatches(pattern: string, ruleId: string): boolean {
  if (!pattern.endsWith("*")) {
    return pattern === ruleId;
  }
  const prefix = pattern.slice(0, -1);

  return ruleId.startsWith(prefix) && /^\d+$/.test(ruleId.slice(prefix.length));
}

export function findingMatches(exp: Expectation, f: Finding): boolean {
  if (!ruleMatches(exp.rule, f.rule)) {
    return false;
  }
  if (exp.route !== undefined) {
    const want = parseRouteSpec(exp.route);
    if (!want || !f.route || f.route.path !== want.path) {
      return false;
    }
    if (!f.route.methods.some((m) => m.toUpperCase() === want.method)) {
      return false;
    }
  }
  if (exp.file !== undefined && f.file !== exp.file) {
    return false;
  }
  if (exp.line !== undefined) {
    const end = Math.max(f.line, f.endLine);
    if (exp.line < f.line - LINE_SLACK || exp.line > end + LINE_SLACK) {
      return false;
    }
  }
  if (exp.minSeverity && severityRank(f.severity) < severityRank(exp.minSeverity)) {
    return false;
  }
  if (exp.maxSeverity && severityRank(f.severity) > severityRank(exp.maxSeverity)) {
    return false;
  }

  return true;
}

/** The rules an expectation can be decided with: the catalog ids its pattern names. */
export function catalogRulesFor(pattern: string, catalog: readonly string[]): string[] {
  return catalog.filter((id) => ruleMatches(pattern, id));
}

/**
 * Why an expectation cannot be checked yet: the rules it waits for, or null when at least one
 * rule it names is built. A pattern naming no catalog rule is an error in the expectation.
 */
export function pendingOn(
  exp: Expectation,
  built: ReadonlySet<string>,
  catalog: readonly string[],
): string | null {
  const named = catalogRulesFor(exp.rule, catalog);
  if (named.length === 0) {
    throw new Error(`rule ${exp.rule} names no rule of the catalog (src/rules/index.ts)`);
  }
  if (named.some((id) => built.has(id))) {
    return null;
  }

  return exp.rule.endsWith("*") ? `${exp.rule} (${named.join(", ")})` : exp.rule;
}

/** Which rules exist: the catalog, and the ids of the rules built so far. */
export interface RuleSet {
  built: ReadonlySet<string>;
  catalog: readonly string[];
}

export interface CheckResult {
  ok: boolean;
  /** Why it failed, with the findings a developer needs to see; empty when it passed. */
  message: string;
}

/**
 * Checks one expectation against a scan. `findings` entries need one matching finding; `absent`
 * entries need none. `built` names the rules that ran, so a wildcard can say which of its
 * family could not have contributed.
 */
export function checkExpectation(
  list: ExpectationList,
  exp: Expectation,
  report: Report,
  context: RuleSet,
): CheckResult {
  const matching = report.findings.filter((f) => findingMatches(exp, f));
  const ok = list === "findings" ? matching.length > 0 : matching.length === 0;
  if (ok) {
    return { ok, message: "" };
  }

  const lines: string[] = [];
  if (list === "findings") {
    lines.push(`expected a finding matching ${describeExpectation(exp)}, found none.`);
  } else {
    lines.push(
      `expected no finding matching ${describeExpectation(exp)}, found ${matching.length}:`,
    );
    lines.push(...matching.map((f) => `  ${describeFinding(f)}`));
  }
  const unbuilt = catalogRulesFor(exp.rule, context.catalog).filter((id) => !context.built.has(id));
  if (exp.rule.endsWith("*") && unbuilt.length > 0) {
    lines.push(`(rules of ${exp.rule} not built yet: ${unbuilt.join(", ")})`);
  }
  lines.push(...describeReport(report, exp));

  return { ok, message: lines.join("\n") };
}

/** Context for a failure: the findings of the expectation's rules, the rest, and the routes. */
export function describeReport(report: Report, exp?: Expectation): string[] {
  const lines: string[] = [];
  const related = exp ? report.findings.filter((f) => ruleMatches(exp.rule, f.rule)) : [];
  const others = report.findings.filter((f) => !related.includes(f));
  if (exp) {
    lines.push(`findings of ${exp.rule} (${related.length}):`);
    lines.push(...related.map((f) => `  ${describeFinding(f)}`));
  }
  lines.push(`${exp ? "other findings" : "findings"} (${others.length}):`);
  lines.push(...others.map((f) => `  ${describeFinding(f)}`));
  if (!exp || exp.route !== undefined) {
    lines.push(`routes in the model (${report.routes.length}):`);
    lines.push(
      ...report.routes.map(
        (r) => `  ${r.methods.join(",")} ${r.path}  (${r.handler.file}:${r.handler.line})`,
      ),
    );
  }
  if (report.errors.length > 0) {
    lines.push(`scan errors (${report.errors.length}):`);
    lines.push(...report.errors.map((e) => `  ${e.file}: ${e.message}`));
  }

  return lines;
}

export function describeFinding(f: Finding): string {
  const route = f.route ? `${f.route.methods.join(",")} ${f.route.path}` : "(no route)";
  const range = f.endLine > f.line ? `${f.line}-${f.endLine}` : `${f.line}`;

  return `${f.rule} ${f.severity}/${f.confidence} ${route} at ${f.file}:${range}`;
}

/** `CSRF003 billing/config.py:16`, `CSRF* POST /x >=high`: what a test name shows. */
export function describeExpectation(exp: Expectation): string {
  const parts = [exp.rule];
  if (exp.route !== undefined) {
    parts.push(exp.route);
  }
  if (exp.file !== undefined) {
    parts.push(exp.line !== undefined ? `${exp.file}:${exp.line}` : exp.file);
  }
  if (exp.minSeverity) {
    parts.push(`>=${exp.minSeverity}`);
  }
  if (exp.maxSeverity) {
    parts.push(`<=${exp.maxSeverity}`);
  }

  return parts.join(" ");
}

/** Structural equality of two expectations, key order ignored. */
export function sameExpectation(a: Expectation, b: Expectation): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Expectation>;

  return [...keys].every((k) => a[k] === b[k]);
}

/**
 * Decides one expectation against a scan (or the error the scan threw): pending while none of
 * its rules is built, todo while it is a listed known gap that still fails, else pass or fail.
 */
export function judge(
  list: ExpectationList,
  exp: Expectation,
  scanned: Report | Error,
  gap: KnownGap | undefined,
  rules: RuleSet,
): Outcome {
  const waitsFor = pendingOn(exp, rules.built, rules.catalog);
  if (waitsFor !== null) {
    return { kind: "pending", waitsFor };
  }
  if (scanned instanceof Error) {
    return fail(`the scan threw: ${scanned.stack ?? scanned.message}`);
  }
  const result = checkExpectation(list, exp, scanned, rules);
  if (!gap) {
    return result.ok ? PASS : fail(result.message);
  }
  if (result.ok) {
    return fail(
      "known gap now passes: remove it from tests/known-gaps.json " +
        `(case ${gap.case}${gap.variant ? `, variant ${gap.variant}` : ""}, ${list} ` +
        `${JSON.stringify(exp)})`,
    );
  }

  return { kind: "todo", reason: `known gap: ${gap.reason}`, detail: result.message };
}
