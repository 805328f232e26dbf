/**
 * Per-rule fixtures: `tests/fixtures/<RULE-ID>/` holds single `.py` files and folder apps whose
 * comments say what the rule must report. An annotation is a comment on its own line and applies
 * to the next line that is neither blank nor a comment:
 *
 *   # expect: CSRF001            a CSRF001 finding whose line..endLine range contains that line
 *   # ok: CSRF001, AUTH001       no finding of those rules there
 *   # todo-expect: CSRF001       known false negative: must be missing today
 *   # todo-ok: CSRF001           known false positive: must be reported today
 *
 * This module parses annotations and judges a scan against them; it also catches fixtures that
 * test nothing (no code, no annotation) and copies of another fixture.
 */

import { createHash } from "node:crypto";
import type { Finding, Report } from "../../src/report/types.js";
import type { Entry, TextFileEntry } from "./entries.js";
import { describeFinding } from "./expectations.js";
import { fail, type Outcome, PASS } from "./outcome.js";

export type AnnotationKind = "expect" | "ok" | "todo-expect" | "todo-ok";

export interface Annotation {
  kind: AnnotationKind;
  rule: string;
  file: string;
  /** Line of the comment itself. */
  line: number;
  /** The code line it applies to. */
  target: number;
  /** That line's text, for messages. */
  code: string;
}

export interface ParsedFixture {
  annotations: Annotation[];
  /** Authoring mistakes: malformed annotations, annotations with no code after them. */
  problems: string[];
  /** Lines that are neither blank nor comments, over all files. */
  codeLines: number;
}

const ANNOTATION = /^\s*#\s*(todo-expect|todo-ok|expect|ok)\s*:\s*(.*?)\s*$/;
/** An annotation keyword followed by a rule id but missing its colon: `# expect CSRF001`. */
const MALFORMED =
  /^\s*#\s*(todo-expect|todo-ok|expect|ok|ruleid|todoruleid|todook)\b\s*:?\s*[A-Z]+\d{3}/;
const RULE_ID = /^[A-Z]+\d{3}$/;

export function parseFixtureFiles(files: readonly TextFileEntry[]): ParsedFixture {
  const parsed: ParsedFixture = { annotations: [], problems: [], codeLines: 0 };
  for (const { file, text } of files) {
    const lines = text.split(/\r?\n/);
    const pending: Omit<Annotation, "target" | "code">[] = [];
    for (const [i, raw] of lines.entries()) {
      const lineNo = i + 1;
      const m = ANNOTATION.exec(raw);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        const rules = m[2].split(",").map((r) => r.trim());
        if (rules.length === 0 || rules.some((r) => !RULE_ID.test(r))) {
          parsed.problems.push(
            `${file}:${lineNo}: "${raw.trim()}" must list rule ids like CSRF001`,
          );
          continue;
        }
        for (const rule of rules) {
          pending.push({ kind: m[1] as AnnotationKind, rule, file, line: lineNo });
        }
        continue;
      }
      if (MALFORMED.test(raw)) {
        parsed.problems.push(
          `${file}:${lineNo}: "${raw.trim()}" looks like an annotation; write "# expect: RULE", ` +
            `"# ok: RULE", "# todo-expect: RULE" or "# todo-ok: RULE"`,
        );
        continue;
      }
      const code = raw.trim();
      if (code === "" || code.startsWith("#")) {
        continue;
      }
      parsed.codeLines++;
      for (const a of pending.splice(0)) {
        parsed.annotations.push({ ...a, target: lineNo, code });
      }
    }
    for (const a of pending) {
      parsed.problems.push(`${file}:${a.line}: "# ${a.kind}: ${a.rule}" has no code line after it`);
    }
  }

  return parsed;
}

/**
 * A digest of an entry's content that ignores trailing spaces and blank lines. A single file's
 * own name is left out, so a copy under another name is still a duplicate.
 */
export function contentDigest(entry: Entry, files: readonly TextFileEntry[]): string {
  const hash = createHash("sha256");
  for (const { file, text } of files) {
    const normal = text
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l !== "")
      .join("\n");
    hash.update(`${entry.isFile ? "" : file}\0${normal}\0`);
  }

  return hash.digest("hex");
}

/** The static checks: authoring problems, an entry that tests nothing, unknown rules. */
export function checkFixtureShape(parsed: ParsedFixture, catalog: readonly string[]): string[] {
  const problems = [...parsed.problems];
  if (parsed.codeLines === 0) {
    problems.push("the fixture has no code");
  }
  if (parsed.annotations.length === 0) {
    problems.push('the fixture has no annotation: add "# expect: RULE" or "# ok: RULE" lines');
  }
  for (const a of parsed.annotations) {
    if (!catalog.includes(a.rule)) {
      problems.push(`${a.file}:${a.line}: ${a.rule} is not a rule of the catalog`);
    }
  }

  return problems;
}

function covers(f: Finding, file: string, line: number): boolean {
  return f.file === file && f.line <= line && line <= Math.max(f.line, f.endLine);
}

/** Judges one annotation against a scan of its fixture. */
export function judgeAnnotation(
  a: Annotation,
  report: Report,
  built: ReadonlySet<string>,
): Outcome {
  if (!built.has(a.rule)) {
    return { kind: "pending", waitsFor: a.rule };
  }
  const hits = report.findings.filter((f) => f.rule === a.rule && covers(f, a.file, a.target));
  const where = `${a.file}:${a.target} \`${a.code}\``;
  const context = () => findingsOf(report, a.rule);
  switch (a.kind) {
    case "expect":
      return hits.length > 0
        ? PASS
        : fail(`expected ${a.rule} at ${where}, found none.\n${context()}`);
    case "ok":
      return hits.length === 0
        ? PASS
        : fail(`expected no ${a.rule} at ${where}, found:\n${list(hits)}`);
    case "todo-expect":
      return hits.length === 0
        ? { kind: "todo", reason: `known false negative: ${a.rule} missing at ${where}` }
        : fail(
            `todo-expect now found: change it to expect (${a.rule} at ${where}):\n${list(hits)}`,
          );
    case "todo-ok":
      return hits.length > 0
        ? { kind: "todo", reason: `known false positive: ${a.rule} reported at ${where}` }
        : fail(
            `todo-ok no longer reported: change it to ok (${a.rule} at ${where}).\n${context()}`,
          );
  }
}

/**
 * Findings of the fixture's rule, or of any built rule an annotation names, that no annotation
 * of the same rule points into.
 */
export function judgeUnexpected(
  fixtureRule: string,
  annotations: readonly Annotation[],
  report: Report,
  built: ReadonlySet<string>,
): Outcome {
  const watched = new Set(
    [fixtureRule, ...annotations.map((a) => a.rule)].filter((r) => built.has(r)),
  );
  const unexpected = report.findings.filter(
    (f) =>
      watched.has(f.rule) &&
      !annotations.some((a) => a.rule === f.rule && covers(f, a.file, a.target)),
  );
  if (unexpected.length === 0) {
    return PASS;
  }

  return fail(
    `unexpected finding${unexpected.length > 1 ? "s" : ""} (annotate with "# expect:" or ` +
      `"# todo-ok:", or fix the rule):\n${list(unexpected)}`,
  );
}

/** Entries with identical content; each group is reported once. */
export function duplicateGroups(digests: ReadonlyMap<Entry, string>): Entry[][] {
  const byDigest = new Map<string, Entry[]>();
  for (const [entry, digest] of digests) {
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), entry]);
  }

  return [...byDigest.values()].filter((group) => group.length > 1);
}

function list(findings: readonly Finding[]): string {
  return findings.map((f) => `  ${describeFinding(f)}`).join("\n");
}

function findingsOf(report: Report, rule: string): string {
  const of = report.findings.filter((f) => f.rule === rule);

  return of.length === 0
    ? `the fixture produced no ${rule} finding at all (${report.findings.length} findings of other rules)`
    : `${rule} findings in this fixture:\n${list(of)}`;
}
