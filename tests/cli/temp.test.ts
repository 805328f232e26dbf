/** The temporary projects of the CLI tests are removed when their test ends. */

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempProject } from "./helpers.js";

test("a temporary project is gone once its test has ended", async (t) => {
  let root = "";
  await t.test("a test with a project", (st) => {
    root = tempProject(st, { "app.py": "x = 1\n", "pkg/mod.py": "" });
    assert.ok(existsSync(join(root, "pkg", "mod.py")));
  });
  assert.notEqual(root, "");
  assert.equal(existsSync(root), false, `${root} is left behind`);
});
