/**
 * The regression cases of `../shared/cases` (or `$FLASKGUARD_CASES`), the bundled examples
 * (`examples/vulnerable`, `examples/fixed`) and the test apps (`tests/apps/*`), each checked
 * against its `expected.json`. One subtest
 * per expectation; expectations whose rules are not built yet are skipped as pending, and known
 * gaps from `tests/known-gaps.json` are reported as todo until they pass.
 */

import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
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

// The bundled examples, and the whole test apps written for this repository (tests/apps).
const APPS = join(REPO_ROOT, "tests", "apps");
const verdictFolders = [
  ...["vulnerable", "fixed"].map((name) => ({
    root: join(REPO_ROOT, "examples", name),
    label: `examples/${name}`,
  })),
  ...(existsSync(APPS) ? readdirSync(APPS).sort() : []).map((name) => ({
    root: join(APPS, name),
    label: `tests/apps/${name}`,
  })),
];

for (const { root, label } of verdictFolders) {
  if (!existsSync(join(root, "expected.json"))) {
    test(label, { skip: `no ${root}/expected.json yet` });
    continue;
  }
  const { targets, problems } = loadVerdictFolder(root, label);
  allTargets.push(...targets);
  for (const problem of problems) {
    test(`${label} ${problem.name}`, () => assert.fail(problem.message));
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
