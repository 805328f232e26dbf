/**
 * The parse stage on temporary trees: bad files (not UTF-8, binary, over the size limit,
 * unreadable, too deeply nested) become error entries while the rest is parsed; syntax errors stay
 * on the module; the relevance closure converts exactly the files the analysis needs; and the
 * worker pool gives the same result as parsing in-process.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";
import { discover } from "../../src/discover/index.js";
import { parseFiles } from "../../src/parse/index.js";
import type { ParseResult } from "../../src/parse/types.js";
import { lock, makeTree, permissionSkipReason, type TreeSpec } from "../discover/tree.js";

async function parseTree(root: string, options: Parameters<typeof parseFiles>[1] = {}) {
  return parseFiles(discover(root).files, options);
}

const converted = (r: ParseResult) => r.modules.map((m) => m.path);
const skipped = (r: ParseResult) => r.skipped.map((m) => m.path);

test("a file that is not UTF-8 is an error entry and the other files are still parsed", async (t) => {
  const root = makeTree(t, {
    "good.py": "x = 1\n",
    "latin.py": Buffer.concat([
      Buffer.from("# -*- coding: latin-1 -*-\nname = '"),
      Buffer.from([0xe9]),
      Buffer.from("'\n"),
    ]),
  });

  const result = await parseTree(root);

  assert.deepEqual(skipped(result), ["good.py"]);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.file, "latin.py");
  assert.match(result.errors[0]!.message, /not valid UTF-8 at line 2/);
  assert.match(result.errors[0]!.message, /coding: latin-1/);
});

test("a UTF-8 byte order mark is accepted and removed", async (t) => {
  const root = makeTree(t, {
    "app.py": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("import flask\n")]),
  });

  const result = await parseTree(root);

  assert.deepEqual(result.errors, []);
  assert.equal(result.modules[0]!.source, "import flask\n");
});

test("a binary file named .py is an error entry", async (t) => {
  const root = makeTree(t, {
    "blob.py": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x00, 0x01]),
    "ok.py": "pass\n",
  });

  const result = await parseTree(root);

  assert.deepEqual(skipped(result), ["ok.py"]);
  assert.deepEqual(result.errors, [
    { file: "blob.py", message: "binary file (NUL byte at line 1), not source text; skipped" },
  ]);
});

test("a 10 MB file is an error entry (over the limit) and the scan goes on", async (t) => {
  const big = Buffer.alloc(10 * 1024 * 1024, "x = 1\n");
  const root = makeTree(t, { "generated.py": big, "app.py": "from flask import Flask\n" });

  const result = await parseTree(root);

  assert.deepEqual(converted(result), ["app.py"]);
  assert.deepEqual(result.errors, [
    {
      file: "generated.py",
      message: "file is 10.0 MB, over the 5.0 MB limit for analysis; skipped",
    },
  ]);
});

test("an unreadable file is an error entry", async (t) => {
  const root = makeTree(t, { "secret.py": "KEY = 1\n", "ok.py": "pass\n" });
  lock(join(root, "secret.py"));
  const skip = permissionSkipReason(join(root, "secret.py"));
  if (skip) {
    t.skip(skip);
    return;
  }

  const result = await parseTree(root);

  assert.deepEqual(skipped(result), ["ok.py"]);
  assert.deepEqual(result.errors, [
    { file: "secret.py", message: "could not read file: permission denied" },
  ]);
});

test("syntax errors are kept on the module, converted or not", async (t) => {
  const root = makeTree(t, {
    "views.py": "from flask import Flask\ndef broken(:\n    pass\n",
    "broken.py": "x = 1\nclass (:\n",
  });

  const result = await parseTree(root);

  assert.deepEqual(result.errors, []);
  const views = result.modules.find((m) => m.path === "views.py")!;
  assert.ok(views.syntaxErrors.length > 0);
  assert.equal(views.syntaxErrors[0]!.line, 2);
  assert.ok(views.root.children.length > 0, "the tree is kept");
  const broken = result.skipped.find((m) => m.path === "broken.py")!;
  assert.ok(broken.syntaxErrors.length > 0);
  assert.equal(broken.syntaxErrors[0]!.line, 2);
});

test("a tree too deep to convert is an error entry, in-process and on workers", async (t) => {
  const deep = `import flask\nx = ${Array.from({ length: 200_000 }, () => "1").join(" + ")}\n`;
  const root = makeTree(t, { "deep.py": deep, "a.py": "import flask\n", "b.py": "pass\n" });

  for (const jobs of [1, 2]) {
    const result = await parseTree(root, { jobs });

    assert.deepEqual(converted(result), ["a.py"], `jobs=${jobs}`);
    assert.deepEqual(skipped(result), ["b.py"], `jobs=${jobs}`);
    assert.equal(result.errors[0]?.file, "deep.py", `jobs=${jobs}`);
    assert.match(result.errors[0]!.message, /too deeply nested/);
  }
});

test("an empty file list gives an empty result", async () => {
  assert.deepEqual(await parseFiles([]), { modules: [], skipped: [], errors: [], workers: 0 });
});

/** A small Flask project next to code that has nothing to do with it. */
const PROJECT: TreeSpec = {
  "run.py": "from shop import create_app\napp = create_app()\n",
  "config.py": "class Production:\n    DEBUG = False\n",
  "loaders.py": "def load():\n    app.config.from_object('myconf.Production')\n",
  "myconf.py": "class Production:\n    SECRET_KEY = 'x'\n",
  "shop/__init__.py": "from flask import Flask\nfrom .views import bp\n",
  "shop/views.py":
    "from flask import Blueprint\nfrom . import helpers\nbp = Blueprint('b', __name__)\n",
  "shop/helpers.py": "from shop.storage import table\n",
  "shop/storage.py": "def table():\n    return None\n",
  "shop/settings_loader.py":
    "def f():\n    from flask import current_app\n    current_app.config.from_object('myconf.Production')\n",
  "shop/unused.py": "import json\n",
  "tools/report.py": "import csv\nimport os\n",
  "tools/lazy.py":
    "def g():\n    try:\n        import boto3\n    except ImportError:\n        pass\n",
};

test("the relevance closure converts what the analysis needs and skips the rest", async (t) => {
  const root = makeTree(t, PROJECT);

  const result = await parseTree(root);

  assert.deepEqual(converted(result), [
    "config.py", // settings module beside a Flask package
    "myconf.py", // named by a from_object string in a Flask module
    "run.py", // imports a Flask module
    "shop/__init__.py",
    "shop/helpers.py", // imported by a Flask module
    "shop/settings_loader.py", // imports Flask inside a function
    "shop/storage.py", // imported by a helper, transitively
    "shop/views.py",
    "tools/lazy.py", // imports boto3 inside try, inside a function
  ]);
  assert.deepEqual(skipped(result), ["loaders.py", "shop/unused.py", "tools/report.py"]);
  const report = result.skipped.find((m) => m.path === "tools/report.py")!;
  assert.deepEqual(report.imports, ["csv", "os"]);
  assert.equal(report.lines, 3);
  const views = result.modules.find((m) => m.path === "shop/views.py")!;
  assert.equal(views.root.children[0]!.parent, views.root, "parent links are restored");
});

test("a tree that never imports a modelled library converts nothing", async (t) => {
  const root = makeTree(t, {
    "a.py": "import os\nfrom . import b\n",
    "b.py": "'''\nimport flask\n'''\n# import boto3\ns = 'from flask import Flask'\n",
    "config.py": "DEBUG = True\n",
  });

  const result = await parseTree(root);

  assert.deepEqual(converted(result), []);
  assert.deepEqual(skipped(result), ["a.py", "b.py", "config.py"]);
});

test("parse-only and convert-all modes", async (t) => {
  const root = makeTree(t, PROJECT);

  const only = await parseTree(root, { mode: "parse-only" });
  const all = await parseTree(root, { mode: "convert-all" });

  assert.equal(only.modules.length, 0);
  assert.equal(only.skipped.length, Object.keys(PROJECT).length);
  assert.equal(all.modules.length, Object.keys(PROJECT).length);
  const lines = (r: ParseResult) => [...r.modules, ...r.skipped].reduce((n, m) => n + m.lines, 0);
  assert.equal(lines(only), lines(all));
});

test("jobs=1 and jobs=2 give the same modules, skipped files and errors", async (t) => {
  const spec: TreeSpec = { ...PROJECT, "bad.py": Buffer.from([0xff, 0xfe, 0x00]) };
  for (let i = 0; i < 12; i++) {
    spec[`shop/routes_${i}.py`] =
      `from flask import request\nfrom .helpers import *\n\ndef view_${i}(x):\n    return {"n": x + ${i}}\n`;
  }
  const root = makeTree(t, spec);

  const inProcess = await parseTree(root, { jobs: 1 });
  const pooled = await parseTree(root, { jobs: 2 });

  assert.equal(inProcess.workers, 0);
  assert.equal(pooled.workers, 2, "the pool really ran");
  assert.equal(digest(pooled), digest(inProcess));
  assert.equal(inProcess.modules.length, 21);
  assert.equal(inProcess.errors.length, 1);
});

test("a file that outlasts the time limit is an error entry and the pool goes on", async (t) => {
  const big = `import flask\n${"def f(a, b):\n    return [a + b for a in range(b) if a]\n".repeat(20_000)}`;
  const spec: TreeSpec = { "big.py": big };
  for (let i = 0; i < 6; i++) {
    spec[`small_${i}.py`] = "pass\n";
  }
  const root = makeTree(t, spec);

  const result = await parseTree(root, { jobs: 2, timeoutMs: 1 });

  const big_ = result.errors.find((e) => e.file === "big.py");
  assert.equal(big_?.message, "parsing took longer than 1 ms; skipped");
  const accounted = result.modules.length + result.skipped.length + result.errors.length;
  assert.equal(accounted, 7, "every file is parsed or reported");
});

/** Everything the parse hands forward, without parent links (which would make it cyclic). */
function digest(result: ParseResult): string {
  const { workers: _workers, ...rest } = result;
  const json = JSON.stringify(rest, (key, value) => (key === "parent" ? undefined : value));

  return createHash("sha256").update(json).digest("hex");
}
