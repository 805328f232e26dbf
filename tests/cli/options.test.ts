/**
 * Option handling that tells the user what it did: rules named ahead of being built, levels in any
 * case, families given to `explain`, `--unsafe-fixes` on its own, the `--jobs` range, and two
 * config files side by side.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { jobsOption, maxJobs } from "../../src/cli/args.js";
import type { ScanOptions } from "../../src/scan.js";
import { FAKE_DEPS, fakeScan, run, SAMPLE_APP, tempProject } from "./helpers.js";

test("selecting or ignoring a rule that is not built yet warns in one line and runs on", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const select = await run(["scan", "--select", "TEST003", "--format", "json"], root);
  assert.equal(select.stderr, "flaskguard: TEST003 is not built yet; nothing to select\n");
  assert.equal(select.code, 0);
  assert.deepEqual(JSON.parse(select.stdout).findings, []);

  const ignore = await run(["scan", "--ignore", "TEST003,TEST002", "--format", "json"], root);
  assert.equal(ignore.stderr, "flaskguard: TEST003 is not built yet; nothing to ignore\n");
  // The exit code still follows the findings: TEST001 at line 6 is high and unsuppressed.
  assert.equal(ignore.code, 1);

  // Built rules and families with a built rule raise no warning.
  const built = await run(["scan", "--select", "TEST001,test", "--format", "json"], root);
  assert.equal(built.stderr, "");
  assert.equal(built.code, 1);
  // The config file's lists are checked the same way; --quiet keeps stderr empty.
  const configured = tempProject(t, {
    "app.py": SAMPLE_APP,
    "flaskguard.json": JSON.stringify({ ignore: ["TEST003"] }),
  });
  const fromConfig = await run(["scan", "--format", "json"], configured);
  assert.equal(fromConfig.stderr, "flaskguard: TEST003 is not built yet; nothing to ignore\n");
  assert.equal((await run(["scan", "--quiet"], configured)).stderr, "");
});

test("severities, confidences and formats are accepted in any case", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  assert.equal((await run(["scan", "--fail-on", "HIGH"], root)).code, 1);
  assert.equal((await run(["scan", "--fail-on", "Critical"], root)).code, 0);
  const json = await run(["scan", "--format", "JSON", "--min-confidence", "High"], root);
  assert.equal(json.stderr, "");
  assert.equal(JSON.parse(json.stdout).findings.length, 3);
  const bad = await run(["scan", "--fail-on", "SEVERE"], root);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    'flaskguard: --fail-on must be one of critical, high, medium, low, info, got "SEVERE"\n',
  );

  const configured = tempProject(t, {
    "app.py": SAMPLE_APP,
    "flaskguard.json": JSON.stringify({ failOn: "CRITICAL", severityOverrides: { TEST: "Low" } }),
  });
  const r = await run(["scan", "--format", "json"], configured);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.deepEqual(
    JSON.parse(r.stdout).findings.map((f: { severity: string }) => f.severity),
    ["low", "low", "low"],
  );
});

test("explain of a family lists its rules and the ones still to come", async () => {
  const deps = {
    ...FAKE_DEPS,
    catalogIds: [...FAKE_DEPS.catalogIds, "IAM001", "IAM002"],
  };
  const family = await run(["explain", "test"], process.cwd(), { deps });
  assert.equal(family.code, 0);
  assert.equal(family.stderr, "");
  assert.deepEqual(family.stdout.split("\n"), [
    "TEST is a family of rules; `flaskguard explain TEST001` prints one of them.",
    "",
    "ID       NAME             SEVERITY  SUMMARY",
    "TEST001  fake-post-route  high      fake-post-route (test rule)",
    "TEST002  fake-debug-on    low       fake-debug-on (test rule)",
    "",
    "Not built yet: TEST003",
    "",
  ]);
  const planned = await run(["explain", "IAM"], process.cwd(), { deps });
  assert.equal(planned.code, 2);
  assert.equal(
    planned.stderr,
    "flaskguard: the IAM rules (IAM001, IAM002) are in the catalog but not built yet\n",
  );
  const unknown = await run(["explain", "NOPE"], process.cwd(), { deps });
  assert.equal(unknown.stderr, 'flaskguard: unknown rule "NOPE"; `flaskguard rules` lists them\n');
});

test("--unsafe-fixes alone applies fixes, safe and unsafe", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", "--unsafe-fixes"], root);
  const after = readFileSync(join(root, "app.py"), "utf8");
  assert.match(after, /^DEBUG = False$/m);
  assert.match(after, /@protect\n@app\.route\("\/a"/);
  assert.match(r.stderr, /applied 2 fixes in app\.py/);
  assert.equal(r.code, 0);
});

test("--jobs takes a whole number up to twice the cores (at most 16); more is capped", async (t) => {
  const root = tempProject(t, { "app.py": "x = 1\n" });
  const max = maxJobs();
  assert.equal(max, Math.min(2 * availableParallelism(), 16));
  for (const value of ["-1", "0", "1.5", "two", ""]) {
    for (const args of [
      ["scan", "--jobs", value],
      ["scan", `--jobs=${value}`],
      ["routes", "--jobs", value],
    ]) {
      const r = await run(args, root);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(
        r.stderr,
        `flaskguard: --jobs takes a whole number from 1 to ${max}, got "${value}"\n`,
        args.join(" "),
      );
    }
  }
  // A forgotten value: the next option is taken as the value and refused the same way.
  const forgot = await run(["scan", "--jobs", "--quiet"], root);
  assert.equal(
    forgot.stderr,
    `flaskguard: --jobs takes a whole number from 1 to ${max}, got "--quiet"\n`,
  );

  const seen: ScanOptions[] = [];
  const deps = {
    ...FAKE_DEPS,
    scan: (options: ScanOptions) => {
      seen.push(options);
      return fakeScan(options);
    },
  };
  const capped = await run(["scan", "--jobs", "1000"], root, { deps });
  assert.equal(capped.code, 0);
  assert.match(
    capped.stderr,
    new RegExp(
      `^flaskguard: --jobs 1000 is more than this machine can use; using ${max} \\(twice its \\d+ cores?, at most 16\\)\n$`,
    ),
  );
  assert.equal(seen.at(-1)?.jobs, max);
  const fits = await run(["scan", "--jobs", String(max)], root, { deps });
  assert.equal(fits.stderr, "");
  assert.equal(seen.at(-1)?.jobs, max);
  // On a big machine the cap stops at 16; on one core it is 2.
  assert.equal(maxJobs(64), 16);
  assert.equal(maxJobs(1), 2);
  const notes: string[] = [];
  assert.equal(
    jobsOption("40", (n) => notes.push(n), 64),
    16,
  );
  assert.deepEqual(notes, [
    "--jobs 40 is more than this machine can use; using 16 (twice its 64 cores, at most 16)",
  ]);
});

test("with both flaskguard.json and .flaskguard.json, one line says which is read", async (t) => {
  const root = tempProject(t, {
    "app.py": SAMPLE_APP,
    "flaskguard.json": JSON.stringify({ ignore: ["TEST002"] }),
    ".flaskguard.json": JSON.stringify({ ignore: ["TEST001"] }),
  });
  const r = await run(["scan", "--format", "json"], root);
  assert.equal(
    r.stderr,
    `flaskguard: both flaskguard.json and .flaskguard.json are in ${root}; using flaskguard.json and ignoring .flaskguard.json\n`,
  );
  assert.deepEqual(
    JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule),
    ["TEST001", "TEST001"],
  );
  // An explicit --config is the user's choice: nothing to say.
  const chosen = await run(["scan", "--config", ".flaskguard.json", "--format", "json"], root);
  assert.equal(chosen.stderr, "");
  // routes reads the config too, and says the same.
  const routes = await run(["routes"], root);
  assert.match(routes.stderr, /^flaskguard: both flaskguard\.json and \.flaskguard\.json are in /);
});
