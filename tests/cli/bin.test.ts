/**
 * The real executable, run as a child process with the real pipeline: exit codes, the one-line
 * error on stderr, and stdout carrying only the report.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { VERSION } from "../../src/version.js";
import { tempProject } from "./helpers.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function flaskguard(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("--version prints the version and exits 0", () => {
  assert.deepEqual(flaskguard("--version"), { code: 0, stdout: `${VERSION}\n`, stderr: "" });
});

test("a missing path exits 2 with one line on stderr and nothing on stdout", () => {
  const r = flaskguard("scan", "/no/such/flaskguard/path");
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "flaskguard: path not found: /no/such/flaskguard/path\n");
});

test("a scan of a small project writes a JSON report to stdout only", (t) => {
  const root = tempProject(t, {
    "app.py":
      'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return "hi"\n',
  });
  const r = flaskguard("scan", root, "--format", "json", "--fail-on", "critical");
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report), ["tool", "stats", "errors", "routes", "findings"]);
  assert.equal(report.stats.files, 1);
});
