/**
 * The regression cases of `../shared/cases` (or `$FLASKGUARD_CASES`) and the bundled examples
 * (`examples/vulnerable`, `examples/fixed`), each checked against its `expected.json`. One subtest
 * per expectation; expectations whose rules are not built yet are skipped as pending, and known
 * gaps from `tests/known-gaps.json` are reported as todo until they pass.
 */

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ALL_RULES, CATALOG_IDS } from "../src/rules/index.js";
import {
  type CaseTarget,
  casesFolder,
  loadCases,
  loadVerdictFolder,
  runTarget,
  targetName,
} from "./harness/cases.js";
import type { RuleSet } from "./harness/expectations.js";
import { loadKnownGaps, unusedGaps } from "./harness/known-gaps.js";
import { KNOWN_GAPS_FILE, REPO_ROOT } from "./harness/paths.js";

const rules: RuleSet = { built: new Set(ALL_RULES.map((r) => r.id)), catalog: CATALOG_IDS };
const gaps = loadKnownGaps();
const allTargets: CaseTarget[] = [];

const folder = casesFolder();
if (!folder.exists) {
  test("shared cases", { skip: `no cases folder at ${folder.path} (set FLASKGUARD_CASES)` });
} else {
  const { targets, problems } = loadCases(folder.path);
  allTargets.push(...targets);
  for (const problem of problems) {
    test(`case ${problem.name}`, () => assert.fail(problem.message));
  }
  for (const target of targets) {
    test(targetName(target), (t) => runTarget(t, target, gaps, rules));
  }
}

for (const name of ["vulnerable", "fixed"]) {
  const root = join(REPO_ROOT, "examples", name);
  if (!existsSync(join(root, "expected.json"))) {
    test(`examples/${name}`, { skip: `no ${root}/expected.json yet` });
    continue;
  }
  const { targets, problems } = loadVerdictFolder(root, `examples/${name}`);
  allTargets.push(...targets);
  for (const problem of problems) {
    test(`example ${problem.name}`, () => assert.fail(problem.message));
  }
  for (const target of targets) {
    test(targetName(target), (t) => runTarget(t, target, gaps, rules));
  }
}

test("every known gap names an existing expectation", { skip: !folder.exists }, () => {
  const stale = unusedGaps(gaps, allTargets);
  assert.deepEqual(
    stale.map(
      (g) =>
        `${g.case}${g.variant ? `/${g.variant}` : ""} ${g.list ?? "findings|absent"} ${JSON.stringify(g.expectation)}`,
    ),
    [],
    `${KNOWN_GAPS_FILE} lists gaps that match no expectation of any case: fix or remove them`,
  );
});
