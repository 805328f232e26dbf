/**
 * `flaskguard scan` end to end, in-process with two fake rules: exit codes, rule selection,
 * --fail-on, output files, configuration, suppressions and the baseline.
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { run, SAMPLE_APP, tempProject } from "./helpers.js";

/** Rule ids of the findings in a JSON report, with a mark on suppressed ones. */
function ruleIds(stdout: string): string[] {
  const report = JSON.parse(stdout);

  return report.findings.map(
    (f: { rule: string; line: number; suppressed?: { kind: string } }) =>
      `${f.rule}:${f.line}${f.suppressed ? `(${f.suppressed.kind})` : ""}`,
  );
}

test("exit 1 when a finding at or above the default threshold (low) remains", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", root, "--format", "json"], root);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "");
  assert.deepEqual(ruleIds(r.stdout), ["TEST002:3", "TEST001:6", "TEST001:11(inline)"]);
});

test("exit 0 when nothing is found, with the path defaulting to the working folder", async (t) => {
  const root = tempProject(t, { "app.py": "x = 1\n" });
  const r = await run(["scan"], root);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^No findings\. Scanned 1 file, 2 lines in /);
});

test("--fail-on sets the threshold", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  assert.equal((await run(["scan", "--fail-on", "high"], root)).code, 1);
  assert.equal((await run(["scan", "--fail-on", "critical"], root)).code, 0);
  assert.equal((await run(["scan", "--fail-on", "medium", "--ignore", "TEST001"], root)).code, 0);
  assert.equal((await run(["scan", "--fail-on", "low", "--ignore", "TEST001"], root)).code, 1);
});

test("--select and --ignore take ids, family prefixes and names", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const json = async (...args: string[]) =>
    ruleIds((await run(["scan", "--format", "json", ...args], root)).stdout);
  assert.deepEqual(await json("--select", "TEST002"), ["TEST002:3"]);
  assert.deepEqual(await json("--select", "fake-post-route"), ["TEST001:6", "TEST001:11(inline)"]);
  assert.deepEqual(await json("--ignore", "TEST"), []);
  assert.deepEqual(await json("--select", "test", "--ignore", "TEST001"), ["TEST002:3"]);
});

test("an unknown rule, format or option is a usage error: exit 2, one line, no stdout", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  for (const args of [
    ["scan", "--select", "NOPE1"],
    ["scan", "--format", "xml"],
    ["scan", "--frobnicate"],
    ["scan", "--fail-on", "severe"],
    ["scan", "--jobs", "0"],
    ["bogus"],
    [],
  ]) {
    const r = await run(args, root);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^flaskguard: [^\n]+\n$/, args.join(" "));
  }
});

test("a missing path exits 2 with one clear line", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", "no/such/dir"], root);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "flaskguard: path not found: no/such/dir\n");
  assert.equal(r.stdout, "");
});

test("a file path scans from its folder and reports only that file", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP, "other/app.py": SAMPLE_APP });
  const r = await run(["scan", "other/app.py", "--format", "json"], root);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(
    report.findings.map((f: { file: string }) => f.file),
    ["app.py", "app.py", "app.py"],
  );
  const both = await run(["scan", "app.py", "other", "--format", "json"], root);
  assert.deepEqual(
    [...new Set(JSON.parse(both.stdout).findings.map((f: { file: string }) => f.file))],
    ["app.py", "other/app.py"],
  );
});

test("-o writes the report to a file and nothing to stdout", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", "--format", "sarif", "-o", "out.sarif"], root);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const sarif = JSON.parse(readFileSync(join(root, "out.sarif"), "utf8"));
  assert.equal(sarif.version, "2.1.0");
  assert.deepEqual(
    sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id),
    ["TEST001", "TEST002"],
  );
});

test("an output file that cannot be written exits 2", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", "-o", "missing/dir/out.txt"], root);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^flaskguard: cannot write .*out\.txt \(ENOENT\)\n$/);
});

test("the config file at the root applies; a bad one exits 2 naming the file", async (t) => {
  const root = tempProject(t, {
    "app.py": SAMPLE_APP,
    "flaskguard.json": JSON.stringify({ ignore: ["TEST002"], failOn: "high" }),
  });
  const r = await run(["scan", "--format", "json"], root);
  assert.deepEqual(ruleIds(r.stdout), ["TEST001:6", "TEST001:11(inline)"]);
  assert.equal(r.code, 1);

  writeFileSync(join(root, "flaskguard.json"), '{"failOn": "high",\n "colour": 1}');
  const unknownKey = await run(["scan"], root);
  assert.equal(unknownKey.code, 2);
  assert.match(
    unknownKey.stderr,
    /^flaskguard: config .*flaskguard\.json: unknown key "colour"\n$/,
  );

  writeFileSync(join(root, "flaskguard.json"), '{"failOn": "high",\n "ignore": [TEST]}');
  const badJson = await run(["scan"], root);
  assert.equal(badJson.code, 2);
  assert.match(badJson.stderr, /flaskguard\.json: not valid JSON/);
  assert.equal(badJson.stderr.split("\n").length, 2);

  const missing = await run(["scan", "--config", "nope.json"], root);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^flaskguard: config .*nope\.json: cannot be read \(ENOENT\)\n$/);
});

test("config suppressions, severity overrides and excludes", async (t) => {
  const root = tempProject(t, {
    "app.py": SAMPLE_APP,
    "vendor/app.py": SAMPLE_APP,
    ".flaskguard.json": JSON.stringify({
      exclude: ["vendor/"],
      severityOverrides: { TEST001: "info" },
      suppress: [{ rule: "fake-debug-on", path: "*.py", justification: "local only" }],
    }),
  });
  const r = await run(["scan", "--format", "json"], root);
  const findings = JSON.parse(r.stdout).findings;
  assert.deepEqual(
    findings.map((f: { file: string; severity: string }) => `${f.file}:${f.severity}`),
    ["app.py:low", "app.py:info", "app.py:info"],
  );
  assert.deepEqual(findings[0].suppressed, { kind: "config", justification: "local only" });
  // What remains unsuppressed is info only.
  assert.equal(r.code, 0);
  assert.equal((await run(["scan", "--fail-on", "info"], root)).code, 1);
});

test("inline suppressions: kept in JSON, counted but not shown in text, never failing", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const json = JSON.parse((await run(["scan", "--format", "json"], root)).stdout);
  const hook = json.findings.find((f: { line: number }) => f.line === 11);
  assert.deepEqual(hook.suppressed, { kind: "inline", justification: "signed webhook" });

  const text = await run(["scan", "--select", "TEST001"], root);
  assert.match(text.stdout, /fake-post-route at line 6/);
  assert.doesNotMatch(text.stdout, /fake-post-route at line 11/);
  assert.match(text.stdout, /1 finding \(1 high\), 1 suppressed\./);

  const onlyHook = tempProject(t, {
    "app.py": '# flaskguard: ignore\n@app.route("/x", methods=["POST"])\ndef x():\n    pass\n',
  });
  const r = await run(["scan", "--select", "TEST001"], onlyHook);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /No findings, 1 suppressed\./);
});

test("baseline round trip: accepted findings stop failing, new ones still fail", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const write = await run(["scan", "--write-baseline", "baseline.json"], root);
  assert.equal(write.code, 0);
  assert.match(write.stderr, /wrote 2 findings to the baseline .*baseline\.json/);
  const baseline = JSON.parse(readFileSync(join(root, "baseline.json"), "utf8"));
  assert.deepEqual(
    baseline.findings.map((e: Record<string, string>) => [e.rule, e.file, e.note]),
    [
      ["TEST002", "app.py", ""],
      ["TEST001", "app.py", ""],
    ],
  );
  assert.deepEqual(Object.keys(baseline.findings[0]), ["id", "rule", "file", "message", "note"]);

  const again = await run(["scan", "--baseline", "baseline.json", "--format", "json"], root);
  assert.equal(again.code, 0);
  assert.deepEqual(ruleIds(again.stdout), [
    "TEST002:3(baseline)",
    "TEST001:6(baseline)",
    "TEST001:11(inline)",
  ]);

  // Code moves down two lines (ids do not depend on lines) and a new route appears.
  writeFileSync(
    join(root, "app.py"),
    `# moved\n\n${SAMPLE_APP}\n@app.route("/c", methods=["POST"])\ndef c():\n    pass\n`,
  );
  const later = await run(["scan", "--baseline", "baseline.json", "--format", "json"], root);
  assert.equal(later.code, 1);
  assert.deepEqual(ruleIds(later.stdout), [
    "TEST002:5(baseline)",
    "TEST001:8(baseline)",
    "TEST001:13(inline)",
    "TEST001:17",
  ]);
});

test("a missing or malformed baseline exits 2", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP, "bad.json": '{"entries": []}' });
  const missing = await run(["scan", "--baseline", "nope.json"], root);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `flaskguard: baseline ${join(root, "nope.json")}: not found\n`);
  const bad = await run(["scan", "--baseline", "bad.json"], root);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.json: expected \{"findings": \[\.\.\.\]\}/);
});

test("progress goes to stderr only on a terminal, and never into stdout", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const tty = await run(["scan", "--format", "json"], root, { tty: true });
  assert.match(tty.stderr, /scanning \./);
  assert.doesNotThrow(() => JSON.parse(tty.stdout));
  const off = await run(["scan", "--format", "json", "--no-progress"], root, { tty: true });
  assert.equal(off.stderr, "");
  assert.equal((await run(["scan"], root)).stderr, "");
});

test("colour only on a terminal without NO_COLOR", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  // An escape character followed by "[": the start of every ANSI colour code.
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[`);
  assert.match((await run(["scan", "--no-progress"], root, { tty: true })).stdout, ansi);
  assert.doesNotMatch(
    (await run(["scan", "--no-progress"], root, { tty: true, env: { NO_COLOR: "1" } })).stdout,
    ansi,
  );
  assert.doesNotMatch((await run(["scan"], root)).stdout, ansi);
  await run(["scan", "-o", "out.txt"], root, { tty: true });
  assert.doesNotMatch(readFileSync(join(root, "out.txt"), "utf8"), ansi);
});

test("html output is one self-contained file", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", "--format", "html", "-o", "report.html"], root);
  assert.equal(r.code, 1);
  assert.ok(existsSync(join(root, "report.html")));
  assert.match(readFileSync(join(root, "report.html"), "utf8"), /^<!doctype html>/);
});
