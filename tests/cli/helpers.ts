/**
 * Test support for the command line: a temporary project (removed when its test ends), two tiny
 * fake rules with a scanner that
 * runs them (the real rules are written elsewhere and change), and a way to run the whole command
 * line in-process with captured stdout and stderr.
 *
 * The fake scanner parses the project's Python files with the real parser and project model, so
 * inline suppressions read real comments, and builds findings the way the pipeline does: a
 * line-independent id, rule metadata, the anchor's position.
 */

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { TestContext } from "node:test";
import type { AnalysisContext } from "../../src/analysis/context.js";
import type { CliDeps } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { ruleMatches } from "../../src/config/rule-patterns.js";
import { PythonParser } from "../../src/python/parser.js";
import { Project } from "../../src/python/project.js";
import type { Finding, Report } from "../../src/report/types.js";
import type { Rule, RuleFinding } from "../../src/rules/types.js";
import type { ScanOptions, ScanResult } from "../../src/scan.js";

/**
 * Writes `files` (relative path → text) under a fresh temporary folder and returns its path; the
 * folder is removed when the test `t` ends, passed or failed.
 */
export function tempProject(t: TestContext, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "flaskguard-cli-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  return root;
}

export const SAMPLE_APP = `from flask import Flask
app = Flask(__name__)
DEBUG = True


@app.route("/a", methods=["POST"])
def a():
    return "ok"


@app.route("/b", methods=["POST"])  # flaskguard: ignore[TEST001] signed webhook
def b():
    return "ok"
`;

/** Builds a fake rule that reports every line matching `pattern` unless the line above is `@protect`. */
function lineRule(
  id: string,
  name: string,
  severity: Rule["severity"],
  pattern: RegExp,
  fix: (line: number, text: string) => RuleFinding["fix"],
): Rule {
  return {
    id,
    name,
    family: "web",
    severity,
    confidence: "high",
    cwe: ["CWE-352"],
    owasp: [],
    status: "stable",
    fixAvailability: "always",
    summary: `${name} (test rule)`,
    docs: {
      whatItDoes: `Reports lines matching ${pattern}.`,
      why: "It is a test.",
      example: "bad = True\n",
      useInstead: "bad = False\n",
      fixSafety: "Test fixes are harmless.",
      references: ["https://example.test/rules"],
    },
    check(ctx) {
      const found: RuleFinding[] = [];
      for (const module of ctx.project.modules) {
        const lines = module.source.split("\n");
        lines.forEach((text, i) => {
          if (pattern.test(text) && lines[i - 1]?.trim() !== "@protect") {
            found.push({
              anchor: { file: module.path, line: i + 1, endLine: i + 1, column: 1, text },
              route: null,
              message: `${name} at line ${i + 1}`,
              evidence: [{ file: module.path, line: i + 1, note: "matched here" }],
              fix: fix(i + 1, text),
            });
          }
        });
      }

      return found;
    },
  };
}

export const FAKE_RULES: Rule[] = [
  lineRule("TEST001", "fake-post-route", "high", /methods=\["POST"\]/, (line) => ({
    description: "Protect the route.",
    applicability: "safe",
    edits: [
      {
        file: "app.py",
        start: { line, column: 1 },
        end: { line, column: 1 },
        text: "@protect\n",
      },
    ],
  })),
  lineRule("TEST002", "fake-debug-on", "low", /^DEBUG = True/, (line) => ({
    description: "Turn debug off.",
    applicability: "unsafe",
    edits: [
      {
        file: "app.py",
        start: { line, column: 9 },
        end: { line, column: 13 },
        text: "False",
      },
    ],
  })),
];

/** Runs the fake rules over the Python files under `options.root`, the way `scan()` runs rules. */
export async function fakeScan(options: ScanOptions): Promise<ScanResult> {
  const root = resolve(options.root);
  const parser = await PythonParser.create();
  const modules = pythonFiles(root).map((path) => {
    const source = readFileSync(join(root, path), "utf8");
    const parsed = parser.parse(source);

    return { path, source, lines: parsed.lineStarts.length, ...parsed };
  });
  const project = new Project(modules);
  const context = { project, textFiles: new Map(), files: [] } as unknown as AnalysisContext;

  const rules = FAKE_RULES.filter(
    (r) =>
      (!options.select?.length || options.select.some((p) => ruleMatches(p, r))) &&
      !options.ignore?.some((p) => ruleMatches(p, r)),
  );
  const findings: Finding[] = rules.flatMap((rule) =>
    rule.check(context).map((f) => ({
      id: createHash("sha256")
        .update(`${rule.id}\0${f.anchor.file}\0${f.anchor.text}`)
        .digest("hex")
        .slice(0, 16),
      rule: rule.id,
      name: rule.name,
      severity: rule.severity,
      confidence: rule.confidence,
      message: f.message,
      file: f.anchor.file,
      line: f.anchor.line,
      endLine: f.anchor.endLine,
      column: f.anchor.column,
      route: null,
      evidence: f.evidence,
      fix: f.fix ?? null,
      cwe: rule.cwe,
      owasp: rule.owasp,
    })),
  );
  const report: Report = {
    tool: { name: "flaskguard", version: "0.0.0-test" },
    stats: {
      files: modules.length,
      lines: modules.reduce((n, m) => n + m.lines, 0),
      parseErrors: 0,
      durationMs: 5,
    },
    errors: [],
    routes: [],
    findings: findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
  };

  return { report, context };
}

function pythonFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(".py"))
    .map((p) => relative(root, join(root, p)).split(sep).join("/"))
    .sort();
}

export const FAKE_DEPS: CliDeps = {
  scan: fakeScan,
  rules: FAKE_RULES,
  catalogIds: [...FAKE_RULES.map((r) => r.id), "TEST003"],
};

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flaskguard ...argv` in-process from `cwd`, with the fake rules unless `deps` is given. */
export async function run(
  argv: string[],
  cwd: string,
  options: { deps?: CliDeps; tty?: boolean; env?: Record<string, string> } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
      stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
      env: options.env ?? {},
      cwd,
    },
    options.deps ?? FAKE_DEPS,
  );

  return { code, stdout, stderr };
}
