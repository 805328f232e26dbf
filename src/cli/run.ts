/**
 * The command dispatcher: picks the command, runs it with the given streams and dependencies, and
 * turns every failure into exit code 2 with one line on stderr (plus the stack with --debug).
 * Kept apart from `main.ts` so tests run the whole command line in-process.
 */

import { ConfigError } from "../config/index.js";
import { VERSION } from "../version.js";
import { explainCommand } from "./explain.js";
import { type CliDeps, CliError, type CliIo } from "./io.js";
import { LATER_COMMANDS, laterCommand } from "./later.js";
import { routesCommand } from "./routes.js";
import { rulesCommand } from "./rules.js";
import { scanCommand } from "./scan.js";

type Command = (args: string[], io: CliIo, deps: CliDeps) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  scan: scanCommand,
  routes: routesCommand,
  rules: rulesCommand,
  explain: explainCommand,
  poc: laterCommand("poc"),
  verify: laterCommand("verify"),
  demo: laterCommand("demo"),
  policy: laterCommand("policy"),
};

export const MAIN_HELP = `Usage: flaskguard COMMAND [options]

Finds CSRF and the weaknesses that travel with it in Flask + DynamoDB code.

Commands:
  scan [PATH...]      scan code and report findings (text, json, sarif, html)
  routes [PATH...]    list routes with their auth, CSRF defence and DynamoDB operations
  rules               list the rules
  explain RULE        print one rule's documentation
${Object.entries(LATER_COMMANDS)
  .map(([name, what]) => `  ${name.padEnd(18)}  ${what} (not built yet)`)
  .join("\n")}

Run \`flaskguard COMMAND --help\` for a command's options.
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, config or internal error.
`;

/**
 * The real scanner and rules, imported on first use: a fault while loading the pipeline then
 * becomes the usual one-line internal error instead of a crash before any handler runs.
 */
async function loadDefaultDeps(): Promise<CliDeps> {
  const [{ scan }, { ALL_RULES, CATALOG_IDS }] = await Promise.all([
    import("../scan.js"),
    import("../rules/index.js"),
  ]);

  return { scan, rules: ALL_RULES, catalogIds: CATALOG_IDS };
}

export async function runCli(argv: readonly string[], io: CliIo, deps?: CliDeps): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "--help" || command === "-h" || command === "help") {
      io.stdout.write(MAIN_HELP);
      return 0;
    }
    if (command === "--version") {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined) {
      throw new CliError("no command given; run `flaskguard --help`");
    }
    const run = COMMANDS[command];
    if (!run) {
      throw new CliError(`unknown command "${command}"; run \`flaskguard --help\``);
    }

    return await run(args, io, deps ?? (await loadDefaultDeps()));
  } catch (error) {
    io.stderr.write(`${errorLine(error)}\n`);
    if (argv.includes("--debug") && error instanceof Error && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }

    return 2;
  }
}

/** One line for stderr: the message of an error the user can fix, or a labelled internal one. */
function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
  const userFacing =
    error instanceof CliError ||
    error instanceof ConfigError ||
    (error instanceof Error && error.name === "PathNotFoundError");

  return userFacing
    ? `flaskguard: ${message}`
    : `flaskguard: internal error: ${message} (run with --debug for the stack trace)`;
}
