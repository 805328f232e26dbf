/**
 * The SARIF renderer: snapshot, validity against the SARIF 2.1.0 JSON schema (the rtm.5 schema
 * Microsoft's SARIF SDK ships in @microsoft/jest-sarif), and the mappings code-scanning services
 * depend on: levels, security-severity, CWE tags, fingerprints, code flows, fixes, suppressions.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import AjvModule from "ajv-draft-04";
import formatsModule from "ajv-formats";
import type * as Sarif from "sarif";
import { buildSarif, renderSarif } from "../../src/report/sarif.js";
import { SAMPLE_RULES, sampleReport } from "./fixture.js";
import { matchSnapshot } from "./snapshot.js";

const require = createRequire(import.meta.url);
// Both packages are CommonJS modules whose exports object is also reachable as `.default`, which
// is what their typings describe under NodeNext resolution.
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;
const schema = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
);
// The schema's own pattern for `language` ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") has a stray
// "]" that is legal only without the u flag, and it uses keywords Ajv's strict mode does not know.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function log(): Sarif.Log {
  return buildSarif(sampleReport(), { rules: SAMPLE_RULES, root: "/project" });
}

test("SARIF matches the snapshot", () => {
  matchSnapshot(
    "sample.sarif",
    renderSarif(sampleReport(), { rules: SAMPLE_RULES, root: "/project" }),
  );
});

test("SARIF is valid against the SARIF 2.1.0 schema", () => {
  const sarif = JSON.parse(renderSarif(sampleReport(), { rules: SAMPLE_RULES, root: "/project" }));
  assert.ok(validate(sarif), ajv.errorsText(validate.errors));
});

test("the schema check rejects an invalid log, so a pass means something", () => {
  const sarif = JSON.parse(JSON.stringify(log()));
  sarif.runs[0].results[0].level = "fatal";
  assert.equal(validate(sarif), false);
});

test("rules carry help, CWE tags and security-severity, and link to no made-up page", () => {
  const rules = log().runs[0]!.tool.driver.rules!;
  const csrf = rules.find((r) => r.id === "CSRF001")!;
  assert.deepEqual(csrf.properties?.tags, ["security", "external/cwe/cwe-352"]);
  assert.equal(csrf.properties?.["security-severity"], "8.0");
  assert.equal(csrf.defaultConfiguration?.level, "error");
  assert.match(csrf.help!.markdown!, /## Use instead\n\n```python\ncsrf = CSRFProtect\(app\)\n```/);
  // The docs ship with the tool: no helpUri, no informationUri, only the rule's own references.
  assert.equal(csrf.helpUri, undefined);
  assert.equal(log().runs[0]!.tool.driver.informationUri, undefined);
  const urls = JSON.stringify(log()).match(/https?:\/\/[^\s"'\\)\]]+/g) ?? [];
  assert.deepEqual([...new Set(urls)].sort(), [
    "https://json.schemastore.org/sarif-2.1.0.json",
    "https://owasp.org/www-community/attacks/csrf",
  ]);
  const secret = rules.find((r) => r.id === "SECRET001")!;
  assert.equal(secret.properties?.["security-severity"], "9.5");
});

test("each result points at its rule, with level mapped from severity", () => {
  const run = log().runs[0]!;
  const rules = run.tool.driver.rules!;
  const levels = run.results!.map((r) => [r.ruleId, r.level]);
  assert.deepEqual(levels, [
    ["SECRET001", "error"],
    ["ERR001", "note"],
    ["CSRF001", "error"],
    ["CSRF001", "error"],
  ]);
  for (const r of run.results!) {
    assert.equal(rules[r.ruleIndex!]!.id, r.ruleId);
  }
});

test("locations are relative to %SRCROOT% and percent-encoded", () => {
  const run = log().runs[0]!;
  const odd = run.results!.find((r) => r.ruleId === "ERR001")!;
  assert.deepEqual(odd.locations![0]!.physicalLocation!.artifactLocation, {
    uri: "app/odd%20%3Cname%3E.py",
    uriBaseId: "%SRCROOT%",
  });
  assert.deepEqual(odd.locations![0]!.physicalLocation!.region, {
    startLine: 3,
    endLine: 3,
    startColumn: 5,
  });
  assert.equal(run.originalUriBaseIds?.["%SRCROOT%"]?.uri, "file:///project/");
});

test("evidence becomes related locations, and a code flow from two steps on", () => {
  const results = log().runs[0]!.results!;
  const csrf = results.find(
    (r) => r.partialFingerprints?.["flaskguard/v1"] === "aaaa000000000002",
  )!;
  assert.deepEqual(
    csrf.relatedLocations!.map((l) => [
      l.id,
      l.physicalLocation?.region?.startLine,
      l.message?.text,
    ]),
    [
      [1, 7, "identity read from the session cookie"],
      [2, 8, "update_item writes table users"],
    ],
  );
  assert.equal(csrf.codeFlows![0]!.threadFlows[0]!.locations.length, 2);
  const secret = results.find((r) => r.ruleId === "SECRET001")!;
  assert.equal(secret.relatedLocations!.length, 1);
  assert.equal(secret.codeFlows, undefined);
});

test("fixes carry their edits as replacements; fixes without edits are left out", () => {
  const results = log().runs[0]!.results!;
  const csrf = results.find(
    (r) => r.partialFingerprints?.["flaskguard/v1"] === "aaaa000000000002",
  )!;
  const change = csrf.fixes![0]!.artifactChanges[0]!;
  assert.equal(change.artifactLocation.uri, "app/__init__.py");
  assert.deepEqual(change.replacements[1], {
    deletedRegion: { startLine: 3, startColumn: 22, endLine: 3, endColumn: 22 },
    insertedContent: { text: "\ncsrf = CSRFProtect(app)" },
  });
  assert.equal(results.find((r) => r.ruleId === "SECRET001")!.fixes, undefined);
});

test("suppressed findings carry a suppression; file errors become notifications", () => {
  const run = log().runs[0]!;
  const suppressed = run.results!.filter((r) => r.suppressions);
  assert.deepEqual(
    suppressed.map((r) => r.suppressions),
    [[{ kind: "inSource", status: "accepted", justification: "signed webhook" }]],
  );
  const invocation = run.invocations![0]!;
  assert.equal(invocation.executionSuccessful, true);
  assert.deepEqual(
    invocation.toolExecutionNotifications!.map((n) => n.message.text),
    ["syntax error: unexpected ')' at line 3"],
  );
});
