/**
 * Builds throw-away folder trees for the discover and parse tests: files from a path → content
 * map (strings or raw bytes), and symbolic links. Also tells whether permission bits are enforced
 * for the current user, since tests often run as root, for whom `chmod 000` stops nothing.
 */

import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestContext } from "node:test";

export type TreeSpec = Record<string, string | Uint8Array>;

/** Creates the tree in a new temporary folder removed when the test ends; returns its path. */
export function makeTree(t: TestContext, spec: TreeSpec): string {
  const root = mkdtempSync(join(tmpdir(), "flaskguard-test-"));
  t.after(() => {
    restorePermissions(root);
    rmSync(root, { recursive: true, force: true });
  });
  for (const [path, content] of Object.entries(spec)) {
    const abs = join(root, path);
    if (path.endsWith("/")) {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }

  return root;
}

/** `link` (relative to root) becomes a symbolic link holding `target` as written. */
export function link(root: string, linkPath: string, target: string): void {
  const abs = join(root, linkPath);
  mkdirSync(dirname(abs), { recursive: true });
  symlinkSync(target, abs);
}

const locked: string[] = [];

/** Removes all permissions from a file or folder (restored before the tree is deleted). */
export function lock(path: string): void {
  chmodSync(path, 0o000);
  locked.push(path);
}

function restorePermissions(root: string): void {
  for (const path of locked.filter((p) => p.startsWith(root))) {
    chmodSync(path, 0o755);
  }
}

/**
 * Null when a locked file really cannot be read, else the reason the permission test must be
 * skipped (root, or a file system that ignores mode bits).
 */
export function permissionSkipReason(lockedFile: string): string | null {
  try {
    readFileSync(lockedFile);
  } catch {
    return null;
  }

  return "permission bits are not enforced for this user (running as root?): chmod 000 does not stop reads";
}
