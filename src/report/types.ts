/**
 * The report data model: the stable JSON shape that every renderer, the baseline and the tests read.
 * It mirrors the project's published JSON report schema field for field; renderers never decide
 * anything, they only turn these objects into text, JSON, SARIF or HTML.
 */

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export type Confidence = "high" | "medium" | "low";

/** Severities from the most to the least serious; index order is used for comparisons. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export function severityRank(severity: Severity): number {
  // Higher is more serious: info = 0 ... critical = 4.
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export type AuthKind =
  | "session-cookie"
  | "flask-login"
  | "jwt-header"
  | "jwt-cookie"
  | "basic"
  | "api-key-header"
  | "custom"
  | "none";

export type CsrfDefenceKind =
  | "csrfprotect"
  | "seasurf"
  | "form-validate"
  | "manual-token"
  | "jwt-double-submit"
  | "custom-header"
  | "origin-check"
  | "exempt"
  | "none";

export interface SourceRef {
  file: string;
  line: number;
}

export interface RouteDynamoOp {
  op: string;
  table: string | null;
  write: boolean;
  file: string;
  line: number;
}

export interface RouteJson {
  app: string;
  blueprint: string | null;
  path: string;
  methods: string[];
  handler: { file: string; line: number; name: string };
  auth: AuthKind[];
  csrf: CsrfDefenceKind[];
  dynamo: RouteDynamoOp[];
}

export interface Position {
  line: number;
  column: number;
}

export interface Edit {
  file: string;
  start: Position;
  end: Position;
  text: string;
}

export type Applicability = "safe" | "unsafe" | "manual";

export interface Fix {
  description: string;
  applicability: Applicability;
  edits: Edit[];
}

export interface Evidence {
  file: string;
  line: number;
  note: string;
}

export interface Finding {
  id: string;
  rule: string;
  name: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  file: string;
  line: number;
  endLine: number;
  column: number;
  route: RouteJson | null;
  evidence: Evidence[];
  fix: Fix | null;
  cwe: string[];
  owasp: string[];
  /** Set by the baseline or an inline suppression; suppressed findings never fail the run. */
  suppressed?: { kind: "baseline" | "inline" | "config"; justification: string };
}

export interface ToolError {
  file: string;
  message: string;
}

export interface Report {
  tool: { name: "flaskguard"; version: string };
  stats: { files: number; lines: number; parseErrors: number; durationMs: number };
  errors: ToolError[];
  routes: RouteJson[];
  findings: Finding[];
}
