/**
 * File snapshots for the renderer tests: the expected output lives in `__snapshots__/NAME` and a
 * test fails when the rendering differs. `UPDATE_SNAPSHOTS=1` rewrites the files; review the diff
 * before committing it. A missing snapshot is a failure, not a silent first write, so CI cannot
 * pass on a snapshot nobody has looked at.
 */

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "__snapshots__");

export function matchSnapshot(name: string, actual: string): void {
  const file = join(DIR, name);
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(
    existsSync(file),
    `no snapshot ${name}; run the tests with UPDATE_SNAPSHOTS=1 and review it`,
  );
  assert.equal(actual, readFileSync(file, "utf8"), `output differs from the snapshot ${name}`);
}
