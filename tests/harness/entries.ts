/**
 * Test entries that are scanned on their own: a single Python file or a folder holding an app of
 * several modules. A single file is copied alone into a fresh temporary folder so that the scan
 * sees that file and nothing beside it, and reported paths are just its name. Also lists the text
 * files of an entry, which is where the annotation parsers look.
 */

import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join, relative, sep } from "node:path";
import type { Report } from "../../src/report/types.js";
import { scan } from "../../src/scan.js";

export interface Entry {
  /** `CSRF001/basic.py`, `model/factory_blueprints`: the entry as test names show it. */
  name: string;
  path: string;
  isFile: boolean;
}

/** Files whose `#` comments may carry annotations (Python, and config files such as `.env`). */
const ANNOTATABLE = new Set([".py", ".cfg", ".ini", ".env", ".toml", ".txt", ".yaml", ".yml"]);

/** The `.py` files and sub-folders of `dir`, sorted; `label` prefixes their names. */
export function listEntries(dir: string, label: string): Entry[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() || (e.isFile() && e.name.endsWith(".py")))
    .map((e) => ({ name: `${label}/${e.name}`, path: join(dir, e.name), isFile: e.isFile() }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Scans an entry as its own project root. */
export async function scanEntry(entry: Entry, select?: string[]): Promise<Report> {
  if (!entry.isFile) {
    return (await scan({ root: entry.path, select })).report;
  }
  const dir = mkdtempSync(join(tmpdir(), "flaskguard-entry-"));
  try {
    copyFileSync(entry.path, join(dir, basename(entry.path)));
    return (await scan({ root: dir, select })).report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scans Python source given as a string, written to `app.py` in a temporary folder. */
export async function scanSource(source: string, select?: string[]): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), "flaskguard-source-"));
  try {
    writeFileSync(join(dir, "app.py"), source);
    return (await scan({ root: dir, select })).report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TextFileEntry {
  /** Path as the scan reports it: relative to the entry's root, with `/`. */
  file: string;
  text: string;
}

/** The annotatable text files of an entry, with the paths a scan of it reports. */
export function entryTextFiles(entry: Entry): TextFileEntry[] {
  if (entry.isFile) {
    return [{ file: basename(entry.path), text: readFileSync(entry.path, "utf8") }];
  }
  const out: TextFileEntry[] = [];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory() && e.name !== "__pycache__") {
        visit(abs);
      } else if (e.isFile() && (ANNOTATABLE.has(extname(e.name)) || e.name === ".env")) {
        out.push({
          file: relative(entry.path, abs).split(sep).join("/"),
          text: readFileSync(abs, "utf8"),
        });
      }
    }
  };
  visit(entry.path);

  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** Whether a path is an existing folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
