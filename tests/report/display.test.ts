/**
 * Source as reports display it: AWS-looking secrets masked and long lines cut, in the code frames
 * and fix diffs of the text and HTML reports, while the findings and files keep the real text.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { clipLine, MAX_DISPLAY_CHARS, maskSecrets } from "../../src/report/display.js";
import { renderHtml } from "../../src/report/html.js";
import { renderJson } from "../../src/report/json.js";
import { renderSarif } from "../../src/report/sarif.js";
import { codeFrame, editHunk } from "../../src/report/source.js";
import { renderText } from "../../src/report/text.js";
import type { Finding, Report } from "../../src/report/types.js";

const ID = "AKIAZ8QF0GPK40JRDQA0";
const SECRET = "CEwFmWnDIij2E49Xl9nlbiEYYdbx603K7HsxTmUH";

const BOTO = [
  "import boto3",
  "",
  "client = boto3.client(",
  '    "dynamodb",',
  `    aws_access_key_id="${ID}",`,
  `    aws_secret_access_key="${SECRET}",`,
  ")",
  "",
].join("\n");

function secretFinding(): Finding {
  return {
    id: "bbbb000000000001",
    rule: "SECRET002",
    name: "hardcoded-aws-credentials",
    severity: "critical",
    confidence: "high",
    message: "An AWS access key pair (id …DQA0, secret …TmUH) is written in app.py.",
    file: "app.py",
    line: 5,
    endLine: 5,
    column: 5,
    route: null,
    evidence: [{ file: "app.py", line: 6, note: "its secret access key (…TmUH)" }],
    fix: {
      description: "Let boto3 take credentials from the environment.",
      applicability: "unsafe",
      edits: [
        {
          file: "app.py",
          start: { line: 5, column: 5 },
          end: { line: 6, column: 69 },
          text: "# credentials come from the environment",
        },
      ],
    },
    cwe: ["CWE-798"],
    owasp: [],
  };
}

function reportOf(findings: Finding[]): Report {
  return {
    tool: { name: "flaskguard", version: "0.0.0-test" },
    stats: { files: 1, lines: 8, parseErrors: 0, durationMs: 1 },
    errors: [],
    routes: [],
    findings,
  };
}

test("keys in code frames and fix diffs are masked in text and HTML, keeping the last 4", () => {
  const report = reportOf([secretFinding()]);
  const source = (file: string) => (file === "app.py" ? BOTO : undefined);
  const text = renderText(report, { color: false, source });
  const html = renderHtml(report, { source });
  for (const [format, out] of [
    ["text", text],
    ["html", html],
  ] as const) {
    assert.ok(!out.includes(ID), `${format} shows the access key id`);
    assert.ok(!out.includes(SECRET), `${format} shows the secret access key`);
    assert.ok(!out.includes(SECRET.slice(0, 20)), `${format} shows part of the secret`);
    assert.match(out, /aws_access_key_id=(&#34;|")AKIA\*{12}DQA0/, format);
    assert.match(out, /aws_secret_access_key=(&#34;|")\*{36}TmUH/, format);
  }
  // Both the frame (marked line 5, context line 6) and the fix's removed lines are masked.
  assert.match(text, /> 5 \| {5}aws_access_key_id="AKIA\*{12}DQA0",/);
  assert.match(text, /- {5}aws_secret_access_key="\*{36}TmUH",/);
  // Masking is for display only: JSON keeps the finding as the rule wrote it, and SARIF carries
  // no source text at all.
  assert.ok(renderJson(report).includes("(id …DQA0, secret …TmUH)"));
  assert.ok(!renderSarif(report, { rules: [] }).includes(SECRET));
});

test("a secret counts beside an access key id, on its line or the next, or under a secret name", () => {
  const masked = (line: string, neighbours: string[] = []) => maskSecrets(line, neighbours);
  const stars = `${"*".repeat(36)}TmUH`;
  // Beside an id on the same line, named or not.
  assert.equal(masked(`Key("${ID}", "${SECRET}")`), `Key("AKIA************DQA0", "${stars}")`);
  // On the line after the id.
  assert.equal(masked(`    "${SECRET}",`, [`    "${ID}",`, ")"]), `    "${stars}",`);
  // Under names that say secret, in code, .env and JSON.
  assert.equal(masked(`AWS_SECRET_ACCESS_KEY=${SECRET}`), `AWS_SECRET_ACCESS_KEY=${stars}`);
  assert.equal(masked(`"SecretAccessKey": "${SECRET}"`), `"SecretAccessKey": "${stars}"`);
  assert.equal(masked(`aws_secret_access_key = ${SECRET}`), `aws_secret_access_key = ${stars}`);
  // Temporary (ASIA) ids too.
  assert.equal(masked('key_id = "ASIAQ7NLEX3PZ4WYRT2M"'), 'key_id = "ASIA************RT2M"');
});

test("forty-character values with no key or secret name nearby are shown as written", () => {
  const sha = "9fceb02d0ae598e95dc970b74767f19372d61af8";
  for (const line of [
    `COMMIT = "${sha}"`,
    `TOKEN_CHARS = "${SECRET}"`,
    `blob = "${SECRET}A"`,
    "x = 1",
  ]) {
    assert.equal(maskSecrets(line, ["", ""]), line);
  }
  assert.equal(
    maskSecrets(`COMMIT = "${sha}"`, [`ID = "${ID}"`]).endsWith(`${sha.slice(-4)}"`),
    true,
  );
});

test("long lines are cut at about 200 characters with an ellipsis", () => {
  assert.equal(clipLine("short"), "short");
  const long = `x = "${"a".repeat(200_000)}"`;
  const cut = clipLine(long);
  assert.equal(cut.length, MAX_DISPLAY_CHARS + 1);
  assert.ok(cut.endsWith("…"));
  // Never half of a character outside the BMP.
  const emoji = `${"a".repeat(MAX_DISPLAY_CHARS - 1)}😀😀`;
  assert.equal(clipLine(emoji), `${"a".repeat(MAX_DISPLAY_CHARS - 1)}…`);

  // A secret straddling the cut is masked before the line is cut, so no part of it shows.
  const straddling = `${"#".repeat(180)} secret=${SECRET}`;
  assert.ok(!codeFrame(straddling, 1, 1)[0]!.text.includes(SECRET.slice(0, 8)));
});

test("a report of a finding on a 200,000-character line stays small", () => {
  const huge = `from flask import Flask\nDATA = "${"A".repeat(200_000)}"\n`;
  const finding: Finding = {
    ...secretFinding(),
    line: 2,
    endLine: 2,
    fix: {
      description: "Shorten it.",
      applicability: "manual",
      edits: [
        { file: "app.py", start: { line: 2, column: 1 }, end: { line: 2, column: 5 }, text: "D" },
      ],
    },
  };
  const report = reportOf([finding]);
  const source = () => huge;
  const text = renderText(report, { color: false, source });
  const html = renderHtml(report, { source });
  assert.ok(text.length < 5_000, `text report is ${text.length} characters`);
  assert.ok(html.length < 20_000, `HTML report is ${html.length} characters`);
  const frame = codeFrame(huge, 2, 2);
  assert.ok(frame.every((l) => l.text.length <= MAX_DISPLAY_CHARS + 1));
  const hunk = editHunk(huge, finding.fix!.edits[0]!);
  assert.ok(hunk!.removed.every((l) => l.length <= MAX_DISPLAY_CHARS + 1));
  assert.ok(hunk!.added.every((l) => l.length <= MAX_DISPLAY_CHARS + 1));
});
