/**
 * Per-rule fixtures (`tests/fixtures/<RULE-ID>/`) checked against their annotations, and the
 * rule metadata policed against behaviour: complete docs, well-formed CWE ids, ids from the
 * catalog, fixtures with both an `expect` and an `ok`, a docs example the rule reports and a
 * "use instead" it does not, and fixes where the rule says it offers them.
 */

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Report } from "../src/report/types.js";
import { ALL_RULES, CATALOG_IDS } from "../src/rules/index.js";
import type { Rule } from "../src/rules/types.js";
import {
  type Entry,
  entryTextFiles,
  listEntries,
  scanEntry,
  scanSource,
} from "./harness/entries.js";
import { describeFinding } from "./harness/expectations.js";
import {
  checkFixtureShape,
  contentDigest,
  duplicateGroups,
  judgeAnnotation,
  judgeUnexpected,
  type ParsedFixture,
  parseFixtureFiles,
} from "./harness/fixtures.js";
import { emit, fail, PASS } from "./harness/outcome.js";
import { REPO_ROOT } from "./harness/paths.js";

const FIXTURES = join(REPO_ROOT, "tests/fixtures");
const built = new Set(ALL_RULES.map((r) => r.id));

/** Each entry is scanned once; the metadata checks reuse the reports. */
const reports = new Map<string, Promise<Report>>();
function reportOf(entry: Entry): Promise<Report> {
  let report = reports.get(entry.path);
  if (!report) {
    report = scanEntry(entry);
    reports.set(entry.path, report);
  }

  return report;
}

function ruleFolders(): string[] {
  if (!existsSync(FIXTURES)) {
    return [];
  }

  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function fixtureEntries(rule: string): { entry: Entry; parsed: ParsedFixture; digest: string }[] {
  const dir = join(FIXTURES, rule);
  if (!existsSync(dir)) {
    return [];
  }

  return listEntries(dir, rule).map((entry) => {
    const files = entryTextFiles(entry);
    return { entry, parsed: parseFixtureFiles(files), digest: contentDigest(entry, files) };
  });
}

const folders = ruleFolders();
if (folders.length === 0) {
  test("rule fixtures", { skip: `no fixture folders under ${FIXTURES} yet` });
}

for (const rule of folders) {
  test(`fixtures ${rule}`, async (t) => {
    const entries = fixtureEntries(rule);
    await emit(t, `${rule} folder`, () => {
      if (!CATALOG_IDS.includes(rule)) {
        return fail(`tests/fixtures/${rule} names no rule of the catalog`);
      }

      return entries.length > 0 ? PASS : fail(`tests/fixtures/${rule} holds no .py file or folder`);
    });
    for (const group of duplicateGroups(new Map(entries.map((e) => [e.entry, e.digest])))) {
      const names = group.map((e) => e.name).join(", ");
      await emit(t, `${names} are duplicates`, () => fail(`identical fixtures: ${names}`));
    }

    for (const { entry, parsed } of entries) {
      await emit(t, `${entry.name} annotations`, () => {
        const problems = checkFixtureShape(parsed, CATALOG_IDS);
        return problems.length === 0 ? PASS : fail(problems.join("\n"));
      });
      if (!built.has(rule)) {
        await emit(t, `${entry.name}`, () => ({ kind: "pending", waitsFor: rule }));
        continue;
      }

      let report: Report;
      try {
        report = await reportOf(entry);
      } catch (error) {
        await emit(t, `${entry.name} scan`, () => fail(`the scan threw: ${String(error)}`));
        continue;
      }
      for (const a of parsed.annotations) {
        const name = `${entry.name} ${a.file}:${a.target} ${a.kind} ${a.rule}`;
        await emit(t, name, () => judgeAnnotation(a, report, built));
      }
      await emit(t, `${entry.name} no unexpected findings`, () =>
        judgeUnexpected(rule, parsed.annotations, report, built),
      );
    }
  });
}

/** Docs may wrap code in a Markdown fence; the scan wants the code alone. */
function codeOf(doc: string): string {
  const m = /^\s*```[a-z]*\n([\s\S]*?)\n```\s*$/.exec(doc);

  return m?.[1] ?? doc;
}

function metadataProblems(rule: Rule): string[] {
  const problems: string[] = [];
  const { docs } = rule;
  for (const field of ["whatItDoes", "why", "example", "useInstead"] as const) {
    if (typeof docs[field] !== "string" || docs[field].trim() === "") {
      problems.push(`docs.${field} is empty`);
    }
  }
  if (docs.references.length === 0 || docs.references.some((r) => r.trim() === "")) {
    problems.push("docs.references must list at least one non-empty reference");
  }
  if (rule.cwe.length === 0 || rule.cwe.some((c) => !/^CWE-\d+$/.test(c))) {
    problems.push(`cwe must be a non-empty list of CWE-<n>, got ${JSON.stringify(rule.cwe)}`);
  }
  if (!CATALOG_IDS.includes(rule.id)) {
    problems.push(`${rule.id} is not in CATALOG_IDS`);
  }

  return problems;
}

test("rule metadata", async (t) => {
  if (ALL_RULES.length === 0) {
    t.skip("no rule is built yet");
    return;
  }
  await emit(t, "rule ids are unique", () => {
    const ids = ALL_RULES.map((r) => r.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    return repeated.length === 0 ? PASS : fail(`repeated rule ids: ${repeated.join(", ")}`);
  });

  for (const rule of ALL_RULES) {
    await emit(t, `${rule.id} metadata`, () => {
      const problems = metadataProblems(rule);
      return problems.length === 0 ? PASS : fail(problems.join("\n"));
    });

    const entries = fixtureEntries(rule.id);
    await emit(t, `${rule.id} has fixtures with an expect and an ok`, () => {
      const kinds = new Set(
        entries.flatMap((e) =>
          e.parsed.annotations.filter((a) => a.rule === rule.id).map((a) => a.kind),
        ),
      );
      const missing = (["expect", "ok"] as const).filter((k) => !kinds.has(k));
      return missing.length === 0
        ? PASS
        : fail(
            `tests/fixtures/${rule.id}/ needs ` +
              missing.map((k) => `a "# ${k}: ${rule.id}" annotation`).join(" and "),
          );
    });

    const example = await scanSource(codeOf(rule.docs.example), [rule.id]);
    await emit(t, `${rule.id} docs.example is reported`, () =>
      example.findings.some((f) => f.rule === rule.id)
        ? PASS
        : fail(`docs.example (as app.py) produced no ${rule.id} finding:\n${rule.docs.example}`),
    );
    const useInstead = await scanSource(codeOf(rule.docs.useInstead), [rule.id]);
    await emit(t, `${rule.id} docs.useInstead is not reported`, () => {
      const found = useInstead.findings.filter((f) => f.rule === rule.id);
      return found.length === 0
        ? PASS
        : fail(
            `docs.useInstead (as app.py) is reported:\n${found.map(describeFinding).join("\n")}`,
          );
    });

    if (rule.fixAvailability !== "none") {
      const fixed = await Promise.all(entries.map((e) => reportOf(e.entry))).then((all) =>
        all
          .flatMap((r) => r.findings)
          .filter((f) => f.rule === rule.id && (f.fix?.edits.length ?? 0) > 0),
      );
      await emit(t, `${rule.id} offers a fix (fixAvailability "${rule.fixAvailability}")`, () =>
        fixed.length > 0
          ? PASS
          : fail(`no ${rule.id} finding in tests/fixtures/${rule.id}/ carries a fix with edits`),
      );
    }
  }
});
