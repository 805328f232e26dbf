/**
 * The baseline: a JSON file listing accepted findings by id, so CI fails only on new ones.
 * Finding ids hash the rule, file, anchor code and route (never line numbers), so an entry keeps
 * matching while unrelated code moves. Each entry keeps the rule, file and message for people
 * reading the file and a `note` for why it was accepted; notes survive a rewrite of the baseline.
 *
 * ```json
 * {"tool": "flaskguard", "version": 1,
 *  "findings": [{"id": "3f2a...", "rule": "CSRF001", "file": "app/views.py",
 *                "message": "...", "note": "webhook, signed by the sender"}]}
 * ```
 */

import { readFileSync, writeFileSync } from "node:fs";
import { ConfigError, parseJsonFile } from "../config/index.js";
import type { Finding } from "../report/types.js";

export interface BaselineEntry {
  id: string;
  rule: string;
  file: string;
  message: string;
  note: string;
}

export interface Baseline {
  tool: "flaskguard";
  version: 1;
  findings: BaselineEntry[];
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new ConfigError(
      `baseline ${file}: ${code === "ENOENT" ? "not found" : `cannot be read (${code})`}`,
    );
  }

  return parseBaseline(text, file);
}

export function parseBaseline(text: string, file: string): Baseline {
  const fail = (problem: string): never => {
    throw new ConfigError(`baseline ${file}: ${problem}`);
  };
  const raw = parseJsonFile(text, fail) as Partial<Baseline> | null;
  if (typeof raw !== "object" || raw === null || !Array.isArray(raw.findings)) {
    return fail(`expected {"findings": [...]} as written by --write-baseline`);
  }
  const findings = raw.findings.map((entry, i) => {
    if (typeof entry?.id !== "string" || entry.id === "") {
      return fail(`findings[${i}] has no "id"`);
    }

    return {
      id: entry.id,
      rule: String(entry.rule ?? ""),
      file: String(entry.file ?? ""),
      message: String(entry.message ?? ""),
      note: String(entry.note ?? ""),
    };
  });

  return { tool: "flaskguard", version: 1, findings };
}

/**
 * A baseline of `findings` (one entry per id, in report order), keeping the notes of `previous`
 * for ids it already had.
 */
export function buildBaseline(findings: readonly Finding[], previous?: Baseline): Baseline {
  const notes = new Map(previous?.findings.map((e) => [e.id, e.note]));
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (seen.has(f.id)) {
      continue;
    }
    seen.add(f.id);
    entries.push({
      id: f.id,
      rule: f.rule,
      file: f.file,
      message: f.message,
      note: notes.get(f.id) ?? "",
    });
  }

  return { tool: "flaskguard", version: 1, findings: entries };
}

export function writeBaseline(file: string, baseline: Baseline): void {
  try {
    writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new ConfigError(`baseline ${file}: cannot be written (${code})`);
  }
}

/** Marks findings listed in the baseline as suppressed, with the entry's note as justification. */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
  file: string,
): Finding[] {
  const entries = new Map(baseline.findings.map((e) => [e.id, e]));

  return findings.map((f) => {
    const entry = entries.get(f.id);
    if (f.suppressed || !entry) {
      return f;
    }
    const justification = entry.note || `accepted in baseline ${file}`;

    return { ...f, suppressed: { kind: "baseline" as const, justification } };
  });
}
