/**
 * Pinned library versions, read from requirements files, Pipfile.lock and poetry.lock, for the
 * places where a library's behaviour changed between releases. When nothing pins a package the
 * analysis assumes the current release and says so in its message.
 */

import type { AnalysisContext } from "../analysis/context.js";

/** The pinned version of a PyPI package (`==` pins only), or null when not pinned. */
export function pinnedVersion(ctx: AnalysisContext, pkg: string): string | null {
  const want = normalise(pkg);
  for (const file of ctx.textFiles.values()) {
    const name = file.path.split("/").pop() ?? "";
    if (/^requirements.*\.(txt|in)$|^constraints.*\.txt$/i.test(name)) {
      for (const line of file.text.split(/\r?\n/)) {
        const m = /^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*===?\s*([0-9][^\s;#,]*)/.exec(line);
        if (m && normalise(m[1]!) === want) {
          return m[3]!;
        }
      }
    } else if (name === "Pipfile.lock") {
      const m = new RegExp(
        `"${escapeRe(pkg)}"\\s*:\\s*\\{[^}]*?"version"\\s*:\\s*"==([^"]+)"`,
        "i",
      ).exec(file.text);
      if (m) {
        return m[1]!;
      }
    } else if (name === "poetry.lock") {
      const m = new RegExp(
        `name\\s*=\\s*"${escapeRe(pkg)}"\\s*\\n\\s*version\\s*=\\s*"([^"]+)"`,
        "i",
      ).exec(file.text);
      if (m) {
        return m[1]!;
      }
    }
  }

  return null;
}

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) {
      return d;
    }
  }

  return 0;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
