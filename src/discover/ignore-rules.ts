/**
 * The ignore rules a walk applies: `.gitignore` files (each one governs its own folder and the
 * folders below it, a deeper file overriding a shallower one as in git) and the configuration's
 * include/exclude globs, written in the same gitignore syntax and relative to the scan base.
 */

import { readFileSync } from "node:fs";
import { sep } from "node:path";
import ignore from "ignore";

type Ignore = ReturnType<typeof ignore>;

/** The rules of one `.gitignore`, with the folder its patterns are relative to. */
export interface GitignoreLevel {
  absDir: string;
  rules: Ignore;
}

/** Reads and compiles the `.gitignore` of `absDir`. Throws when the file cannot be read. */
export function loadGitignore(absDir: string): GitignoreLevel {
  const text = readFileSync(`${absDir}${sep}.gitignore`, "utf8");

  return { absDir, rules: ignore().add(text) };
}

/**
 * True when the deepest `.gitignore` with an opinion on `absPath` ignores it. `levels` runs from
 * the shallowest folder to the deepest, and every level's folder contains `absPath`.
 */
export function ignoredByGitignore(
  levels: readonly GitignoreLevel[],
  absPath: string,
  isDir: boolean,
): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const rel = relativeUnder(level.absDir, absPath);
    if (rel === null) {
      continue;
    }
    const verdict = level.rules.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) {
      return true;
    }
    if (verdict.unignored) {
      return false;
    }
  }

  return false;
}

/** Include/exclude globs from the configuration, matched against paths relative to the base. */
export class GlobFilter {
  private readonly include: Ignore | null;
  private readonly exclude: Ignore | null;

  constructor(include: readonly string[] = [], exclude: readonly string[] = []) {
    this.include = include.length > 0 ? ignore().add(include.map(normaliseGlob)) : null;
    this.exclude = exclude.length > 0 ? ignore().add(exclude.map(normaliseGlob)) : null;
  }

  /** A folder is pruned only by exclude: include globs name files that may sit deep below it. */
  excludesFolder(relPath: string): boolean {
    return this.exclude !== null && relPath !== "" && this.exclude.ignores(`${relPath}/`);
  }

  excludesFile(relPath: string): boolean {
    if (this.exclude?.ignores(relPath)) {
      return true;
    }

    return this.include !== null && !this.include.ignores(relPath);
  }
}

/** `./app/**` and `app/**` mean the same; the `ignore` package rejects the first form. */
function normaliseGlob(glob: string): string {
  return glob.trim().replace(/^\.\//, "");
}

/** `absPath` relative to `absDir` with `/` separators, or null when it is not below it. */
export function relativeUnder(absDir: string, absPath: string): string | null {
  if (absPath === absDir) {
    return "";
  }
  const prefix = absDir.endsWith(sep) ? absDir : `${absDir}${sep}`;
  if (!absPath.startsWith(prefix)) {
    return null;
  }
  const rel = absPath.slice(prefix.length);

  return sep === "/" ? rel : rel.split(sep).join("/");
}
