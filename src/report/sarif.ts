/**
 * SARIF 2.1.0 for code-scanning services. One run: the driver lists every rule that ran with its
 * help, CWE tags and numeric `security-severity` (which code-scanning UIs sort by); each finding
 * becomes a result anchored where the JSON report anchors it, with evidence as related locations
 * (and a code flow when there are several steps), the fix as SARIF `fixes`, the finding id as the
 * partial fingerprint, and suppressions for baselined or inline-ignored findings. Files that could
 * not be analysed become tool notifications of the invocation. Rule help is carried inline (text
 * and Markdown) with no `helpUri`: the documentation ships with the tool, not on a web page.
 */

import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { RuleMeta } from "../rules/types.js";
import { ruleDocsHint, ruleDocsMarkdown, ruleDocsText } from "./rule-docs.js";
import type { Evidence, Finding, Fix, Report, Severity } from "./types.js";

export interface SarifOptions {
  /** The rules that ran, for `tool.driver.rules`. */
  rules: readonly RuleMeta[];
  /** The scanned root, recorded as `%SRCROOT%`; omitted when absent. */
  root?: string;
}

const SRCROOT = "%SRCROOT%";

const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

const LEVEL: Record<Severity, Sarif.Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

export function renderSarif(report: Report, options: SarifOptions): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`;
}

export function buildSarif(report: Report, options: SarifOptions): Sarif.Log {
  const descriptors = options.rules.map(ruleDescriptor);
  const index = new Map(options.rules.map((r, i) => [r.id, i]));
  // A finding of a rule that is not in the list (it cannot happen from the CLI) still gets a
  // descriptor, so every result's ruleIndex points somewhere real.
  for (const f of report.findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, descriptors.length);
      descriptors.push(placeholderDescriptor(f));
    }
  }

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        rules: descriptors,
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: report.errors.map((e) => ({
          level: "warning",
          message: { text: e.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(e.file) } }],
        })),
      },
    ],
    columnKind: "utf16CodeUnits",
    results: report.findings.map((f) => result(f, index.get(f.rule) ?? 0)),
  };
  if (options.root !== undefined) {
    run.originalUriBaseIds = { [SRCROOT]: { uri: `${pathToFileURL(options.root).href}/` } };
  }

  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [run],
  };
}

function ruleDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.docs.whatItDoes },
    help: { text: ruleDocsText(rule), markdown: ruleDocsMarkdown(rule) },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ["security", ...rule.cwe.map(cweTag)],
      "security-severity": SECURITY_SEVERITY[rule.severity],
      precision: rule.confidence,
      "problem.severity": LEVEL[rule.severity] === "note" ? "recommendation" : LEVEL[rule.severity],
    },
  };
}

function placeholderDescriptor(f: Finding): Sarif.ReportingDescriptor {
  return {
    id: f.rule,
    name: f.name,
    shortDescription: { text: f.name },
    help: { text: `For this rule's documentation, ${ruleDocsHint(f.rule)}.` },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: {
      tags: ["security", ...f.cwe.map(cweTag)],
      "security-severity": SECURITY_SEVERITY[f.severity],
    },
  };
}

/** "CWE-352" → "external/cwe/cwe-352", the tag form code-scanning services read. */
function cweTag(cwe: string): string {
  return `external/cwe/${cwe.toLowerCase()}`;
}

function result(f: Finding, ruleIndex: number): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(f.file),
          region: { startLine: f.line, endLine: f.endLine, startColumn: f.column },
        },
      },
    ],
    partialFingerprints: { "flaskguard/v1": f.id },
    properties: {
      severity: f.severity,
      confidence: f.confidence,
      "security-severity": SECURITY_SEVERITY[f.severity],
      ...(f.owasp.length > 0 ? { owasp: f.owasp } : {}),
      ...(f.route ? { route: `${f.route.methods.join(",")} ${f.route.path}` } : {}),
    },
  };
  if (f.evidence.length > 0) {
    out.relatedLocations = f.evidence.map((e, i) => ({ id: i + 1, ...evidenceLocation(e) }));
  }
  if (f.evidence.length >= 2) {
    out.codeFlows = [
      {
        threadFlows: [{ locations: f.evidence.map((e) => ({ location: evidenceLocation(e) })) }],
      },
    ];
  }
  if (f.fix && f.fix.edits.length > 0) {
    out.fixes = [sarifFix(f.fix)];
  }
  if (f.suppressed) {
    out.suppressions = [
      {
        kind: f.suppressed.kind === "inline" ? "inSource" : "external",
        status: "accepted",
        justification: f.suppressed.justification,
      },
    ];
  }

  return out;
}

function evidenceLocation(e: Evidence): Sarif.Location {
  return {
    physicalLocation: { artifactLocation: artifact(e.file), region: { startLine: e.line } },
    message: { text: e.note },
  };
}

function sarifFix(fix: Fix): Sarif.Fix {
  const files = [...new Set(fix.edits.map((e) => e.file))];

  return {
    description: { text: `${fix.description} (${fix.applicability})` },
    artifactChanges: files.map((file) => ({
      artifactLocation: artifact(file),
      replacements: fix.edits
        .filter((e) => e.file === file)
        .map((e) => ({
          deletedRegion: {
            startLine: e.start.line,
            startColumn: e.start.column,
            endLine: e.end.line,
            endColumn: e.end.column,
          },
          insertedContent: { text: e.text },
        })),
    })),
  };
}

/** A relative report path as a URI reference under %SRCROOT%, each segment percent-encoded. */
function artifact(file: string): Sarif.ArtifactLocation {
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}
