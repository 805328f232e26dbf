/**
 * Decides what a file or folder found while walking is: a Python source, a configuration file that
 * later rules read as text, something to ignore, or a folder that never holds project code
 * (virtualenvs, dependency trees, caches and build output). Pure functions of names and of a
 * folder's own listing, so the walker can decide without extra file system calls in the common
 * case.
 */

import type { FileKind } from "../parse/types.js";

/** Folder names that hold dependencies, caches or build output, never the project's own code. */
const SKIPPED_FOLDER_NAMES = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "site-packages",
  "dist-packages",
  "__pycache__",
  ".tox",
  ".nox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".eggs",
]);

/**
 * Build output folders: skipped unless they are a Python package of the project (a `build`
 * package with an `__init__.py`, imported as `from .build.routes import bp`).
 */
export const BUILD_OUTPUT_NAMES = new Set(["build", "dist"]);

/** Names a virtualenv folder usually has; they are skipped only when they hold an activate script. */
export const VIRTUALENV_NAMES = new Set([
  ".venv",
  "venv",
  "env",
  ".env",
  "virtualenv",
  ".virtualenv",
]);

/** Where a virtualenv keeps its activate script (POSIX and Windows layouts). */
export const ACTIVATE_SCRIPTS = ["bin/activate", "Scripts/activate", "Scripts/activate.bat"];

/** True when a folder with this name is never walked, whatever it holds. */
export function isSkippedFolderName(name: string): boolean {
  return SKIPPED_FOLDER_NAMES.has(name) || name.endsWith(".egg-info");
}

/**
 * True when a folder's own listing shows it is a Python environment: `pyvenv.cfg` marks every
 * venv/virtualenv made since Python 3.3, and `conda-meta` marks a conda environment.
 */
export function listingIsEnvironment(entryNames: ReadonlySet<string>): boolean {
  return entryNames.has("pyvenv.cfg") || entryNames.has("conda-meta");
}

const CONFIG_NAMES = new Set([
  "Pipfile",
  "Pipfile.lock",
  "poetry.lock",
  "Dockerfile",
  ".env",
  "serverless.yml",
  "template.yaml",
]);

const CONFIG_EXTENSIONS = new Set([".json", ".cfg", ".ini", ".toml", ".yaml", ".yml"]);

/** Lock files that are JSON but carry nothing a rule reads, and can be megabytes long. */
const IGNORED_JSON = new Set(["package-lock.json"]);

/** Classifies a file by its name alone. */
export function classifyFile(name: string): FileKind {
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot).toLowerCase() : "";
  if (ext === ".py" || ext === ".pyw") {
    return "python";
  }
  if (CONFIG_NAMES.has(name) || isConfigByPattern(name)) {
    return "config";
  }
  if (CONFIG_EXTENSIONS.has(ext) && !IGNORED_JSON.has(name)) {
    return "config";
  }

  return "other";
}

function isConfigByPattern(name: string): boolean {
  return (
    name.startsWith(".env.") ||
    name.startsWith("Dockerfile.") ||
    name.startsWith("zappa_settings.") ||
    /^requirements.*\.txt$/.test(name)
  );
}
