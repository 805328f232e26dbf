/**
 * CORS001 severity and message, which fixture annotations do not pin: critical when the app
 * writes with cookie authentication, medium when the session cookie is SameSite=Lax (browsers
 * keep it off cross-site requests), high otherwise.
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Finding } from "../../src/report/types.js";
import { scan } from "../../src/scan.js";

async function corsFindings(source: string): Promise<Finding[]> {
  const root = mkdtempSync(join(tmpdir(), "flaskguard-cors001-"));
  try {
    writeFileSync(join(root, "app.py"), source);
    const { report } = await scan({ root, select: ["CORS001"] });
    return report.findings.filter((f) => f.rule === "CORS001");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const app = (extraConfig: string) => `import boto3
from flask import Flask, request, session
from flask_cors import CORS

app = Flask(__name__)
${extraConfig}
CORS(app, supports_credentials=True)
notes = boto3.resource("dynamodb").Table("notes")


@app.post("/notes")
def add_note():
    notes.put_item(Item={"owner": session["uid"], "text": request.form["text"]})
    return "", 201
`;

test("cookie-authenticated writes make it critical", async () => {
  const found = await corsFindings(app(""));
  assert.deepEqual(
    found.map((f) => [f.line, f.severity]),
    [[7, "critical"]],
  );
  assert.match(found[0]?.message ?? "", /default `\*`/);
});

test("a SameSite=Lax session cookie lowers it to medium and says why", async () => {
  const found = await corsFindings(app('app.config["SESSION_COOKIE_SAMESITE"] = "Lax"'));
  assert.deepEqual(
    found.map((f) => [f.line, f.severity]),
    [[7, "medium"]],
  );
  assert.match(found[0]?.message ?? "", /SameSite=Lax/);
});

test("without cookie-authenticated writes it stays high", async () => {
  const found = await corsFindings(`from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=[r"https://.*\\.example\\.com"], supports_credentials=True)
`);
  assert.deepEqual(
    found.map((f) => [f.line, f.severity]),
    [[5, "high"]],
  );
  assert.match(found[0]?.message ?? "", /no closing `\$`/);
});
