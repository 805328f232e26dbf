/**
 * The terminal report: active findings grouped by file, each with its severity, rule, message, a
 * code frame of the anchor, the evidence steps and the offered fix as a small diff; then the files
 * that could not be analysed and one summary line. Suppressed findings are only counted.
 * Colour is the caller's choice (a TTY without NO_COLOR); the text is the same without it.
 */

import pc from "picocolors";
import { codeFrame, editHunk, type SourceReader } from "./source.js";
import { countFindings, formatDuration, plural } from "./summary.js";
import type { Finding, Fix, Report, Severity } from "./types.js";
import { SEVERITIES } from "./types.js";

type Colors = ReturnType<typeof pc.createColors>;

export interface TextOptions {
  color: boolean;
  source: SourceReader;
  /** Leave out the summary line. */
  quiet?: boolean;
}

export function renderText(report: Report, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const counts = countFindings(report);
  const out: string[] = [];

  let currentFile: string | null = null;
  for (const finding of counts.active) {
    if (finding.file !== currentFile) {
      currentFile = finding.file;
      out.push(c.underline(c.bold(finding.file)));
    }
    out.push(...renderFinding(finding, options.source, c), "");
  }

  if (report.errors.length > 0) {
    out.push(c.yellow(`${plural(report.errors.length, "file")} not fully analysed:`));
    out.push(...report.errors.map((e) => `  ${e.file}: ${e.message}`), "");
  }

  if (!options.quiet) {
    out.push(summaryLine(report, c));
  }

  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

function renderFinding(f: Finding, source: SourceReader, c: Colors): string[] {
  const lines = [
    `  ${c.dim(`${f.line}:${f.column}`)}  ${severityLabel(f.severity, c)}  ${c.bold(f.rule)} ${f.name}  ${c.dim(`(confidence: ${f.confidence})`)}`,
    `    ${f.message}`,
  ];
  const text = source(f.file);
  if (text !== undefined) {
    const frame = codeFrame(text, f.line, f.endLine);
    const width = String(frame.at(-1)?.number ?? f.line).length;
    for (const l of frame) {
      const gutter = `${l.marked ? ">" : " "} ${String(l.number).padStart(width)} |`;
      lines.push(`    ${l.marked ? c.red(gutter) : c.dim(gutter)} ${l.text}`.trimEnd());
    }
  }
  if (f.evidence.length > 0) {
    lines.push(`    ${c.bold("evidence:")}`);
    lines.push(...f.evidence.map((e) => `      ${c.cyan(`${e.file}:${e.line}`)}  ${e.note}`));
  }
  if (f.fix) {
    lines.push(...renderFix(f.fix, source, c));
  }

  return lines;
}

function renderFix(fix: Fix, source: SourceReader, c: Colors): string[] {
  const lines = [`    ${c.bold(`fix (${fix.applicability}):`)} ${fix.description}`];
  for (const edit of fix.edits) {
    const hunk = editHunk(source(edit.file), edit);
    if (!hunk) {
      const range = `${edit.start.line}:${edit.start.column}-${edit.end.line}:${edit.end.column}`;
      lines.push(
        `      ${c.cyan(`${edit.file}:${range}`)} replace with ${JSON.stringify(edit.text)}`,
      );
      continue;
    }
    lines.push(`      ${c.cyan(`${hunk.file}:${hunk.line}`)}`);
    lines.push(...hunk.removed.map((l) => `      ${c.red(`- ${l}`)}`.trimEnd()));
    lines.push(...hunk.added.map((l) => `      ${c.green(`+ ${l}`)}`.trimEnd()));
  }

  return lines;
}

function severityLabel(severity: Severity, c: Colors): string {
  const label = severity.toUpperCase().padEnd(8);
  switch (severity) {
    case "critical":
      return c.bold(c.red(label));
    case "high":
      return c.red(label);
    case "medium":
      return c.yellow(label);
    case "low":
      return c.cyan(label);
    case "info":
      return c.dim(label);
  }
}

function summaryLine(report: Report, c: Colors): string {
  const counts = countFindings(report);
  const perSeverity = SEVERITIES.filter((s) => counts.bySeverity[s] > 0)
    .map((s) => `${counts.bySeverity[s]} ${s}`)
    .join(", ");
  const found =
    counts.active.length === 0
      ? c.green("No findings")
      : c.bold(`${plural(counts.active.length, "finding")} (${perSeverity})`);
  const suppressed = counts.suppressed.length > 0 ? `, ${counts.suppressed.length} suppressed` : "";
  const { files, lines, durationMs } = report.stats;

  return `${found}${suppressed}. Scanned ${plural(files, "file")}, ${plural(lines, "line")} in ${formatDuration(durationMs)}.`;
}
