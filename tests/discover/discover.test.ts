/**
 * The discover stage on small temporary trees: which files it lists and how it classifies them,
 * the ignore rules (nested `.gitignore`, the enclosing repository's, include/exclude globs), the
 * folders it never enters (virtualenvs, dependency and build folders), symbolic links (loops end,
 * a linked file is listed once), and unreadable or missing paths.
 */

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { discover, PathNotFoundError } from "../../src/discover/index.js";
import { link, lock, makeTree, permissionSkipReason } from "./tree.js";

const paths = (root: string, options = {}) => discover(root, options).files.map((f) => f.path);

test("lists Python and configuration files, classified, and leaves other files out", (t) => {
  const root = makeTree(t, {
    "app.py": "",
    "gui.pyw": "",
    "README.md": "",
    "settings.json": "{}",
    "package-lock.json": "{}",
    ".env": "SECRET_KEY=x",
    ".env.production": "",
    "setup.cfg": "",
    "tox.ini": "",
    "pyproject.toml": "",
    "serverless.yml": "",
    "template.yaml": "",
    "requirements-dev.txt": "",
    "notes.txt": "",
    Pipfile: "",
    "Pipfile.lock": "{}",
    "poetry.lock": "",
    Dockerfile: "",
    "zappa_settings.json": "{}",
    "logo.png": "",
  });
  const files = discover(root).files;
  const kinds = Object.fromEntries(files.map((f) => [f.path, f.kind]));

  assert.deepEqual(kinds, {
    ".env": "config",
    ".env.production": "config",
    Dockerfile: "config",
    Pipfile: "config",
    "Pipfile.lock": "config",
    "app.py": "python",
    "gui.pyw": "python",
    "poetry.lock": "config",
    "pyproject.toml": "config",
    "requirements-dev.txt": "config",
    "serverless.yml": "config",
    "settings.json": "config",
    "setup.cfg": "config",
    "template.yaml": "config",
    "tox.ini": "config",
    "zappa_settings.json": "config",
  });
  const app = files.find((f) => f.path === "app.py")!;
  assert.equal(app.absPath, join(root, "app.py"));
  assert.equal(app.size, 0);
});

test("honours .gitignore files, each for its own folder, the deeper one winning", (t) => {
  const root = makeTree(t, {
    ".gitignore": "generated/\n*.gen.py\n*.json\n",
    "app.py": "",
    "a.gen.py": "",
    "generated/models.py": "",
    "data.json": "{}",
    "pkg/.gitignore": "local_*.py\n!settings.json\n",
    "pkg/local_dev.py": "",
    "pkg/views.py": "",
    "pkg/settings.json": "{}",
    "other/local_dev.py": "",
  });

  assert.deepEqual(paths(root), [
    "app.py",
    "other/local_dev.py",
    "pkg/settings.json",
    "pkg/views.py",
  ]);
  assert.ok(paths(root, { gitignore: false }).includes("generated/models.py"));
});

test("applies the enclosing repository's .gitignore above the root, unless it ignores the root", (t) => {
  const repo = makeTree(t, {
    ".git/HEAD": "ref: refs/heads/main\n",
    ".gitignore": "*.gen.py\nvendor/\n",
    "sub/app.py": "",
    "sub/a.gen.py": "",
    "vendor/lib.py": "",
  });

  assert.deepEqual(paths(join(repo, "sub")), ["app.py"]);
  assert.deepEqual(paths(join(repo, "vendor")), ["lib.py"]);
});

test("include and exclude globs, relative to the base", (t) => {
  const root = makeTree(t, {
    "src/app.py": "",
    "src/tests/test_app.py": "",
    "scripts/tool.py": "",
    "settings.json": "{}",
  });

  assert.deepEqual(paths(root, { exclude: ["tests/"] }), [
    "scripts/tool.py",
    "settings.json",
    "src/app.py",
  ]);
  assert.deepEqual(paths(root, { include: ["src/**"] }), ["src/app.py", "src/tests/test_app.py"]);
  assert.deepEqual(paths(root, { include: ["./src/**"], exclude: ["**/tests/**"] }), [
    "src/app.py",
  ]);
});

test("skips virtualenvs, dependency, cache and build folders, but not a package named env", (t) => {
  const root = makeTree(t, {
    "app.py": "",
    ".venv/bin/activate": "",
    ".venv/lib/python3.11/site-packages/flask/app.py": "",
    "py311/pyvenv.cfg": "home = /usr/bin\n",
    "py311/lib/python3.11/site-packages/boto3/session.py": "",
    "conda/conda-meta/history": "",
    "conda/lib/x.py": "",
    "env/settings.py": "",
    "venv/__init__.py": "",
    "node_modules/pkg/x.py": "",
    "lib/site-packages/x.py": "",
    "__pycache__/x.py": "",
    ".git/hooks/x.py": "",
    ".tox/py311/x.py": "",
    ".mypy_cache/x.py": "",
    "build/lib/x.py": "",
    "dist/x.py": "",
    "flaskguard.egg-info/x.py": "",
  });

  assert.deepEqual(paths(root), ["app.py", "env/settings.py", "venv/__init__.py"]);
  const reasons = discover(root).passedOver.map((p) => p.path);
  assert.ok(reasons.includes(".venv") && reasons.includes("py311") && reasons.includes("conda"));
});

test("symbolic link loops end, and a file reached through a link is listed once", (t) => {
  const root = makeTree(t, {
    "app.py": "",
    "pkg/views.py": "",
  });
  link(root, "pkg/loop", "..");
  link(root, "pkg/self", ".");
  link(root, "alias.py", "app.py");
  link(root, "again", "pkg");

  const result = discover(root);

  assert.deepEqual(
    result.files.map((f) => f.path),
    ["app.py", "pkg/views.py"],
  );
  assert.deepEqual(result.errors, []);
  assert.ok(result.passedOver.some((p) => p.reason.includes("symbolic link loop")));
});

test("a file linked from outside the root is listed under its link's path", (t) => {
  const outside = makeTree(t, { "shared/helpers.py": "" });
  const root = makeTree(t, { "app.py": "" });
  link(root, "vendor_helpers.py", join(outside, "shared/helpers.py"));
  link(root, "shared", join(outside, "shared"));

  assert.deepEqual(paths(root), ["app.py", "shared/helpers.py"]);
});

test("a broken link to a Python file is an error entry; to anything else it is ignored", (t) => {
  const root = makeTree(t, { "app.py": "" });
  link(root, "gone.py", "missing.py");
  link(root, "gone.png", "missing.png");

  const result = discover(root);

  assert.deepEqual(paths(root), ["app.py"]);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.file, "gone.py");
  assert.match(result.errors[0]!.message, /broken symbolic link/);
});

test("an unreadable folder is an error entry and the walk goes on", (t) => {
  const root = makeTree(t, { "app.py": "", "secret/keys.py": "" });
  lock(join(root, "secret"));
  const skip = permissionSkipReason(join(root, "secret/keys.py"));
  if (skip) {
    t.skip(skip);
    return;
  }

  const result = discover(root);

  assert.deepEqual(
    result.files.map((f) => f.path),
    ["app.py"],
  );
  assert.deepEqual(result.errors, [
    { file: "secret", message: "could not read folder: permission denied" },
  ]);
});

test("an empty folder gives no files and no errors", (t) => {
  const root = makeTree(t, {});
  mkdirSync(join(root, "empty/deeper"), { recursive: true });

  assert.deepEqual(discover(root), { files: [], errors: [], passedOver: [] });
});

test("a missing root throws PathNotFoundError; a file root is listed relative to its folder", (t) => {
  const root = makeTree(t, { "pkg/app.py": "", "pkg/README.md": "" });

  assert.throws(() => discover(join(root, "nope")), PathNotFoundError);
  assert.deepEqual(paths(join(root, "pkg/app.py")), ["app.py"]);
  assert.deepEqual(
    discover([join(root, "pkg/app.py"), join(root, "pkg/README.md")], { base: root }).files.map(
      (f) => f.path,
    ),
    ["pkg/app.py"],
  );
});
