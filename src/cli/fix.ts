/**
 * The `--fix` step of `flaskguard scan`: gathers the fixes of unsuppressed findings that may be
 * applied automatically (`safe`, plus `unsafe` with --unsafe-fixes; `manual` never), writes them,
 * and says on stderr what changed, what was skipped and why, and how many fixes need a flag or a
 * person.
 */

import { applyFixes } from "../fix/apply.js";
import { plural } from "../report/summary.js";
import type { Finding, Fix, Report } from "../report/types.js";

/** Applies the fixes; true when a file changed, so the caller scans again. */
export function applyFixesAndReport(
  report: Report,
  root: string,
  unsafe: boolean,
  note: (text: string) => void,
): boolean {
  const fixable = report.findings.filter(
    (f): f is Finding & { fix: Fix } => !f.suppressed && f.fix !== null && f.fix.edits.length > 0,
  );
  const chosen = fixable.filter(
    (f) => f.fix.applicability === "safe" || (unsafe && f.fix.applicability === "unsafe"),
  );
  const owner = new Map(chosen.map((f) => [f.fix, f]));
  const outcome = applyFixes(
    root,
    chosen.map((f) => f.fix),
  );

  for (const { fix, reason } of outcome.skipped) {
    const f = owner.get(fix);
    note(`skipped the fix for ${f?.rule} at ${f?.file}:${f?.line}: ${reason}`);
  }
  if (outcome.applied.length > 0) {
    note(
      `applied ${plural(outcome.applied.length, "fix", "fixes")} in ${outcome.files.join(", ")}`,
    );
  } else {
    note("no fixes applied");
  }
  const held = fixable.filter((f) => !chosen.includes(f));
  const unsafeLeft = held.filter((f) => f.fix.applicability === "unsafe").length;
  const manual = held.length - unsafeLeft;
  if (unsafeLeft > 0) {
    note(`${plural(unsafeLeft, "more fix", "more fixes")} can be applied with --unsafe-fixes`);
  }
  if (manual > 0) {
    note(`${plural(manual, "fix", "fixes")} left for a person to make (manual); see the report`);
  }

  return outcome.files.length > 0;
}
