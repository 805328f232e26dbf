/**
 * Runs verdict files (`expected.json`) against scans: the shared regression cases and the bundled
 * examples. Each case root (or each variant folder) is scanned once and every expectation becomes
 * one subtest: passed, failed with the findings that were produced, skipped while the rule it
 * needs is not built, or reported as `todo` when `tests/known-gaps.json` lists it as a known gap.
 * A listed gap that passes fails the run, so that list can only shrink.
 */

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestContext } from "node:test";
import { scan } from "../../src/scan.js";
import {
  describeExpectation,
  judge,
  parseVerdicts,
  type RuleSet,
  type Verdict,
} from "./expectations.js";
import { gapFor, type KnownGap } from "./known-gaps.js";
import { emit } from "./outcome.js";
import { REPO_ROOT } from "./paths.js";

/** One scan root and the verdict it must reach. */
export interface CaseTarget {
  /** The case's name as known-gap entries spell it: its folder, or `examples/<name>`. */
  caseName: string;
  variant: string | null;
  root: string;
  verdict: Verdict;
}

/** A case folder that cannot be run (no or malformed `expected.json`, missing variant folder). */
export interface CaseProblem {
  name: string;
  message: string;
}

export function targetName(target: Pick<CaseTarget, "caseName" | "variant">): string {
  return target.variant === null ? target.caseName : `${target.caseName}/${target.variant}`;
}

/** The shared cases folder: `$FLASKGUARD_CASES`, else `../shared/cases` beside the repository. */
export function casesFolder(): { path: string; exists: boolean } {
  const path = process.env.FLASKGUARD_CASES
    ? resolve(process.env.FLASKGUARD_CASES)
    : resolve(REPO_ROOT, "../shared/cases");

  return { path, exists: existsSync(path) && statSync(path).isDirectory() };
}

/** Every case folder under `folder` (each sub-folder is one case), sorted by name. */
export function loadCases(folder: string): { targets: CaseTarget[]; problems: CaseProblem[] } {
  const targets: CaseTarget[] = [];
  const problems: CaseProblem[] = [];
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const loaded = loadVerdictFolder(join(folder, name), name);
    targets.push(...loaded.targets);
    problems.push(...loaded.problems);
  }

  return { targets, problems };
}

/** One folder holding an `expected.json`; its variants become separate targets. */
export function loadVerdictFolder(
  root: string,
  caseName: string,
): { targets: CaseTarget[]; problems: CaseProblem[] } {
  const file = join(root, "expected.json");
  if (!existsSync(file)) {
    return { targets: [], problems: [{ name: caseName, message: `${file} is missing` }] };
  }
  try {
    const verdicts = parseVerdicts(JSON.parse(readFileSync(file, "utf8")), file);
    const targets: CaseTarget[] = [];
    const problems: CaseProblem[] = [];
    for (const [variant, verdict] of verdicts) {
      const variantRoot = variant === null ? root : join(root, variant);
      if (!existsSync(variantRoot)) {
        problems.push({
          name: `${caseName}/${variant}`,
          message: `expected.json names variant "${variant}" but ${variantRoot} does not exist`,
        });
        continue;
      }
      targets.push({ caseName, variant, root: variantRoot, verdict });
    }

    return { targets, problems };
  } catch (error) {
    return { targets: [], problems: [{ name: caseName, message: String(error) }] };
  }
}

/**
 * Scans one target and reports each expectation as a subtest of `t`, named like
 * `013-csrf-disabled-after-init/app_a findings[1] CSRF003 billing/config.py:16`.
 */
export async function runTarget(
  t: TestContext,
  target: CaseTarget,
  gaps: readonly KnownGap[],
  rules: RuleSet,
): Promise<void> {
  const scanned = await scan({ root: target.root }).then(
    (result) => result.report,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  for (const list of ["findings", "absent"] as const) {
    for (const [i, exp] of target.verdict[list].entries()) {
      const name = `${targetName(target)} ${list}[${i}] ${describeExpectation(exp)}`;
      const gap = gapFor(gaps, target, list, exp);
      await emit(t, name, () => judge(list, exp, scanned, gap, rules));
    }
  }
}
