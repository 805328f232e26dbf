/**
 * Counting helpers shared by the renderers: findings split into active and suppressed, counts per
 * severity, and the wording of counts and durations, so every format says the same numbers.
 */

import type { Finding, Report, RouteJson, Severity } from "./types.js";
import { SEVERITIES } from "./types.js";

export interface FindingCounts {
  active: Finding[];
  suppressed: Finding[];
  /** Active findings per severity, every severity present. */
  bySeverity: Record<Severity, number>;
}

export function countFindings(report: Report): FindingCounts {
  const active = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of active) {
    bySeverity[f.severity]++;
  }

  return { active, suppressed, bySeverity };
}

/** "1 finding", "3 findings"; `many` for words that do not just take an "s". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "0.42s" or "1m 3s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(2)}s`;
  }

  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/** The human-readable cells of a route, shared by the routes table and the HTML inventory. */
export function routeCells(route: RouteJson): {
  methods: string;
  path: string;
  handler: string;
  auth: string;
  csrf: string;
  dynamo: string;
} {
  // The operation name already says read or write: get_item(users), update_item(users); the
  // table is left out when the analysis could not name it.
  const ops = route.dynamo.map((d) => (d.table ? `${d.op}(${d.table})` : d.op));

  return {
    methods: route.methods.join(","),
    path: route.path,
    handler: `${route.handler.file}:${route.handler.line} ${route.handler.name}`,
    auth: route.auth.join(","),
    csrf: route.csrf.join(","),
    dynamo: ops.length > 0 ? ops.join(" ") : "-",
  };
}
