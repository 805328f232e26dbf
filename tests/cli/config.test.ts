/**
 * Config parsing and validation, rule patterns, inline directives, baseline rewriting and the
 * mapping from command-line paths to a scan root.
 */

import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { buildBaseline } from "../../src/baseline/index.js";
import { resolveTargets } from "../../src/cli/args.js";
import { ConfigError, parseConfig } from "../../src/config/index.js";
import { isKnownPattern, ruleMatches } from "../../src/config/rule-patterns.js";
import { applyInlineSuppressions, parseIgnoreDirective } from "../../src/config/suppress.js";
import { sampleReport } from "../report/fixture.js";
import { tempProject } from "./helpers.js";

const known = (p: string) => isKnownPattern(p, [], ["CSRF001", "AUTH001", "AUTHZ001"]);

test("a full config parses, with the baseline relative to the config file", () => {
  const config = parseConfig(
    JSON.stringify({
      select: ["CSRF"],
      ignore: ["AUTHZ001"],
      failOn: "medium",
      minConfidence: "high",
      include: ["app/**"],
      exclude: ["tests/"],
      baseline: "ci/baseline.json",
      severityOverrides: { AUTH001: "info" },
      suppress: [{ rule: "CSRF001", path: "app/hooks.py", justification: " signed " }],
    }),
    "/repo/flaskguard.json",
    known,
  );
  assert.deepEqual(config, {
    file: "/repo/flaskguard.json",
    select: ["CSRF"],
    ignore: ["AUTHZ001"],
    failOn: "medium",
    minConfidence: "high",
    include: ["app/**"],
    exclude: ["tests/"],
    baseline: "/repo/ci/baseline.json",
    severityOverrides: { AUTH001: "info" },
    suppress: [{ rule: "CSRF001", path: "app/hooks.py", justification: "signed" }],
  });
});

test("config mistakes are one-line errors naming the file and the problem", () => {
  const cases: [string, RegExp][] = [
    ["[]", /the top level must be a JSON object/],
    [
      '{"failOn": "severe"}',
      /"failOn" must be one of critical, high, medium, low, info, got "severe"/,
    ],
    ['{"select": "CSRF"}', /"select" must be a list of non-empty strings/],
    ['{"select": ["CSRF999"]}', /"select" names an unknown rule "CSRF999"/],
    ['{"severityOverrides": {"NOPE1": "low"}}', /unknown rule "NOPE1"/],
    ['{"suppress": [{"rule": "CSRF001"}]}', /suppress\[0\]\.justification must say why/],
    ['{"suppress": [{"rule": "CSRF001", "justification": "x", "line": 3}]}', /unknown key "line"/],
    ['{\n  "failOn": "low",\n}', /not valid JSON at line 3, column 1$/],
    ['{\n  "failOn": "low",\n  "select": [CSRF]\n}', /not valid JSON \(Unexpected token 'C'\)$/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(
      () => parseConfig(text, "/repo/flaskguard.json", known),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.startsWith("config /repo/flaskguard.json: ") &&
        expected.test(error.message) &&
        !error.message.includes("\n"),
      text,
    );
  }
});

test("family prefixes cover their own family only", () => {
  const authz = { id: "AUTHZ001", name: "bola-client-controlled-key" };
  assert.equal(ruleMatches("AUTH", authz), false);
  assert.equal(ruleMatches("authz", authz), true);
  assert.equal(ruleMatches("AUTHZ001", authz), true);
  assert.equal(ruleMatches("bola-client-controlled-key", authz), true);
  assert.equal(ruleMatches("AUTHZ00", authz), false);
  assert.equal(known("AUTH"), true);
  assert.equal(known("CSRF002"), false);
});

test("inline directives: rule lists, bare ignore, reasons", () => {
  assert.deepEqual(parseIgnoreDirective("# flaskguard: ignore[CSRF001, AUTH001] signed hook"), {
    rules: ["CSRF001", "AUTH001"],
    reason: "signed hook",
  });
  assert.deepEqual(parseIgnoreDirective("# flaskguard: ignore"), { rules: "all", reason: "" });
  assert.deepEqual(parseIgnoreDirective("# noqa  # flaskguard:ignore[CSRF] -- legacy"), {
    rules: ["CSRF"],
    reason: "legacy",
  });
  assert.equal(parseIgnoreDirective("# flaskguard is great"), null);
});

test("an inline directive on any line of a finding's range, or just above it, suppresses it", () => {
  // A route finding: the first decorator (line 5) through the `def` line (line 7).
  const [route] = sampleReport().findings.filter((f) => f.rule === "CSRF001" && !f.suppressed);
  const finding = { ...route!, line: 5, endLine: 7 };
  const verdict = (line: number, text = "# flaskguard: ignore[CSRF001] signed webhook") =>
    applyInlineSuppressions([finding], () => [{ line, text }])[0]!.suppressed;

  for (const line of [4, 5, 6, 7]) {
    assert.deepEqual(verdict(line), { kind: "inline", justification: "signed webhook" }, `${line}`);
  }
  assert.equal(verdict(3), undefined, "two lines above the anchor");
  assert.equal(verdict(8), undefined, "the line after the def");
  assert.equal(verdict(7, "# flaskguard: ignore[AUTH001]"), undefined, "another rule");
  // A finding without a range of its own keeps the anchor line and the line above.
  const single = { ...finding, endLine: 5 };
  const onLine = (line: number) =>
    applyInlineSuppressions([single], () => [{ line, text: "# flaskguard: ignore" }])[0]!
      .suppressed;
  assert.deepEqual(
    [4, 5, 6].map((l) => onLine(l) !== undefined),
    [true, true, false],
  );
});

test("rewriting a baseline keeps the notes of entries still present", () => {
  const findings = sampleReport().findings;
  const previous = buildBaseline(findings.slice(0, 2));
  previous.findings[0]!.note = "accepted by security review";
  const next = buildBaseline(findings.slice(0, 3), previous);
  assert.deepEqual(
    next.findings.map((e) => [e.id, e.note]),
    [
      [findings[0]!.id, "accepted by security review"],
      [findings[1]!.id, ""],
      [findings[2]!.id, ""],
    ],
  );
});

test("paths map to a root: a folder, a file's folder, or the common parent", (t) => {
  const root = tempProject(t, { "a/x.py": "", "a/b/y.py": "", "c/z.py": "" });
  mkdirSync(join(root, "empty"));
  writeFileSync(join(root, "top.py"), "");
  assert.deepEqual(resolveTargets([], join(root, "a")), { root: join(root, "a"), targets: [""] });
  assert.deepEqual(resolveTargets(["a/x.py"], root), { root: join(root, "a"), targets: ["x.py"] });
  assert.deepEqual(resolveTargets(["a/b/y.py", "a/x.py"], root), {
    root: join(root, "a"),
    targets: ["b/y.py", "x.py"],
  });
  assert.deepEqual(resolveTargets(["a/b", "c/z.py"], root), {
    root,
    targets: ["a/b", "c/z.py"],
  });
  assert.throws(() => resolveTargets(["a", "nope"], root), /path not found: nope/);
});
