/**
 * The JSON report, exactly the published schema: every object is rebuilt with its keys in the
 * documented order, so output is byte-stable whatever order the pipeline filled fields in, and
 * nothing outside the schema leaks in. `suppressed` is the only optional key and comes last.
 */

import type { Evidence, Finding, Fix, Report, RouteJson } from "./types.js";

export function renderJson(report: Report): string {
  return `${JSON.stringify(orderReport(report), null, 2)}\n`;
}

export function orderReport(report: Report): Report {
  return {
    tool: { name: report.tool.name, version: report.tool.version },
    stats: {
      files: report.stats.files,
      lines: report.stats.lines,
      parseErrors: report.stats.parseErrors,
      durationMs: report.stats.durationMs,
    },
    errors: report.errors.map((e) => ({ file: e.file, message: e.message })),
    routes: report.routes.map(orderRoute),
    findings: report.findings.map(orderFinding),
  };
}

export function orderRoute(r: RouteJson): RouteJson {
  return {
    app: r.app,
    blueprint: r.blueprint,
    path: r.path,
    methods: [...r.methods],
    handler: { file: r.handler.file, line: r.handler.line, name: r.handler.name },
    auth: [...r.auth],
    csrf: [...r.csrf],
    dynamo: r.dynamo.map((d) => ({
      op: d.op,
      table: d.table,
      write: d.write,
      file: d.file,
      line: d.line,
    })),
  };
}

function orderFinding(f: Finding): Finding {
  const ordered: Finding = {
    id: f.id,
    rule: f.rule,
    name: f.name,
    severity: f.severity,
    confidence: f.confidence,
    message: f.message,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    column: f.column,
    route: f.route ? orderRoute(f.route) : null,
    evidence: f.evidence.map(orderEvidence),
    fix: f.fix ? orderFix(f.fix) : null,
    cwe: [...f.cwe],
    owasp: [...f.owasp],
  };
  if (f.suppressed) {
    ordered.suppressed = { kind: f.suppressed.kind, justification: f.suppressed.justification };
  }

  return ordered;
}

function orderEvidence(e: Evidence): Evidence {
  return { file: e.file, line: e.line, note: e.note };
}

function orderFix(fix: Fix): Fix {
  return {
    description: fix.description,
    applicability: fix.applicability,
    edits: fix.edits.map((e) => ({
      file: e.file,
      start: { line: e.start.line, column: e.start.column },
      end: { line: e.end.line, column: e.end.column },
      text: e.text,
    })),
  };
}
