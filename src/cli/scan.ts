/**
 * `flaskguard scan [PATH...]`: runs the scan, narrows the report to what was asked (paths, config
 * globs, rules, confidence), marks suppressed findings (inline, config, baseline), optionally
 * applies fixes and scans again, writes a baseline when asked, renders the chosen format to stdout
 * or a file, and turns what remains into the exit code: 1 when an unsuppressed finding is at or
 * above --fail-on, else 0.
 */

import { writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { applyBaseline, buildBaseline, readBaseline, writeBaseline } from "../baseline/index.js";
import { filterReport } from "../config/filter.js";
import { CONFIDENCES, loadConfig } from "../config/index.js";
import { isKnownPattern, ruleMatches, splitList } from "../config/rule-patterns.js";
import {
  applyConfigSuppressions,
  applyInlineSuppressions,
  commentsFromText,
} from "../config/suppress.js";
import { renderHtml } from "../report/html.js";
import { renderJson } from "../report/json.js";
import { renderSarif } from "../report/sarif.js";
import { diskSourceReader, type SourceReader } from "../report/source.js";
import { plural } from "../report/summary.js";
import { renderText } from "../report/text.js";
import type { Report, Severity } from "../report/types.js";
import { SEVERITIES, severityRank } from "../report/types.js";
import type { ScanResult } from "../scan.js";
import {
  answeredHelpOrVersion,
  COMMON_OPTIONS,
  jobsOption,
  maxJobs,
  oneOf,
  parseCommand,
  resolveTargets,
} from "./args.js";
import { applyFixesAndReport } from "./fix.js";
import { type CliDeps, CliError, type CliIo, useColor } from "./io.js";

export const SCAN_HELP = `Usage: flaskguard scan [PATH...] [options]

Scans Flask + DynamoDB code for CSRF and the weaknesses that travel with it.
PATH is a folder or file (default "."); several paths are scanned from their common folder.

Options:
  --format text|json|sarif|html   output format (default text)
  -o, --output FILE               write the report to FILE instead of stdout
  --select RULES                  only these rules: ids, families or names, comma-separated
  --ignore RULES                  leave these rules out
  --fail-on SEVERITY              exit 1 when a finding at or above it remains:
                                  info, low (default), medium, high, critical
  --min-confidence LEVEL          report findings of at least this confidence: low (default),
                                  medium, high
  --config FILE                   config file (default: flaskguard.json or .flaskguard.json
                                  at the scan root)
  --baseline FILE                 findings listed in FILE are reported as suppressed
  --write-baseline FILE           write the current findings to FILE as a baseline; they
                                  count as accepted from this run on
  --fix                           apply fixes marked safe, then scan again (most fixes
                                  change behaviour and are marked unsafe)
  --unsafe-fixes                  apply fixes marked safe and unsafe (implies --fix)
  --jobs N                        parse with N workers, 1 to ${maxJobs()} here (twice the
                                  cores, at most 16)
  --no-progress                   no progress line on stderr
  --quiet                         only the findings: no summary, no notes on stderr
  --debug                         timings, and stack traces on internal errors
  --version, -h/--help
`;

const FORMATS = ["text", "json", "sarif", "html"] as const;

const OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: "string", default: "text" },
  output: { type: "string", short: "o" },
  select: { type: "string" },
  ignore: { type: "string" },
  "fail-on": { type: "string" },
  "min-confidence": { type: "string" },
  config: { type: "string" },
  baseline: { type: "string" },
  "write-baseline": { type: "string" },
  fix: { type: "boolean" },
  "unsafe-fixes": { type: "boolean" },
  jobs: { type: "string" },
  "no-progress": { type: "boolean" },
  quiet: { type: "boolean" },
} as const;

export async function scanCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseCommand("scan", args, OPTIONS);
  if (answeredHelpOrVersion(values, io, SCAN_HELP)) {
    return 0;
  }

  const note = (text: string) => {
    if (!values.quiet) {
      io.stderr.write(`flaskguard: ${text}\n`);
    }
  };
  const debug = (text: string) => {
    if (values.debug) {
      io.stderr.write(`debug: ${text}\n`);
    }
  };

  const format = oneOf("format", values.format, FORMATS);
  const { root, targets } = resolveTargets(positionals, io.cwd);
  const known = (p: string) => isKnownPattern(p, deps.rules, deps.catalogIds);
  const configFile = values.config ? resolve(io.cwd, values.config) : null;
  const config = loadConfig(root, configFile, known, note);
  const select = ruleOption("select", values.select, known) ?? config.select ?? [];
  const ignore = ruleOption("ignore", values.ignore, known) ?? config.ignore ?? [];
  warnUnbuilt("select", select, deps, note);
  warnUnbuilt("ignore", ignore, deps, note);
  const failOn = values["fail-on"]
    ? oneOf("fail-on", values["fail-on"], SEVERITIES)
    : (config.failOn ?? "low");
  const minConfidence = values["min-confidence"]
    ? oneOf("min-confidence", values["min-confidence"], CONFIDENCES)
    : (config.minConfidence ?? "low");
  const jobs = jobsOption(values.jobs, note);
  // Fixes marked unsafe are most of them; asking for those is asking for fixes.
  const fix = values.fix === true || values["unsafe-fixes"] === true;
  const baselinePath = values.baseline ?? config.baseline;
  const baselineFile = baselinePath ? resolve(io.cwd, baselinePath) : null;
  const baseline = baselineFile ? readBaseline(baselineFile) : null;
  const progress = io.stderr.isTTY === true && !values["no-progress"] && !values.quiet;
  const where = relative(io.cwd, root) || ".";

  const scanOnce = async (source: SourceReader): Promise<Report> => {
    if (progress) {
      io.stderr.write(`scanning ${where}…`);
    }
    const started = Date.now();
    const result = await deps.scan({ root, select, ignore, jobs });
    if (progress) {
      io.stderr.write("\r\x1b[2K");
    }
    debug(`scan of ${root} took ${Date.now() - started}ms`);
    const report = filterReport(result.report, {
      targets,
      include: config.include,
      exclude: config.exclude,
      select,
      ignore,
      minConfidence,
      severityOverrides: config.severityOverrides,
    });
    let findings = applyInlineSuppressions(report.findings, commentsOf(result, source));
    findings = applyConfigSuppressions(findings, config.suppress);
    if (baseline && baselinePath) {
      findings = applyBaseline(findings, baseline, baselinePath);
    }

    return { ...report, findings };
  };

  let source = diskSourceReader(root);
  let report = await scanOnce(source);
  if (fix) {
    const changed = applyFixesAndReport(report, root, values["unsafe-fixes"] === true, note);
    if (changed) {
      source = diskSourceReader(root);
      report = await scanOnce(source);
    }
  }

  if (values["write-baseline"]) {
    const file = resolve(io.cwd, values["write-baseline"]);
    // Findings already accepted inline or in the config stay out of the baseline; findings of an
    // older baseline stay in, with their notes.
    const accepted = report.findings.filter(
      (f) => !f.suppressed || f.suppressed.kind === "baseline",
    );
    const written = buildBaseline(accepted, baseline ?? undefined);
    writeBaseline(file, written);
    report = {
      ...report,
      findings: applyBaseline(report.findings, written, values["write-baseline"]),
    };
    note(`wrote ${plural(written.findings.length, "finding")} to the baseline ${file}`);
  }

  const toFile = values.output !== undefined;
  const output = render(format, report, {
    root,
    source,
    color: !toFile && useColor(io.stdout, io.env),
    quiet: values.quiet === true,
    rules: deps.rules.filter(
      (r) =>
        (select.length === 0 || select.some((p) => ruleMatches(p, r))) &&
        !ignore.some((p) => ruleMatches(p, r)),
    ),
  });
  if (values.output !== undefined) {
    writeOutput(resolve(io.cwd, values.output), output);
  } else {
    io.stdout.write(output);
  }

  return exitCode(report, failOn);
}

/** 1 when an unsuppressed finding is at or above `failOn`, else 0. */
export function exitCode(report: Report, failOn: Severity): number {
  const failing = report.findings.some(
    (f) => !f.suppressed && severityRank(f.severity) >= severityRank(failOn),
  );

  return failing ? 1 : 0;
}

function render(
  format: (typeof FORMATS)[number],
  report: Report,
  options: {
    root: string;
    source: SourceReader;
    color: boolean;
    quiet: boolean;
    rules: CliDeps["rules"];
  },
): string {
  switch (format) {
    case "text":
      return renderText(report, options);
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, { rules: options.rules, root: options.root });
    case "html":
      return renderHtml(report, options);
  }
}

function ruleOption(
  option: string,
  value: string | undefined,
  known: (pattern: string) => boolean,
): string[] | null {
  if (value === undefined) {
    return null;
  }
  const list = splitList(value);
  const unknown = list.find((p) => !known(p));
  if (unknown) {
    throw new CliError(`--${option}: unknown rule "${unknown}"; \`flaskguard rules\` lists them`);
  }

  return list;
}

/**
 * Notes the rule patterns that name only rules of the catalog that are not built yet (`IAM001`,
 * `IAM`): accepted, since a config may name them ahead of time, but they select or leave out
 * nothing today, and the user should not think otherwise.
 */
function warnUnbuilt(
  option: "select" | "ignore",
  patterns: readonly string[],
  deps: CliDeps,
  note: (text: string) => void,
): void {
  for (const pattern of patterns) {
    if (!deps.rules.some((r) => ruleMatches(pattern, r))) {
      note(`${pattern} is not built yet; nothing to ${option}`);
    }
  }
}

/** Comments of a scanned file: from its syntax tree when it has one, else from its text. */
function commentsOf(result: ScanResult, source: SourceReader) {
  return (file: string) => {
    const module = result.context.project.moduleByPath(file);
    if (module) {
      return module.comments;
    }
    const text = result.context.textFiles.get(file)?.text ?? source(file);

    return text === undefined ? undefined : commentsFromText(text);
  };
}

function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code ?? String(error);
    throw new CliError(`cannot write ${file} (${code})`);
  }
}
