/**
 * Source text for the renderers that show code: the lines around a finding's anchor (a code
 * frame) and the before/after lines of a fix edit (a small diff). Renderers get the files through
 * a `SourceReader`, so they never touch the file system themselves and tests can hand them text.
 * Every line handed out is display text: secrets masked and long lines cut (see `display.ts`).
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { applyEditsToText } from "../fix/apply.js";
import { displayLine } from "./display.js";
import type { Edit } from "./types.js";

/** Returns the text of a file given by its report path, or undefined when it cannot be read. */
export type SourceReader = (file: string) => string | undefined;

/** Reads report paths relative to `root`, once each. */
export function diskSourceReader(root: string): SourceReader {
  const cache = new Map<string, string | undefined>();

  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(resolve(root, file), "utf8"));
      } catch {
        cache.set(file, undefined);
      }
    }

    return cache.get(file);
  };
}

export interface FrameLine {
  number: number;
  /** The line as displayed: secrets masked, cut at `MAX_DISPLAY_CHARS`. */
  text: string;
  /** True for the anchor's own lines. */
  marked: boolean;
}

/** Anchors longer than this show only their first lines. */
const MAX_MARKED_LINES = 8;

/** The anchor lines `line..endLine` with `context` lines either side, clamped to the file. */
export function codeFrame(source: string, line: number, endLine: number, context = 2): FrameLine[] {
  const lines = splitLines(source);
  // A final newline ends the last line; it does not start another one.
  if (source.endsWith("\n")) {
    lines.pop();
  }
  const last = Math.min(Math.max(line, endLine), line + MAX_MARKED_LINES - 1);
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, last + context);
  const frame: FrameLine[] = [];
  for (let n = from; n <= to; n++) {
    frame.push({ number: n, text: shownLine(lines, n - 1), marked: n >= line && n <= last });
  }

  return frame;
}

export interface Hunk {
  file: string;
  /** First line of the file that the hunk shows. */
  line: number;
  /** Display text of the lines the edit removes and adds, masked and cut like frame lines. */
  removed: string[];
  added: string[];
}

/**
 * The lines one edit removes and adds, with unchanged leading and trailing lines trimmed, or null
 * when the file cannot be read or the edit does not fit it.
 */
export function editHunk(source: string | undefined, edit: Edit): Hunk | null {
  if (source === undefined) {
    return null;
  }
  const after = applyEditsToText(source, [edit]);
  if (after === null) {
    return null;
  }
  const oldLines = splitLines(source);
  const newLines = splitLines(after);
  // Line indexes of the changed stretch, end exclusive: it starts at the same index in the old and
  // the new text and ends at `oldEnd` and `newEnd`.
  let first = edit.start.line - 1;
  let oldEnd = edit.end.line;
  let newEnd = oldEnd + newLines.length - oldLines.length;
  while (first < oldEnd && first < newEnd && oldLines[first] === newLines[first]) {
    first++;
  }
  while (oldEnd > first && newEnd > first && oldLines[oldEnd - 1] === newLines[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  const shown = (lines: string[], from: number, to: number) =>
    lines.slice(from, to).map((_, i) => shownLine(lines, from + i));

  return {
    file: edit.file,
    line: first + 1,
    removed: shown(oldLines, first, oldEnd),
    added: shown(newLines, first, newEnd),
  };
}

/** Line `index` of `lines` for display, judged with the lines around it. */
function shownLine(lines: readonly string[], index: number): string {
  return displayLine(lines[index] ?? "", [lines[index - 1], lines[index + 1]]);
}

function splitLines(source: string): string[] {
  return source.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}
