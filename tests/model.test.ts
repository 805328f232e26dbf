/**
 * The Flask model on its own: each fixture under `tests/model/` (a `.py` file or a folder app) is
 * scanned and its route inventory checked against the `# $` annotations in its comments (see
 * `tests/harness/model.ts` for the vocabulary). These tests need no rule; they pin down how
 * apps, blueprints, prefixes, methods, auth, CSRF defences and DynamoDB operations are modelled.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Report } from "../src/report/types.js";
import { entryTextFiles, listEntries, scanEntry } from "./harness/entries.js";
import { judgeModelAnnotation, parseModelFiles } from "./harness/model.js";
import { emit, fail, PASS } from "./harness/outcome.js";
import { REPO_ROOT } from "./harness/paths.js";

const MODEL = join(REPO_ROOT, "tests/model");
const entries = existsSync(MODEL) ? listEntries(MODEL, "model") : [];

if (entries.length === 0) {
  test("flask model fixtures", { skip: `no fixtures under ${MODEL}` });
}

for (const entry of entries) {
  test(entry.name, async (t) => {
    const { annotations, problems } = parseModelFiles(entryTextFiles(entry));
    await emit(t, `${entry.name} annotations`, () => {
      const all = [...problems];
      if (annotations.length === 0) {
        all.push("no `# $` annotation: the fixture checks nothing");
      }
      return all.length === 0 ? PASS : fail(all.join("\n"));
    });

    let report: Report;
    try {
      report = await scanEntry(entry);
    } catch (error) {
      await emit(t, `${entry.name} scan`, () => fail(`the scan threw: ${String(error)}`));
      return;
    }
    for (const a of annotations) {
      const where = entry.isFile ? `${entry.name}:${a.line}` : `${entry.name} ${a.file}:${a.line}`;
      await emit(t, `${where} ${a.text}`, () => judgeModelAnnotation(a, report.routes));
    }
  });
}
