/**
 * The scan pipeline: discover → parse → project model → Flask model → rules → report.
 * Each stage hands plain data forward; nothing here executes the scanned code.
 */

import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { buildContext } from "./analysis/build.js";
import type { AnalysisContext, TextFile } from "./analysis/context.js";
import { ruleMatches } from "./config/rule-patterns.js";
import { discover } from "./discover/index.js";
import type { Route } from "./flask/model.js";
import { parseFiles } from "./parse/index.js";
import { readTextFile } from "./parse/source.js";
import type { ParsedModule } from "./parse/types.js";
import { linkParents } from "./python/ast.js";
import { PythonParser } from "./python/parser.js";
import { Project } from "./python/project.js";
import type { Finding, Report, RouteJson } from "./report/types.js";
import { ALL_RULES } from "./rules/index.js";
import type { Rule } from "./rules/types.js";
import { VERSION } from "./version.js";

/** Settings and lock files larger than this are not read (none that matters is this large). */
const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024;

export interface ScanOptions {
  /** The folder every reported path is relative to. */
  root: string;
  /** Rule ids (or family prefixes such as `CSRF`) to run; all when empty. */
  select?: string[];
  ignore?: string[];
  jobs?: number;
}

export interface ScanResult {
  report: Report;
  context: AnalysisContext;
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const root = resolve(options.root);
  const { files, errors: unreadable } = discover(root);
  const parsed = await parseFiles(files, { jobs: options.jobs });
  const textFiles = new Map<string, TextFile>();
  for (const f of files) {
    if (f.kind === "config" && f.size > MAX_TEXT_FILE_BYTES) {
      unreadable.push({
        file: f.path,
        message: `settings file over ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MB; not read`,
      });
    } else if (f.kind === "config") {
      const read = readTextFile(f.absPath, MAX_TEXT_FILE_BYTES);
      if (read.ok) {
        textFiles.set(f.path, { path: f.path, text: read.text });
      } else {
        unreadable.push({ file: f.path, message: read.message });
      }
    }
  }
  const settings = await pythonSettingsFiles(textFiles);
  const project = new Project([...parsed.modules, ...settings], { rootName: basename(root) });
  const context = buildContext(project, textFiles, files);
  const flask = context.flask;

  const rules = selectRules(ALL_RULES, options.select ?? [], options.ignore ?? []);
  const findings: Finding[] = [];
  const ruleErrors: { file: string; message: string }[] = [];
  for (const rule of rules) {
    // A rule that fails (an analysis bug, an input shape nobody foresaw) loses its own findings,
    // said in `errors`, and never the rest of the report.
    try {
      for (const f of rule.check(context)) {
        findings.push(toFinding(rule, f, context));
      }
    } catch (error) {
      ruleErrors.push({
        file: ".",
        message: `rule ${rule.id} failed and reported nothing: ${(error as Error).message}`,
      });
    }
  }
  findings.sort(compareFindings);

  const lines =
    parsed.modules.reduce((n, m) => n + m.lines, 0) +
    parsed.skipped.reduce((n, m) => n + m.lines, 0);
  const parseErrors = [...parsed.modules, ...parsed.skipped].filter(
    (m) => m.syntaxErrors.length > 0,
  );
  const report: Report = {
    tool: { name: "flaskguard", version: VERSION },
    stats: {
      // Python files, and the settings files read as text (findings can point into them).
      files: parsed.modules.length + parsed.skipped.length + textFiles.size,
      lines,
      parseErrors: parseErrors.length,
      durationMs: Date.now() - started,
    },
    errors: [
      ...unreadable,
      ...parsed.errors,
      ...context.errors,
      ...ruleErrors,
      ...parseErrors.map((m) => ({
        file: m.path,
        message: `syntax error: ${m.syntaxErrors[0]?.message ?? "unparsable"}; the rest of the file was still analysed`,
      })),
    ],
    routes: flask.routes.map((r) => routeJson(r, context)),
    findings,
  };

  return { report, context };
}

/**
 * Flask's `from_pyfile("settings.cfg")` executes the file as Python, so `.cfg` files written in
 * Python syntax (assignments only, parsed without errors) join the project model as modules and
 * their settings are read like any configuration module.
 */
async function pythonSettingsFiles(textFiles: Map<string, TextFile>): Promise<ParsedModule[]> {
  const candidates = [...textFiles.values()].filter((f) => /\.(cfg|conf)$/.test(f.path));
  if (candidates.length === 0) {
    return [];
  }
  const parser = await PythonParser.create();
  const out: ParsedModule[] = [];
  for (const f of candidates) {
    const tree = parser.parse(f.text);
    const onlyAssignments = tree.root.children.every(
      (c) => c.type === "expression_statement" && c.children.every((e) => e.type === "assignment"),
    );
    if (tree.syntaxErrors.length > 0 || !onlyAssignments || tree.root.children.length === 0) {
      continue;
    }
    linkParents(tree.root);
    out.push({
      path: f.path,
      source: f.text,
      lineStarts: tree.lineStarts,
      lines: tree.lineStarts.length,
      root: tree.root,
      comments: tree.comments,
      syntaxErrors: [],
    });
  }

  return out;
}

export function selectRules(all: readonly Rule[], select: string[], ignore: string[]): Rule[] {
  const matches = (rule: Rule, pattern: string) => ruleMatches(pattern, rule);

  return all.filter(
    (r) =>
      (select.length === 0 || select.some((s) => matches(r, s))) &&
      !ignore.some((s) => matches(r, s)),
  );
}

export function routeJson(route: Route, context: AnalysisContext): RouteJson {
  const facts = context.flask.facts.get(route);

  return {
    app: route.app.name,
    blueprint: route.blueprint?.name ?? null,
    path: route.path,
    methods: route.methods,
    handler: {
      file: route.handler.module.path,
      line: route.handler.module.line(route.handler.def),
      name: route.handler.name,
    },
    auth: facts?.auth ?? ["none"],
    csrf: facts?.csrf ?? ["none"],
    dynamo: facts?.dynamo ?? [],
  };
}

function toFinding(
  rule: Rule,
  f: ReturnType<Rule["check"]>[number],
  context: AnalysisContext,
): Finding {
  const routeKey = f.route ? `${f.route.methods.join(",")} ${f.route.path}` : "";
  const id = createHash("sha256")
    .update([rule.id, f.anchor.file, f.fingerprint ?? f.anchor.text, routeKey].join("\0"))
    .digest("hex")
    .slice(0, 16);

  return {
    id,
    rule: rule.id,
    name: rule.name,
    severity: f.severity ?? rule.severity,
    confidence: f.confidence ?? rule.confidence,
    message: f.message,
    file: f.anchor.file,
    line: f.anchor.line,
    endLine: f.anchor.endLine,
    column: f.anchor.column,
    route: f.route ? narrowed(routeJson(f.route, context), f.methods) : null,
    evidence: f.evidence,
    fix: f.fix ?? null,
    cwe: rule.cwe,
    owasp: rule.owasp,
  };
}

/** A route narrowed to the methods a finding concerns (HEAD rides along with GET). */
function narrowed(route: RouteJson, methods: string[] | undefined): RouteJson {
  if (!methods || methods.length === 0) {
    return route;
  }

  return { ...route, methods: route.methods.filter((m) => methods.includes(m)) };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.rule.localeCompare(b.rule) ||
    a.id.localeCompare(b.id)
  );
}
