/**
 * `flaskguard routes [PATH...]`: the attack surface as the scan sees it, one row per route with
 * its methods, URL rule, handler, authentication, CSRF defence and DynamoDB operations, as a table
 * or as JSON (`{"routes": [Route]}`, the report's route shape). Runs the pipeline without rules.
 */

import { resolve } from "node:path";
import { filterReport } from "../config/filter.js";
import { loadConfig } from "../config/index.js";
import { isKnownPattern } from "../config/rule-patterns.js";
import { orderRoute } from "../report/json.js";
import { routeCells } from "../report/summary.js";
import { renderTable } from "../report/table.js";
import type { RouteJson } from "../report/types.js";
import {
  answeredHelpOrVersion,
  COMMON_OPTIONS,
  jobsOption,
  maxJobs,
  oneOf,
  parseCommand,
  resolveTargets,
} from "./args.js";
import type { CliDeps, CliIo } from "./io.js";

export const ROUTES_HELP = `Usage: flaskguard routes [PATH...] [options]

Lists every route with its methods, handler, authentication, CSRF defence and DynamoDB operations.

Options:
  --format text|json   output format (default text)
  --config FILE        config file whose include/exclude globs apply
  --jobs N             parse with N workers, 1 to ${maxJobs()} here
  --debug, --version, -h/--help
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: "string", default: "text" },
  config: { type: "string" },
  jobs: { type: "string" },
} as const;

export async function routesCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseCommand("routes", args, OPTIONS);
  if (answeredHelpOrVersion(values, io, ROUTES_HELP)) {
    return 0;
  }
  const format = oneOf("format", values.format, ["text", "json"] as const);
  const { root, targets } = resolveTargets(positionals, io.cwd);
  const known = (p: string) => isKnownPattern(p, deps.rules, deps.catalogIds);
  const note = (text: string) => io.stderr.write(`flaskguard: ${text}\n`);
  const config = loadConfig(
    root,
    values.config ? resolve(io.cwd, values.config) : null,
    known,
    note,
  );
  const jobs = jobsOption(values.jobs, note);

  // Ignoring every rule leaves the models, which is all the inventory needs.
  const { report } = await deps.scan({ root, ignore: deps.rules.map((r) => r.id), jobs });
  const { routes } = filterReport(report, {
    targets,
    include: config.include,
    exclude: config.exclude,
    select: [],
    ignore: [],
    minConfidence: "low",
    severityOverrides: {},
  });

  io.stdout.write(
    format === "json"
      ? `${JSON.stringify({ routes: routes.map(orderRoute) }, null, 2)}\n`
      : routesTable(routes),
  );

  return 0;
}

export function routesTable(routes: readonly RouteJson[]): string {
  if (routes.length === 0) {
    return "No routes found.\n";
  }
  const rows = routes.map((r) => {
    const c = routeCells(r);

    return [c.methods, c.path, c.handler, c.auth, c.csrf, c.dynamo];
  });

  return renderTable(["METHODS", "PATH", "HANDLER", "AUTH", "CSRF", "DYNAMODB"], rows);
}
