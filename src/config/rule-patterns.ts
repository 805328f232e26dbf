/**
 * How users name rules on the command line, in the config file and in inline suppressions: a rule
 * id (`CSRF001`), a family prefix (`CSRF`, which covers CSRF001..CSRF006 but, unlike a plain
 * string prefix, `AUTH` does not cover AUTHZ001), or a rule name (`csrf-unprotected-state-change`).
 */

export interface RuleIdentity {
  id: string;
  name: string;
}

export function ruleMatches(pattern: string, rule: RuleIdentity): boolean {
  const p = pattern.trim();
  const upper = p.toUpperCase();
  if (upper === rule.id || p === rule.name) {
    return true;
  }

  return /^[A-Z]+$/.test(upper) && new RegExp(`^${upper}\\d+$`).test(rule.id);
}

/** Whether a finding's rule is named by the pattern (a finding's own `id` is its hash). */
export function findingMatches(pattern: string, finding: { rule: string; name: string }): boolean {
  return ruleMatches(pattern, { id: finding.rule, name: finding.name });
}

/**
 * True when the pattern names something in the catalog: a rule that exists (built or only
 * planned, by id), a family prefix of one, or a built rule's name. Typos are errors, not no-ops.
 */
export function isKnownPattern(
  pattern: string,
  rules: readonly RuleIdentity[],
  catalogIds: readonly string[],
): boolean {
  const planned = catalogIds.map((id) => ({ id, name: "" }));

  return [...rules, ...planned].some((r) => ruleMatches(pattern, r));
}

/** Splits a comma list such as `CSRF,AUTH001` into trimmed, non-empty items. */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
