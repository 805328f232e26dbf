/**
 * `flaskguard explain RULE`: one rule's documentation (what it finds, why it matters, a bad and a
 * good example, fix safety, known problems, references), looked up by id or name.
 */

import { ruleDocsText } from "../report/rule-docs.js";
import { VERSION } from "../version.js";
import { COMMON_OPTIONS, parseCommand } from "./args.js";
import { type CliDeps, CliError, type CliIo } from "./io.js";

export const EXPLAIN_HELP = `Usage: flaskguard explain RULE

Prints the documentation of one rule, named by id (CSRF001) or name
(csrf-unprotected-state-change).
`;

export async function explainCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseCommand("explain", args, COMMON_OPTIONS);
  if (values.help) {
    io.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [wanted, ...extra] = positionals;
  if (wanted === undefined || extra.length > 0) {
    throw new CliError("explain takes one rule id or name, such as `flaskguard explain CSRF001`");
  }
  const rule = deps.rules.find((r) => r.id === wanted.toUpperCase() || r.name === wanted);
  if (!rule) {
    const planned = deps.catalogIds.includes(wanted.toUpperCase());
    throw new CliError(
      planned
        ? `${wanted.toUpperCase()} is in the catalog but not built yet`
        : `unknown rule "${wanted}"; \`flaskguard rules\` lists them`,
    );
  }
  io.stdout.write(ruleDocsText(rule));

  return 0;
}
