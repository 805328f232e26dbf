/**
 * Snapshots of the bundled example's report in text, JSON and SARIF, produced by the real scan
 * pipeline and every rule: a change in any model, rule or renderer shows up here as a reviewable
 * diff (`UPDATE_SNAPSHOTS=1 npm test` rewrites them). Volatile fields (version, durations) are
 * redacted; paths are already relative to the scanned root.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv-draft-04";
import formatsModule from "ajv-formats";
import { renderJson } from "../../src/report/json.js";
import { renderSarif } from "../../src/report/sarif.js";
import { diskSourceReader } from "../../src/report/source.js";
import { renderText } from "../../src/report/text.js";
import type { Report } from "../../src/report/types.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { scan } from "../../src/scan.js";
import { matchSnapshot } from "./snapshot.js";

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "vulnerable");

function redact(report: Report): Report {
  return {
    ...report,
    tool: { ...report.tool, version: "0.0.0" },
    stats: { ...report.stats, durationMs: 0 },
  };
}

const report = redact((await scan({ root: ROOT })).report);

test("the example's text report matches its snapshot", () => {
  const text = renderText(report, { color: false, source: diskSourceReader(ROOT) });
  matchSnapshot("example.txt", text);
});

test("the example's JSON report matches its snapshot", () => {
  matchSnapshot("example.json", renderJson(report));
});

test("the example's SARIF matches its snapshot and the SARIF 2.1.0 schema", () => {
  const sarif = renderSarif(report, { rules: ALL_RULES });
  matchSnapshot("example.sarif", sarif);
  const Ajv = AjvModule.default;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  formatsModule.default(ajv);
  const schema = JSON.parse(
    readFileSync(
      require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"),
      "utf8",
    ),
  );
  const validate = ajv.compile(schema);
  assert.ok(validate(JSON.parse(sarif)), ajv.errorsText(validate.errors));
});

test("the example reports the planted problems and nothing on its fixed twin", async () => {
  assert.ok(report.findings.length > 10, "the vulnerable example has planted findings");
  const fixed = (await scan({ root: join(ROOT, "..", "fixed") })).report;
  const notes = fixed.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`);
  assert.deepEqual(notes, [], "the fixed example scans clean");
});
