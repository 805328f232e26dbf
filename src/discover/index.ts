/**
 * Finds the files to analyse under the given roots.
 * TODO: minimal first version; .gitignore, config include/exclude and bad-input handling to come.
 */

import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SourceFile } from "../parse/types.js";

const SKIP_DIRS = new Set([
  ".git",
  "node_modules",
  "__pycache__",
  ".venv",
  "venv",
  "site-packages",
]);

export function discover(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) {
          visit(abs);
        }
      } else if (entry.isFile()) {
        const rel = relative(root, abs).split(sep).join("/");
        const kind = entry.name.endsWith(".py") ? "python" : "other";
        out.push({ path: rel, absPath: abs, kind, size: statSync(abs).size });
      }
    }
  };
  visit(root);
  out.sort((a, b) => (a.path < b.path ? -1 : 1));

  return out;
}
