/**
 * Where the test suites find things: the repository root, computed from this file's location so
 * the tests run the same from any working directory.
 */

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const KNOWN_GAPS_FILE = join(REPO_ROOT, "tests/known-gaps.json");
