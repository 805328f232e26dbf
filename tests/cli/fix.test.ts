/**
 * Applying fixes: the edit engine (positions, bottom-up order, overlaps, whole-fix skipping,
 * files outside the root) and `scan --fix` on a temporary copy with the fake rules' edits.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { applyEditsToText, applyFixes } from "../../src/fix/apply.js";
import type { Edit, Fix } from "../../src/report/types.js";
import { run, SAMPLE_APP, tempProject } from "./helpers.js";

function edit(file: string, from: [number, number], to: [number, number], text: string): Edit {
  return {
    file,
    start: { line: from[0], column: from[1] },
    end: { line: to[0], column: to[1] },
    text,
  };
}

function fix(...edits: Edit[]): Fix {
  return { description: "test", applicability: "safe", edits };
}

test("edits use 1-based lines and columns with an exclusive end", () => {
  const text = "alpha\nbeta\ngamma\n";
  assert.equal(applyEditsToText(text, [edit("f", [2, 1], [2, 5], "BETA")]), "alpha\nBETA\ngamma\n");
  assert.equal(applyEditsToText(text, [edit("f", [1, 6], [2, 1], " ")]), "alpha beta\ngamma\n");
  assert.equal(applyEditsToText(text, [edit("f", [4, 1], [4, 1], "delta\n")]), `${text}delta\n`);
  // Several edits apply against the original positions.
  assert.equal(
    applyEditsToText(text, [edit("f", [1, 1], [1, 1], "# top\n"), edit("f", [3, 1], [3, 6], "G")]),
    "# top\nalpha\nbeta\nG\n",
  );
});

test("an edit past the end of a line or file, or overlapping another, is refused", () => {
  const text = "ab\ncd\n";
  assert.equal(applyEditsToText(text, [edit("f", [1, 4], [1, 4], "x")]), null);
  assert.equal(applyEditsToText(text, [edit("f", [9, 1], [9, 1], "x")]), null);
  assert.equal(applyEditsToText(text, [edit("f", [1, 2], [1, 1], "x")]), null);
  assert.equal(
    applyEditsToText(text, [edit("f", [1, 1], [1, 3], "x"), edit("f", [1, 2], [2, 1], "y")]),
    null,
  );
});

test("fixes are kept or skipped whole; identical edits count once", (t) => {
  const root = tempProject(t, { "a.py": "one\ntwo\nthree\n", "b.py": "x\n" });
  const addImport = edit("a.py", [1, 1], [1, 1], "import os\n");
  const outcome = applyFixes(root, [
    fix(addImport, edit("a.py", [2, 1], [2, 4], "TWO")),
    fix(addImport, edit("a.py", [3, 1], [3, 6], "THREE")),
    // Overlaps the first fix's second edit: skipped, and its b.py edit with it.
    fix(edit("b.py", [1, 1], [1, 2], "y"), edit("a.py", [2, 2], [2, 3], "W")),
    fix(edit("../outside.py", [1, 1], [1, 1], "evil")),
    fix(edit("b.py", [5, 1], [5, 1], "z")),
  ]);
  assert.equal(readFileSync(join(root, "a.py"), "utf8"), "import os\none\nTWO\nTHREE\n");
  assert.equal(readFileSync(join(root, "b.py"), "utf8"), "x\n");
  assert.equal(outcome.applied.length, 2);
  assert.deepEqual(
    outcome.skipped.map((s) => s.reason),
    ["overlaps another fix in a.py", "cannot read ../outside.py", "edit outside b.py"],
  );
  assert.deepEqual(outcome.files, ["a.py"]);
});

test("scan --fix applies safe fixes only, reports them, and scans again", async (t) => {
  const root = tempProject(t, { "app.py": SAMPLE_APP });
  const r = await run(["scan", "--fix", "--format", "json"], root);
  const after = readFileSync(join(root, "app.py"), "utf8");
  // The safe TEST001 fix landed above /a; the suppressed /b finding was left alone.
  assert.match(after, /@protect\n@app\.route\("\/a"/);
  assert.equal(after.match(/@protect/g)?.length, 1);
  // The unsafe TEST002 fix was not applied without --unsafe-fixes.
  assert.match(after, /^DEBUG = True$/m);
  assert.match(r.stderr, /applied 1 fix in app\.py/);
  assert.match(r.stderr, /1 more fix can be applied with --unsafe-fixes/);
  // The report is the second scan's: the fixed finding is gone, the rest remain.
  const rules = JSON.parse(r.stdout).findings.map(
    (f: { rule: string; line: number }) => `${f.rule}:${f.line}`,
  );
  assert.deepEqual(rules, ["TEST002:3", "TEST001:12"]);
  assert.equal(r.code, 1);

  const unsafe = await run(["scan", "--fix", "--unsafe-fixes"], root);
  assert.match(readFileSync(join(root, "app.py"), "utf8"), /^DEBUG = False$/m);
  assert.equal(unsafe.code, 0);
  assert.match(unsafe.stdout, /No findings, 1 suppressed\./);
});
