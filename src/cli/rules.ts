/**
 * `flaskguard rules`: the rule catalog as a table (id, name, default severity, whether a fix is
 * offered, one-line summary), followed by the catalog ids whose rules are not built yet.
 */

import { renderTable } from "../report/table.js";
import type { Rule } from "../rules/types.js";
import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommand } from "./args.js";
import { type CliDeps, CliError, type CliIo } from "./io.js";

export const RULES_HELP = `Usage: flaskguard rules

Lists the rules. \`flaskguard explain RULE\` prints one rule's documentation.
`;

export async function rulesCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseCommand("rules", args, COMMON_OPTIONS);
  if (answeredHelpOrVersion(values, io, RULES_HELP)) {
    return 0;
  }
  if (positionals.length > 0) {
    throw new CliError("rules takes no arguments; use `flaskguard explain RULE` for one rule");
  }
  io.stdout.write(catalogTable(deps.rules, deps.catalogIds));

  return 0;
}

export function catalogTable(rules: readonly Rule[], catalogIds: readonly string[]): string {
  const rows = rules.map((r) => [
    r.id,
    r.name,
    r.severity,
    r.fixAvailability === "none" ? "-" : r.fixAvailability,
    `${r.status === "preview" ? "(preview) " : ""}${r.summary}`,
  ]);
  const built = new Set(rules.map((r) => r.id));
  const planned = catalogIds.filter((id) => !built.has(id));
  const table =
    rows.length > 0
      ? renderTable(["ID", "NAME", "SEVERITY", "FIX", "SUMMARY"], rows)
      : "No rules are built yet.\n";

  return planned.length > 0 ? `${table}\nNot built yet: ${planned.join(", ")}\n` : table;
}
