/**
 * `tests/known-gaps.json`: case expectations that are known to fail today, each with the reason.
 * The case runner reports such an expectation as todo while it fails and fails the run once it
 * passes, and every entry must name an expectation that exists, so the list only shrinks.
 *
 *   [{"case": "013-csrf-disabled-after-init", "variant": "app_a", "list": "findings",
 *     "expectation": {"rule": "CSRF003", "file": "billing/config.py", "line": 16},
 *     "reason": "config classes loaded by from_object are not read yet"}]
 *
 * `variant` is omitted (or null) for a case without variants; examples are named
 * `examples/vulnerable` and `examples/fixed`. `list` may be left out when the expectation
 * appears in only one of the verdict's lists.
 */

import { existsSync, readFileSync } from "node:fs";
import type { CaseTarget } from "./cases.js";
import {
  type Expectation,
  type ExpectationList,
  parseExpectation,
  sameExpectation,
} from "./expectations.js";
import { KNOWN_GAPS_FILE } from "./paths.js";

export interface KnownGap {
  case: string;
  variant: string | null;
  /** Which list of the verdict holds the expectation; either, when not given. */
  list?: ExpectationList;
  expectation: Expectation;
  reason: string;
}

export function loadKnownGaps(file: string = KNOWN_GAPS_FILE): KnownGap[] {
  if (!existsSync(file)) {
    return [];
  }
  const json: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(json)) {
    throw new Error(`${file}: expected an array of known gaps`);
  }

  return json.map((entry: unknown, i) => {
    const where = `${file}[${i}]`;
    const e = entry as Record<string, unknown>;
    if (typeof e !== "object" || e === null || typeof e.case !== "string") {
      throw new Error(`${where}: "case" must be a string`);
    }
    if (e.variant !== undefined && e.variant !== null && typeof e.variant !== "string") {
      throw new Error(`${where}: "variant" must be a string or null`);
    }
    if (e.list !== undefined && e.list !== "findings" && e.list !== "absent") {
      throw new Error(`${where}: "list" must be "findings" or "absent" when given`);
    }
    if (typeof e.reason !== "string" || e.reason.trim().length === 0) {
      throw new Error(`${where}: "reason" must say why the gap exists`);
    }

    return {
      case: e.case,
      variant: (e.variant as string | undefined) ?? null,
      list: e.list as ExpectationList | undefined,
      expectation: parseExpectation(e.expectation, `${where}.expectation`),
      reason: e.reason,
    };
  });
}

export function gapFor(
  gaps: readonly KnownGap[],
  target: CaseTarget,
  list: ExpectationList,
  exp: Expectation,
): KnownGap | undefined {
  return gaps.find(
    (g) =>
      g.case === target.caseName &&
      g.variant === target.variant &&
      (g.list === undefined || g.list === list) &&
      sameExpectation(g.expectation, exp),
  );
}

/** Known gaps that name no expectation of the given targets (stale or misspelt entries). */
export function unusedGaps(gaps: readonly KnownGap[], targets: readonly CaseTarget[]): KnownGap[] {
  return gaps.filter(
    (g) =>
      !targets.some((t) =>
        (["findings", "absent"] as const).some((list) =>
          t.verdict[list].some((exp) => gapFor([g], t, list, exp) !== undefined),
        ),
      ),
  );
}
