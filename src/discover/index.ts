/**
 * Finds the files to analyse under the given roots: Python sources and the configuration files
 * later rules read as text. The walk honours `.gitignore` files (nested ones too, and those of the
 * enclosing git repository above the root), the configuration's include/exclude globs, and never
 * enters virtualenvs, dependency trees, caches or build output. Symbolic links are followed, but a
 * folder is entered and a file listed at most once (tracked by device and inode), so link loops
 * end. Anything that cannot be read becomes an entry in `errors` and the walk goes on.
 */

import { type Dirent, readdirSync, type Stats, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { FileError, FileKind, SourceFile } from "../parse/types.js";
import {
  ACTIVATE_SCRIPTS,
  BUILD_OUTPUT_NAMES,
  classifyFile,
  isSkippedFolderName,
  listingIsEnvironment,
  VIRTUALENV_NAMES,
} from "./classify.js";
import { errorCode, reason } from "./fs-errors.js";
import {
  type GitignoreLevel,
  GlobFilter,
  ignoredByGitignore,
  loadGitignore,
  relativeUnder,
} from "./ignore-rules.js";

export interface DiscoverOptions {
  /**
   * The folder reported paths are relative to. Defaults to the first root, or to its folder when
   * that root is a file.
   */
  base?: string;
  /** Gitignore-style globs relative to the base; when given, only matching files are kept. */
  include?: readonly string[];
  /** Gitignore-style globs relative to the base; matching files and folders are left out. */
  exclude?: readonly string[];
  /** Honour `.gitignore` files (default true). */
  gitignore?: boolean;
}

export interface DiscoverResult {
  /** Python and configuration files, sorted by path. Files of kind `other` are not listed. */
  files: SourceFile[];
  /** Folders and files that exist but could not be read. */
  errors: FileError[];
  /** Folders and links passed over on purpose, with the reason: for debug output only. */
  passedOver: { path: string; reason: string }[];
}

/** A root given on the command line does not exist (the CLI turns this into exit code 2). */
export class PathNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`path not found: ${path}`);
    this.name = "PathNotFoundError";
  }
}

/** A file accepted by the walk, before duplicates reached through links are dropped. */
interface Candidate extends SourceFile {
  identity: string;
  viaLink: boolean;
}

export function discover(
  roots: string | readonly string[],
  options: DiscoverOptions = {},
): DiscoverResult {
  const rootList = (typeof roots === "string" ? [roots] : [...roots]).map((r) => resolve(r));
  const rootStats = rootList.map((root) => statRoot(root));
  const firstRoot = rootList[0] ?? resolve(".");
  const base = resolve(
    options.base ?? (rootStats[0]?.isDirectory() === false ? dirname(firstRoot) : firstRoot),
  );
  const walk = new Walk(base, options);
  rootList.forEach((root, i) => {
    walk.root(root, rootStats[i]!);
  });
  walk.followLinkedFolders();

  return walk.result();
}

function statRoot(root: string): Stats {
  try {
    return statSync(root);
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") {
      throw new PathNotFoundError(root);
    }
    throw error;
  }
}

/** One walk over one or more roots, sharing the sets that keep links from repeating work. */
class Walk {
  private readonly candidates: Candidate[] = [];
  private readonly errors: FileError[] = [];
  private readonly passedOver: { path: string; reason: string }[] = [];
  /** Device and inode of every folder entered, so a link back up the tree is not followed. */
  private readonly enteredFolders = new Set<string>();
  private readonly globs: GlobFilter;
  private readonly useGitignore: boolean;
  /**
   * Linked folders, entered only after every real folder: a folder inside the root is then
   * listed under its own path rather than under a link that happens to sort first.
   */
  private readonly linkedFolders: {
    abs: string;
    name: string;
    levels: GitignoreLevel[];
    stats: Stats;
  }[] = [];

  constructor(
    private readonly base: string,
    options: DiscoverOptions,
  ) {
    this.globs = new GlobFilter(options.include, options.exclude);
    this.useGitignore = options.gitignore ?? true;
  }

  /** A root named explicitly is taken even when an ignore rule or a skip-list name matches it. */
  root(abs: string, stats: Stats): void {
    if (stats.isDirectory()) {
      const levels = this.useGitignore ? this.gitignoresAbove(abs) : [];
      this.enteredFolders.add(identityOf(stats));
      this.folder(abs, levels, { isRoot: true });

      return;
    }
    const kind = classifyFile(basename(abs));
    if (kind !== "other") {
      this.candidates.push({ ...this.sourceFile(abs, kind, stats), viaLink: false });
    }
  }

  followLinkedFolders(): void {
    for (let next = this.linkedFolders.shift(); next; next = this.linkedFolders.shift()) {
      this.subfolder(next.abs, next.name, next.levels, next.stats);
    }
  }

  result(): DiscoverResult {
    const byPath = (a: { path: string }, b: { path: string }) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

    return {
      files: dropLinkedDuplicates(this.candidates).sort(byPath),
      errors: this.errors.sort((a, b) => byPath({ path: a.file }, { path: b.file })),
      passedOver: this.passedOver.sort(byPath),
    };
  }

  private folder(abs: string, inherited: GitignoreLevel[], { isRoot = false } = {}): void {
    const rel = this.rel(abs);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      this.errors.push({ file: rel || ".", message: `could not read folder: ${reason(error)}` });

      return;
    }
    const names = new Set(entries.map((e) => e.name));
    if (!isRoot && listingIsEnvironment(names)) {
      this.passedOver.push({ path: rel, reason: "Python environment (pyvenv.cfg or conda-meta)" });

      return;
    }

    let levels = inherited;
    if (this.useGitignore && names.has(".gitignore")) {
      try {
        levels = [...inherited, loadGitignore(abs)];
      } catch (error) {
        this.errors.push({
          file: rel ? `${rel}/.gitignore` : ".gitignore",
          message: `could not read: ${reason(error)}`,
        });
      }
    }

    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      this.entry(join(abs, entry.name), entry, levels);
    }
  }

  private entry(abs: string, entry: Dirent, levels: GitignoreLevel[]): void {
    const viaLink = entry.isSymbolicLink();
    let isDir = entry.isDirectory();
    let stats: Stats | null = null;
    if (viaLink) {
      try {
        stats = statSync(abs);
      } catch (error) {
        if (classifyFile(entry.name) !== "other") {
          this.errors.push({
            file: this.rel(abs),
            message: `broken symbolic link: ${reason(error)}`,
          });
        }

        return;
      }
      isDir = stats.isDirectory();
    } else if (!isDir && !entry.isFile()) {
      return;
    }

    if (isDir && viaLink) {
      this.linkedFolders.push({ abs, name: entry.name, levels, stats: stats! });
    } else if (isDir) {
      this.subfolder(abs, entry.name, levels, stats);
    } else if (viaLink ? stats!.isFile() : true) {
      this.file(abs, entry.name, levels, stats, viaLink);
    }
  }

  private subfolder(abs: string, name: string, levels: GitignoreLevel[], known: Stats | null) {
    const rel = this.rel(abs);
    if (isSkippedFolderName(name)) {
      this.passedOver.push({ path: rel, reason: "dependency, cache or build folder" });

      return;
    }
    if (BUILD_OUTPUT_NAMES.has(name) && !exists(join(abs, "__init__.py"))) {
      this.passedOver.push({ path: rel, reason: "build output folder" });

      return;
    }
    if (VIRTUALENV_NAMES.has(name) && ACTIVATE_SCRIPTS.some((s) => exists(join(abs, s)))) {
      this.passedOver.push({ path: rel, reason: "virtualenv" });

      return;
    }
    if (ignoredByGitignore(levels, abs, true) || this.globs.excludesFolder(rel)) {
      return;
    }

    const stats = known ?? this.statOrReport(abs, rel, "folder");
    if (!stats) {
      return;
    }
    const identity = identityOf(stats);
    if (this.enteredFolders.has(identity)) {
      this.passedOver.push({ path: rel, reason: "already walked (symbolic link loop or repeat)" });

      return;
    }
    this.enteredFolders.add(identity);
    this.folder(abs, levels);
  }

  private file(
    abs: string,
    name: string,
    levels: GitignoreLevel[],
    known: Stats | null,
    viaLink: boolean,
  ): void {
    const kind = classifyFile(name);
    if (kind === "other") {
      return;
    }
    const rel = this.rel(abs);
    if (ignoredByGitignore(levels, abs, false) || this.globs.excludesFile(rel)) {
      return;
    }
    const stats = known ?? this.statOrReport(abs, rel, "file");
    if (!stats) {
      return;
    }
    this.candidates.push({ ...this.sourceFile(abs, kind, stats), viaLink });
  }

  /** `stat` of a path, or null after reporting why it could not be read. */
  private statOrReport(abs: string, rel: string, what: "file" | "folder"): Stats | null {
    try {
      return statSync(abs);
    } catch (error) {
      this.errors.push({ file: rel, message: `could not read ${what}: ${reason(error)}` });

      return null;
    }
  }

  private sourceFile(abs: string, kind: FileKind, stats: Stats) {
    return {
      path: this.rel(abs),
      absPath: abs,
      kind,
      size: stats.size,
      identity: identityOf(stats),
    };
  }

  /**
   * The `.gitignore` files between the enclosing repository's top (the nearest folder above
   * `root` holding `.git`) and `root` itself, shallowest first. None when `root` is not inside a
   * repository (a stray `.gitignore` in a home folder must not hide a project), or when that
   * repository ignores `root` itself.
   */
  private gitignoresAbove(root: string): GitignoreLevel[] {
    const chain: string[] = [];
    let dir = dirname(root);
    let top: string | null = exists(join(root, ".git")) ? root : null;
    while (top === null && dir !== dirname(dir)) {
      chain.unshift(dir);
      if (exists(join(dir, ".git"))) {
        top = dir;
      }
      dir = dirname(dir);
    }
    if (top === null || top === root) {
      return [];
    }
    const levels: GitignoreLevel[] = [];
    for (const folder of chain) {
      if (exists(join(folder, ".gitignore"))) {
        try {
          levels.push(loadGitignore(folder));
        } catch {
          // An unreadable .gitignore outside the scanned tree is not the scan's business.
        }
      }
    }

    // A root the enclosing repository ignores was asked for by name: git's view does not apply.
    return ignoredByGitignore(levels, root, true) ? [] : levels;
  }

  /** Path relative to the base with `/`; outside the base, the absolute path. */
  private rel(abs: string): string {
    return relativeUnder(this.base, abs) ?? abs.split("\\").join("/");
  }
}

/**
 * Keeps one entry per file identity: the one reached without a link when there is one, otherwise
 * the first by path. A file linked from two places is therefore read and reported once.
 */
function dropLinkedDuplicates(candidates: Candidate[]): SourceFile[] {
  const chosen = new Map<string, Candidate>();
  for (const c of candidates) {
    const previous = chosen.get(c.identity);
    if (
      !previous ||
      (previous.viaLink && !c.viaLink) ||
      (previous.viaLink === c.viaLink && c.path < previous.path)
    ) {
      chosen.set(c.identity, c);
    }
  }

  return [...chosen.values()].map(({ path, absPath, kind, size }) => ({
    path,
    absPath,
    kind,
    size,
  }));
}

function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function exists(path: string): boolean {
  try {
    statSync(path);

    return true;
  } catch {
    return false;
  }
}
