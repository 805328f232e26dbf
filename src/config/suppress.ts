/**
 * Suppressions written by people: inline comments in the scanned code and the config's `suppress`
 * list. A suppressed finding stays in the report (JSON and SARIF show it, with why) but no longer
 * fails the run. The first suppression that applies wins: inline, then config, then baseline.
 * An inline directive applies on any line of the finding's range or on the line above it, so a
 * route finding (anchored on the first decorator through the `def` line) can be silenced on
 * either end:
 *
 * ```python
 * @app.route("/hook", methods=["POST"])  # flaskguard: ignore[CSRF001] signed webhook
 * @login_required
 * def hook():  # flaskguard: ignore[CSRF001] works here too
 * ```
 */

import ignore from "ignore";
import type { Comment } from "../python/ast.js";
import type { Finding } from "../report/types.js";
import type { ConfigSuppression } from "./index.js";
import { findingMatches, splitList } from "./rule-patterns.js";

const DIRECTIVE = /flaskguard:\s*ignore(?:\[([^\]]*)\])?(.*)$/;

export interface IgnoreDirective {
  /** Rule patterns, or "all" for a bare `# flaskguard: ignore`. */
  rules: string[] | "all";
  /** Text after the directive, kept as the justification. */
  reason: string;
}

/** Reads `# flaskguard: ignore[RULE,...] reason` from a comment's text. */
export function parseIgnoreDirective(comment: string): IgnoreDirective | null {
  const match = DIRECTIVE.exec(comment);
  if (!match) {
    return null;
  }
  const reason = (match[2] ?? "").trim().replace(/^[-:—]+\s*/, "");

  return { rules: match[1] === undefined ? "all" : splitList(match[1]), reason };
}

/** `#` comments of a non-Python text file (.env, .cfg), for suppressions in such files. */
export function commentsFromText(text: string): Comment[] {
  return text.split("\n").flatMap((line, i) => {
    const at = line.indexOf("#");

    return at === -1 ? [] : [{ line: i + 1, text: line.slice(at) }];
  });
}

/**
 * Marks findings with a directive naming them on a line of their range (`line` through
 * `endLine`) or on the line above `line`. `commentsOf` returns a file's comments, or undefined
 * when it has none to offer.
 */
export function applyInlineSuppressions(
  findings: readonly Finding[],
  commentsOf: (file: string) => readonly Comment[] | undefined,
): Finding[] {
  return findings.map((f) => {
    if (f.suppressed) {
      return f;
    }
    const comments = commentsOf(f.file) ?? [];
    const last = Math.max(f.line, f.endLine);
    for (const c of comments) {
      if (c.line < f.line - 1 || c.line > last) {
        continue;
      }
      const directive = parseIgnoreDirective(c.text);
      if (
        directive &&
        (directive.rules === "all" || directive.rules.some((p) => findingMatches(p, f)))
      ) {
        const justification = directive.reason || `inline comment at ${f.file}:${c.line}`;

        return { ...f, suppressed: { kind: "inline" as const, justification } };
      }
    }

    return f;
  });
}

export function applyConfigSuppressions(
  findings: readonly Finding[],
  entries: readonly ConfigSuppression[],
): Finding[] {
  const compiled = entries.map((e) => ({
    entry: e,
    paths: e.path ? ignore().add(e.path.replace(/^\.\//, "")) : null,
  }));

  return findings.map((f) => {
    if (f.suppressed) {
      return f;
    }
    const hit = compiled.find(
      ({ entry, paths }) =>
        findingMatches(entry.rule, f) && (paths === null || paths.ignores(f.file)),
    );

    return hit
      ? { ...f, suppressed: { kind: "config" as const, justification: hit.entry.justification } }
      : f;
  });
}
