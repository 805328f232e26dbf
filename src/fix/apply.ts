/**
 * Applies fixes to the scanned files. A fix is a list of edits (1-based line and column, end
 * exclusive); fixes are taken in order and each is kept or dropped whole, so a fix never lands
 * half-applied: one whose edit lies outside its file or overlaps an edit already kept is skipped,
 * and an edit identical to one already kept (two findings offering the same import) counts once.
 * Kept edits are written bottom-up per file so earlier positions stay valid.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { computeLineStarts } from "../python/ast.js";
import type { Edit, Fix, Position } from "../report/types.js";

export interface FixOutcome {
  /** Fixes whose edits were all written. */
  applied: Fix[];
  /** Fixes left out, each with the reason. */
  skipped: { fix: Fix; reason: string }[];
  /** Relative paths of the files that changed, sorted. */
  files: string[];
}

interface Span {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** The index into `text` of a 1-based position, or null when the position is outside the text. */
export function offsetOf(
  text: string,
  lineStarts: readonly number[],
  pos: Position,
): number | null {
  const lineStart = lineStarts[pos.line - 1];
  if (lineStart === undefined || pos.column < 1) {
    return null;
  }
  // The column just past the last character (where the newline is) is a valid end position.
  const lineEnd = pos.line < lineStarts.length ? (lineStarts[pos.line] ?? 0) - 1 : text.length;
  const offset = lineStart + pos.column - 1;

  return offset <= lineEnd ? offset : null;
}

/**
 * Applies non-overlapping edits of one file to its text; null when an edit is out of range or two
 * edits overlap.
 */
export function applyEditsToText(text: string, edits: readonly Edit[]): string | null {
  const lineStarts = computeLineStarts(text);
  const spans: Span[] = [];
  for (const edit of edits) {
    const span = toSpan(text, lineStarts, edit);
    if (!span || spans.some((s) => overlaps(s, span))) {
      return null;
    }
    spans.push(span);
  }

  return spliceSpans(text, spans);
}

/** Applies `fixes` to the files under `root` and says what was written and what was skipped. */
export function applyFixes(root: string, fixes: readonly Fix[]): FixOutcome {
  const texts = new Map<string, { text: string; lineStarts: number[] } | null>();
  const load = (file: string) => {
    if (!texts.has(file)) {
      const abs = insideRoot(root, file);
      const text = abs ? readOrNull(abs) : null;
      texts.set(file, text === null ? null : { text, lineStarts: computeLineStarts(text) });
    }

    return texts.get(file) ?? null;
  };

  const kept: Span[] = [];
  const outcome: FixOutcome = { applied: [], skipped: [], files: [] };
  for (const fix of fixes) {
    const spans: Span[] = [];
    let reason: string | null = null;
    for (const edit of fix.edits) {
      const source = load(edit.file);
      const span = source ? toSpan(source.text, source.lineStarts, edit) : null;
      if (!source) {
        reason = `cannot read ${edit.file}`;
      } else if (!span) {
        reason = `edit outside ${edit.file}`;
      } else if (spans.some((s) => overlaps(s, span))) {
        reason = "its own edits overlap";
      } else if (!kept.some((k) => sameSpan(k, span)) && kept.some((k) => overlaps(k, span))) {
        reason = `overlaps another fix in ${edit.file}`;
      }
      if (reason || !span) {
        break;
      }
      spans.push(span);
    }
    if (reason) {
      outcome.skipped.push({ fix, reason });
      continue;
    }
    kept.push(...spans.filter((s) => !kept.some((k) => sameSpan(k, s))));
    outcome.applied.push(fix);
  }

  const changed = [...new Set(kept.map((s) => s.file))].sort();
  for (const file of changed) {
    const source = load(file);
    const abs = insideRoot(root, file);
    if (source && abs) {
      const spans = kept.filter((s) => s.file === file);
      writeFileSync(abs, spliceSpans(source.text, spans));
    }
  }
  outcome.files = changed;

  return outcome;
}

function toSpan(text: string, lineStarts: readonly number[], edit: Edit): Span | null {
  const start = offsetOf(text, lineStarts, edit.start);
  const end = offsetOf(text, lineStarts, edit.end);
  if (start === null || end === null || end < start) {
    return null;
  }

  return { file: edit.file, start, end, text: edit.text };
}

/** Two spans conflict when they share characters or start at the same place (order unknown). */
function overlaps(a: Span, b: Span): boolean {
  return a.file === b.file && ((a.start < b.end && b.start < a.end) || a.start === b.start);
}

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end && a.text === b.text;
}

function spliceSpans(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, span.start) + span.text + out.slice(span.end);
  }

  return out;
}

/** The absolute path of `file` when it stays inside `root`; fixes never write elsewhere. */
function insideRoot(root: string, file: string): string | null {
  const abs = resolve(root, file);
  const rel = relative(root, abs);

  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? abs : null;
}

function readOrNull(abs: string): string | null {
  try {
    return readFileSync(abs, "utf8");
  } catch {
    return null;
  }
}
