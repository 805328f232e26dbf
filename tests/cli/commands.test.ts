/** The commands other than scan: routes, rules, explain, the later ones, help and version. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AnalysisContext } from "../../src/analysis/context.js";
import type { CliDeps } from "../../src/cli/io.js";
import type { ScanOptions } from "../../src/scan.js";
import { VERSION } from "../../src/version.js";
import { sampleReport } from "../report/fixture.js";
import { FAKE_DEPS, run, tempProject } from "./helpers.js";

function routeDeps(seen: ScanOptions[]): CliDeps {
  return {
    ...FAKE_DEPS,
    scan: async (options) => {
      seen.push(options);

      return { report: sampleReport(), context: {} as AnalysisContext };
    },
  };
}

test("routes prints the inventory table, running no rules", async (t) => {
  const root = tempProject(t, { "app.py": "" });
  const seen: ScanOptions[] = [];
  const r = await run(["routes"], root, { deps: routeDeps(seen) });
  assert.equal(r.code, 0);
  assert.deepEqual(seen[0]?.ignore, ["TEST001", "TEST002"]);
  assert.deepEqual(r.stdout.split("\n"), [
    "METHODS  PATH             HANDLER                        AUTH            CSRF  DYNAMODB",
    "POST     /profile/update  app/views.py:6 update_profile  session-cookie  none  update_item(users)",
    "POST     /hook            app/views.py:13 hook           none            none  put_item",
    "",
  ]);
});

test("routes --format json gives the report's route objects", async (t) => {
  const root = tempProject(t, { "app.py": "" });
  const r = await run(["routes", "--format", "json"], root, { deps: routeDeps([]) });
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out, { routes: sampleReport().routes });
});

test("routes narrows to the named paths and honours a missing path", async (t) => {
  const root = tempProject(t, { "app/views.py": "", "other.py": "" });
  const narrowed = await run(["routes", "other.py"], root, { deps: routeDeps([]) });
  assert.equal(narrowed.stdout, "No routes found.\n");
  const missing = await run(["routes", "nope"], root, { deps: routeDeps([]) });
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "flaskguard: path not found: nope\n");
});

test("rules lists the built rules and the planned ids", async () => {
  const r = await run(["rules"], process.cwd());
  assert.equal(r.code, 0);
  assert.deepEqual(r.stdout.split("\n"), [
    "ID       NAME             SEVERITY  FIX     SUMMARY",
    "TEST001  fake-post-route  high      always  fake-post-route (test rule)",
    "TEST002  fake-debug-on    low       always  fake-debug-on (test rule)",
    "",
    "Not built yet: TEST003",
    "",
  ]);
});

test("explain prints a rule's docs by id or name", async () => {
  const byId = await run(["explain", "test001"], process.cwd());
  assert.equal(byId.code, 0);
  for (const heading of [
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "References",
  ]) {
    assert.match(byId.stdout, new RegExp(`^${heading.replace("?", "\\?")}\n-+\n`, "m"));
  }
  assert.match(byId.stdout, /^ {4}bad = True$/m);
  // Only the rule's own references are links; there is no published page to point at.
  assert.deepEqual(byId.stdout.match(/https?:\/\/\S+/g), ["https://example.test/rules"]);
  const byName = await run(["explain", "fake-debug-on"], process.cwd());
  assert.match(byName.stdout, /^TEST002 fake-debug-on\n/);
});

test("explain of an unknown or planned rule exits 2 with one line", async () => {
  const unknown = await run(["explain", "NOPE9"], process.cwd());
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'flaskguard: unknown rule "NOPE9"; `flaskguard rules` lists them\n');
  const planned = await run(["explain", "TEST003"], process.cwd());
  assert.equal(planned.stderr, "flaskguard: TEST003 is in the catalog but not built yet\n");
  assert.equal((await run(["explain"], process.cwd())).code, 2);
});

test("poc, verify, demo and policy say they are not built yet and exit 2", async () => {
  for (const command of ["poc", "verify", "demo", "policy"]) {
    const r = await run([command, "x"], process.cwd());
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^flaskguard: ${command}: not built yet \\(.+\\)\n$`));
  }
});

test("help and version", async () => {
  const help = await run(["--help"], process.cwd());
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: flaskguard COMMAND/);
  assert.match(help.stdout, /policy +the least-privilege IAM policy/);
  const scanHelp = await run(["scan", "--help"], process.cwd());
  assert.match(scanHelp.stdout, /--fail-on SEVERITY/);
  assert.equal((await run(["--version"], process.cwd())).stdout, `${VERSION}\n`);
  assert.equal((await run(["scan", "--version"], process.cwd())).stdout, `${VERSION}\n`);
});

test("an internal error is one line, with the stack only under --debug", async (t) => {
  const root = tempProject(t, { "app.py": "" });
  const broken: CliDeps = {
    ...FAKE_DEPS,
    scan: async () => {
      throw new Error("boom\nsecond line");
    },
  };
  const quiet = await run(["scan"], root, { deps: broken });
  assert.equal(quiet.code, 2);
  assert.equal(
    quiet.stderr,
    "flaskguard: internal error: boom second line (run with --debug for the stack trace)\n",
  );
  const debug = await run(["scan", "--debug"], root, { deps: broken });
  assert.match(debug.stderr, /\n {4}at /);
});
