/**
 * SECRET002 in settings files that cannot carry `# expect:` annotations (JSON), scanned from a
 * temporary project: the finding's file, line and severity, placeholders left alone, and the
 * key never printed whole. Also the value judgement on its own, and the text-file reader.
 */

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import type { Report } from "../../src/report/types.js";
import { isAccessKeyId, isSecretAccessKey, keysInText } from "../../src/rules/secrets/aws-keys.js";
import { scan } from "../../src/scan.js";

async function scanFiles(files: Record<string, string>): Promise<Report> {
  const root = mkdtempSync(join(tmpdir(), "flaskguard-secret002-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return (await scan({ root, select: ["SECRET002"] })).report;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const ZAPPA = `{
    "production": {
        "app_function": "wsgi.app",
        "aws_region": "eu-west-1",
        "aws_environment_variables": {
            "ORDERS_TABLE": "orders",
            "ARCHIVE_AWS_ACCESS_KEY_ID": "AKIAH746OFZ4OO2ZI6S9",
            "ARCHIVE_AWS_SECRET_ACCESS_KEY": "nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3"
        }
    },
    "dev": {
        "aws_environment_variables": {
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        }
    }
}
`;

const SETTINGS = `{"aws": {"access_key_id": "<set me>", "secret_access_key": "changeme"},
 "uploads": {"secret_access_key": "Y1tKWwdFpB06wb204eB4gbqWxGXV356j+MNV+F0P"}}
`;

test("zappa_settings.json: the pair is one critical finding on the id's line", async () => {
  const report = await scanFiles({ "wsgi.py": "app = None\n", "zappa_settings.json": ZAPPA });
  const found = report.findings.filter((f) => f.rule === "SECRET002");
  assert.equal(found.length, 1, JSON.stringify(found, null, 2));
  const [f] = found;
  assert.equal(f?.file, "zappa_settings.json");
  assert.equal(f?.line, 7);
  assert.equal(f?.severity, "critical");
  assert.deepEqual(
    f?.evidence.map((e) => [e.file, e.line]),
    [["zappa_settings.json", 8]],
  );
  assert.ok(!f?.message.includes("nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3"), f?.message);
  assert.ok(!f?.message.includes("AKIAH746OFZ4OO2ZI6S9"), f?.message);
  assert.match(f?.message ?? "", /id …I6S9, secret …A5m3/);
});

test("a settings JSON: placeholders are not keys, a lone secret under an AWS name is high", async () => {
  const report = await scanFiles({ "config/settings.json": SETTINGS });
  const found = report.findings.filter((f) => f.rule === "SECRET002");
  assert.deepEqual(
    found.map((f) => [f.file, f.line, f.severity]),
    [["config/settings.json", 2, "high"]],
  );
});

test("value judgement: real-looking keys against placeholders and look-alikes", () => {
  assert.ok(isAccessKeyId("AKIAH746OFZ4OO2ZI6S9"));
  assert.ok(isAccessKeyId("ASIAH746OFZ4OO2ZI6S9"));
  for (const id of [
    "AKIAIOSFODNN7EXAMPLE",
    "AKIAXXXXXXXXXXXXXXXX",
    "AKIA0000000000000000",
    "akiah746ofz4oo2zi6s9",
    "AKIAH746OFZ4OO2ZI6S",
  ]) {
    assert.ok(!isAccessKeyId(id), id);
  }
  assert.ok(isSecretAccessKey("nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3"));
  for (const secret of [
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "3f786850e387550fdab836ed7e6dc881de23001b",
    "testing",
    "nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3x",
  ]) {
    assert.ok(!isSecretAccessKey(secret), secret);
  }
});

test("text files: ids anywhere, secrets by name or beside an id", () => {
  const env =
    "export AWS_ACCESS_KEY_ID=AKIAH746OFZ4OO2ZI6S9\nexport UPLOAD_SECRET='nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3'\n";
  assert.deepEqual(
    keysInText(env).map((k) => [k.kind, k.name, k.line]),
    [
      ["id", "AWS_ACCESS_KEY_ID", 1],
      ["secret", "UPLOAD_SECRET", 2],
    ],
  );
  // Without an id in the file, a secret-shaped value needs a name that says AWS.
  assert.deepEqual(keysInText("UPLOAD_SECRET=nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3\n"), []);
  assert.deepEqual(
    keysInText("ENV AWS_SECRET_ACCESS_KEY nHFW1WZ83t9R1pjRiRVaqqaoILAOM4LllAmaA5m3\n").map(
      (k) => k.line,
    ),
    [1],
  );
});
