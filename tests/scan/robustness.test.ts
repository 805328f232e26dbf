/**
 * The scan pipeline on awkward trees: generated code deep enough to overflow recursive walks, a
 * scan root that is itself a package, namespace packages without `__init__.py`, and a package
 * named like a build-output folder. Each must keep every result the analysis can find.
 */

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { scan } from "../../src/scan.js";

const roots: string[] = [];
after(() => {
  for (const r of roots) {
    rmSync(r, { recursive: true, force: true });
  }
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "flaskguard-scan-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  return root;
}

const WRITER = `import boto3
from flask import Blueprint, session

bp = Blueprint("notes", __name__)
table = boto3.resource("dynamodb").Table("notes")


@bp.post("/notes")
def add_note():
    table.put_item(Item={"owner": session["uid"]})
    return "ok"
`;

test("a 3,000-term expression in a handler neither crashes the scan nor loses its findings", async () => {
  const terms = Array.from({ length: 3000 }, () => '"s"').join(" + ");
  const root = tree({
    "app.py": `import boto3
from flask import Flask, request, session

app = Flask(__name__)
table = boto3.resource("dynamodb").Table("t")


@app.post("/b")
def b():
    v = ${terms}
    table.put_item(Item={"v": v, "who": session["uid"], "note": request.form["note"]})
    return "ok"
`,
  });
  const { report } = await scan({ root });
  assert.deepEqual(report.errors, []);
  assert.ok(
    report.findings.some((f) => f.rule === "CSRF001"),
    "the route's CSRF finding is kept",
  );
});

test("a scan root that is a package resolves its relative imports", async () => {
  const root = tree({
    "__init__.py": `from flask import Flask

from .notes import bp

app = Flask(__name__)
app.register_blueprint(bp, url_prefix="/api")
`,
    "notes.py": WRITER,
  });
  const { report } = await scan({ root });
  assert.deepEqual(
    report.routes.map((r) => `${r.methods.join(",")} ${r.path}`),
    ["POST /api/notes"],
  );
});

test("folders without __init__.py import each other as namespace packages", async () => {
  const root = tree({
    "web/app.py": `from flask import Flask
from web.notes import bp

app = Flask(__name__)
app.register_blueprint(bp)
`,
    "web/notes.py": WRITER,
  });
  const { report } = await scan({ root });
  assert.deepEqual(
    report.routes.map((r) => r.path),
    ["/notes"],
  );
});

test("a package named build is project code; a build folder without __init__.py is not", async () => {
  const root = tree({
    "ci/__init__.py": `from flask import Flask
from .build.notes import bp

app = Flask(__name__)
app.register_blueprint(bp)
`,
    "ci/build/__init__.py": "",
    "ci/build/notes.py": WRITER,
    "build/lib/copy.py": WRITER,
  });
  const { report } = await scan({ root });
  assert.deepEqual(
    report.routes.map((r) => r.handler.file),
    ["ci/build/notes.py"],
  );
});
