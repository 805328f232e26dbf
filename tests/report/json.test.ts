/** The JSON renderer: the published schema, in its documented key order. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { renderJson } from "../../src/report/json.js";
import type { Report } from "../../src/report/types.js";
import { sampleReport } from "./fixture.js";
import { matchSnapshot } from "./snapshot.js";

test("JSON report matches the snapshot", () => {
  matchSnapshot("sample.json", renderJson(sampleReport()));
});

test("keys come in the documented order whatever order the input had", () => {
  const report = sampleReport();
  const finding = report.findings.find((f) => f.rule === "CSRF001")!;
  // Rebuild the finding and route with their keys reversed.
  const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
  const shuffled: Report = {
    ...report,
    findings: [{ ...reversed(finding), route: reversed(finding.route!) } as typeof finding],
  };
  const out = JSON.parse(renderJson(shuffled));
  assert.deepEqual(Object.keys(out), ["tool", "stats", "errors", "routes", "findings"]);
  assert.deepEqual(Object.keys(out.findings[0]), [
    "id",
    "rule",
    "name",
    "severity",
    "confidence",
    "message",
    "file",
    "line",
    "endLine",
    "column",
    "route",
    "evidence",
    "fix",
    "cwe",
    "owasp",
  ]);
  assert.deepEqual(Object.keys(out.findings[0].route), [
    "app",
    "blueprint",
    "path",
    "methods",
    "handler",
    "auth",
    "csrf",
    "dynamo",
  ]);
  assert.deepEqual(Object.keys(out.findings[0].fix.edits[0]), ["file", "start", "end", "text"]);
});

test("nothing outside the schema leaks into the output", () => {
  const report = sampleReport();
  (report.findings[0] as unknown as Record<string, unknown>).internal = "secret";
  (report as unknown as Record<string, unknown>).context = {};
  const out = renderJson(report);
  assert.doesNotMatch(out, /internal|context/);
  assert.deepEqual(JSON.parse(out), JSON.parse(renderJson(sampleReport())));
});

test("suppressed is kept, last, only where set", () => {
  const out = JSON.parse(renderJson(sampleReport()));
  const suppressed = out.findings.filter((f: Record<string, unknown>) => "suppressed" in f);
  assert.equal(suppressed.length, 1);
  assert.deepEqual(suppressed[0].suppressed, { kind: "inline", justification: "signed webhook" });
  assert.equal(Object.keys(suppressed[0]).at(-1), "suppressed");
});
