/**
 * Narrows a scan's report to what the user asked to see: the paths named on the command line,
 * the config's include/exclude globs, the selected rules, findings at or above the minimum
 * confidence, with the config's severity overrides applied. The scan itself analyses the whole
 * root (a route's defence may live in another file); this step only decides what is reported.
 */

import ignore from "ignore";
import type { Confidence, Finding, Report, Severity } from "../report/types.js";
import { findingMatches } from "./rule-patterns.js";

export interface ReportFilter {
  /** Paths named on the command line, relative to the root; "" stands for the whole root. */
  targets: readonly string[];
  include: readonly string[];
  exclude: readonly string[];
  select: readonly string[];
  ignore: readonly string[];
  minConfidence: Confidence;
  /** Rule pattern → severity. */
  severityOverrides: Readonly<Record<string, Severity>>;
}

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

export function filterReport(report: Report, filter: ReportFilter): Report {
  const wanted = pathFilter(filter);
  const ruleWanted = (f: Finding) =>
    (filter.select.length === 0 || filter.select.some((p) => findingMatches(p, f))) &&
    !filter.ignore.some((p) => findingMatches(p, f));
  const findings = report.findings
    .filter((f) => wanted(f.file) && ruleWanted(f))
    .filter((f) => CONFIDENCE_RANK[f.confidence] >= CONFIDENCE_RANK[filter.minConfidence])
    .map((f) => {
      const override = Object.entries(filter.severityOverrides).find(([p]) => findingMatches(p, f));

      return override ? { ...f, severity: override[1] } : f;
    });

  return {
    ...report,
    errors: report.errors.filter((e) => wanted(e.file)),
    routes: report.routes.filter((r) => wanted(r.handler.file)),
    findings,
  };
}

/** Whether a report path is under a target and passes the include/exclude globs. */
function pathFilter(filter: ReportFilter): (file: string) => boolean {
  const clean = (globs: readonly string[]) => globs.map((g) => g.trim().replace(/^\.\//, ""));
  const include = filter.include.length > 0 ? ignore().add(clean(filter.include)) : null;
  const exclude = filter.exclude.length > 0 ? ignore().add(clean(filter.exclude)) : null;
  const underTarget = (file: string) =>
    filter.targets.some((t) => t === "" || file === t || file.startsWith(`${t}/`));

  return (file) =>
    underTarget(file) && !exclude?.ignores(file) && (include === null || include.ignores(file));
}
