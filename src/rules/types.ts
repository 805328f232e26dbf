/**
 * The shape of a rule module. One file per rule exports one `Rule`: its metadata and user docs
 * beside a `check` that reads the analysed project and returns findings. Rules never parse or walk
 * files to discover the app: they ask the models built before them.
 */

import type { Anchor, RouteRef } from "../analysis/anchors.js";
import type { AnalysisContext } from "../analysis/context.js";
import type { Confidence, Evidence, Fix, Severity } from "../report/types.js";

export type RuleFamily = "csrf" | "cookie" | "secrets" | "auth" | "data" | "web" | "llm" | "iam";

export interface RuleDocs {
  /** What the rule finds, in a sentence or two. */
  whatItDoes: string;
  /** Why it matters: what an attacker gains. */
  why: string;
  /** Python code the rule reports. */
  example: string;
  /** The corrected code, which the rule does not report. */
  useInstead: string;
  /** Whether the offered fix can change behaviour, and so whether it is applied automatically. */
  fixSafety?: string;
  /** Limits the rule knows it has. */
  knownProblems?: string;
  references: string[];
}

export interface RuleMeta {
  id: string;
  name: string;
  family: RuleFamily;
  /** Default severity; a finding may lower or raise it, with the reason in its message. */
  severity: Severity;
  confidence: Confidence;
  cwe: string[];
  owasp: string[];
  status: "stable" | "preview";
  fixAvailability: "none" | "sometimes" | "always";
  /** One line for `flaskguard rules`. */
  summary: string;
  docs: RuleDocs;
}

/** What a rule's check returns; the pipeline adds ids, rule metadata and route JSON. */
export interface RuleFinding {
  anchor: Anchor;
  route: RouteRef | null;
  /** The route's methods this finding concerns, when narrower than all it answers. */
  methods?: string[];
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  evidence: Evidence[];
  fix?: Fix | null;
  /** Text that keeps the finding's id stable when lines move (defaults to the anchor's code). */
  fingerprint?: string;
}

export interface Rule extends RuleMeta {
  check(ctx: AnalysisContext): RuleFinding[];
}
