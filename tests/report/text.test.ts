/** The terminal renderer: snapshot without colour, and the behaviours the snapshot relies on. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { renderText } from "../../src/report/text.js";
import { readSource, sampleReport } from "./fixture.js";
import { matchSnapshot } from "./snapshot.js";

test("text report matches the snapshot", () => {
  matchSnapshot("sample.txt", renderText(sampleReport(), { color: false, source: readSource }));
});

test("suppressed findings are counted, not shown", () => {
  const out = renderText(sampleReport(), { color: false, source: readSource });
  assert.doesNotMatch(out, /POST \/hook writes/);
  assert.match(out, /3 findings \(1 critical, 1 high, 1 low\), 1 suppressed\./);
});

test("colour codes appear only when asked for", () => {
  const plain = renderText(sampleReport(), { color: false, source: readSource });
  const coloured = renderText(sampleReport(), { color: true, source: readSource });
  const esc = String.fromCharCode(27);
  assert.ok(!plain.includes(esc));
  assert.ok(coloured.includes(`${esc}[31m`));
  assert.equal(coloured.replace(new RegExp(`${esc}\\[\\d+m`, "g"), ""), plain);
});

test("quiet leaves out the summary line", () => {
  const out = renderText(sampleReport(), { color: false, source: readSource, quiet: true });
  assert.doesNotMatch(out, /Scanned/);
  assert.match(out, /SECRET001/);
});

test("an empty report says so in one line", () => {
  const report = { ...sampleReport(), findings: [], errors: [] };
  assert.equal(
    renderText(report, { color: false, source: readSource }),
    "No findings. Scanned 4 files, 21 lines in 1.23s.\n",
  );
});

test("a fix whose file cannot be read is shown as a plain replacement", () => {
  const out = renderText(sampleReport(), { color: false, source: () => undefined });
  assert.match(
    out,
    /app\/__init__\.py:1:24-1:24 replace with "\\nfrom flask_wtf\.csrf import CSRFProtect"/,
  );
});
