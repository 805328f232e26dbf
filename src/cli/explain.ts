/**
 * `flaskguard explain RULE`: one rule's documentation (what it finds, why it matters, a bad and a
 * good example, fix safety, known problems, references), looked up by id or name. A family prefix
 * (`CSRF`) lists the family's rules instead, since the docs of six rules at once are no help.
 */

import { ruleMatches } from "../config/rule-patterns.js";
import { ruleDocsText } from "../report/rule-docs.js";
import { renderTable } from "../report/table.js";
import type { Rule } from "../rules/types.js";
import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommand } from "./args.js";
import { type CliDeps, CliError, type CliIo } from "./io.js";

export const EXPLAIN_HELP = `Usage: flaskguard explain RULE

Prints the documentation of one rule, named by id (CSRF001) or name
(csrf-unprotected-state-change). A family (CSRF) lists its rules.
`;

export async function explainCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseCommand("explain", args, COMMON_OPTIONS);
  if (answeredHelpOrVersion(values, io, EXPLAIN_HELP)) {
    return 0;
  }
  const [wanted, ...extra] = positionals;
  if (wanted === undefined || extra.length > 0) {
    throw new CliError("explain takes one rule id or name, such as `flaskguard explain CSRF001`");
  }
  const rule = deps.rules.find((r) => r.id === wanted.toUpperCase() || r.name === wanted);
  if (rule) {
    io.stdout.write(ruleDocsText(rule));
    return 0;
  }
  const family = familyListing(wanted, deps);
  if (family) {
    io.stdout.write(family);
    return 0;
  }
  const planned = deps.catalogIds.includes(wanted.toUpperCase());
  throw new CliError(
    planned
      ? `${wanted.toUpperCase()} is in the catalog but not built yet`
      : `unknown rule "${wanted}"; \`flaskguard rules\` lists them`,
  );
}

/**
 * The rules of a family named by its prefix (`CSRF`, `csrf`): a table of the built ones and the
 * ids still to come. Null when `wanted` is no family prefix; a family with nothing built yet is
 * an error, like a planned rule id.
 */
function familyListing(wanted: string, deps: CliDeps): string | null {
  const prefix = wanted.toUpperCase();
  if (!/^[A-Z]+$/.test(prefix)) {
    return null;
  }
  const built = deps.rules.filter((r) => ruleMatches(prefix, r));
  const builtIds = new Set(built.map((r) => r.id));
  const planned = deps.catalogIds.filter(
    (id) => !builtIds.has(id) && ruleMatches(prefix, { id, name: "" }),
  );
  if (built.length === 0) {
    if (planned.length === 0) {
      return null;
    }
    throw new CliError(
      `the ${prefix} rules (${planned.join(", ")}) are in the catalog but not built yet`,
    );
  }

  return `${familyTable(prefix, built)}${planned.length > 0 ? `\nNot built yet: ${planned.join(", ")}\n` : ""}`;
}

function familyTable(prefix: string, rules: readonly Rule[]): string {
  const rows = rules.map((r) => [r.id, r.name, r.severity, r.summary]);
  const first = rules[0]?.id ?? `${prefix}001`;

  return `${prefix} is a family of rules; \`flaskguard explain ${first}\` prints one of them.\n\n${renderTable(["ID", "NAME", "SEVERITY", "SUMMARY"], rows)}`;
}
