/**
 * A rule's user documentation as text: the sections `flaskguard explain` prints and SARIF carries
 * as rule help (plain text and Markdown). The documentation travels with the tool and its reports;
 * there is no published web page per rule, so no report links to one (a rule's own references
 * are real pages and are kept).
 */

import type { RuleMeta } from "../rules/types.js";

/** Where a reader of any report finds a rule's documentation. */
export function ruleDocsHint(id: string): string {
  return `run \`flaskguard explain ${id}\``;
}

type Section = { title: string; text: string } | { title: string; code: string };

function sections(rule: RuleMeta): Section[] {
  const { docs } = rule;
  const out: Section[] = [
    { title: "What it does", text: docs.whatItDoes },
    { title: "Why is this bad?", text: docs.why },
    { title: "Example", code: docs.example },
    { title: "Use instead", code: docs.useInstead },
  ];
  if (docs.fixSafety) {
    out.push({ title: "Fix safety", text: docs.fixSafety });
  }
  if (docs.knownProblems) {
    out.push({ title: "Known problems", text: docs.knownProblems });
  }
  if (docs.references.length > 0) {
    out.push({ title: "References", text: docs.references.map((r) => `- ${r}`).join("\n") });
  }

  return out;
}

function facts(rule: RuleMeta): string {
  const parts = [
    `severity ${rule.severity}`,
    `confidence ${rule.confidence}`,
    rule.cwe.length > 0 ? rule.cwe.join(", ") : null,
    rule.owasp.length > 0 ? `OWASP ${rule.owasp.join(", ")}` : null,
    rule.status === "preview" ? "preview" : null,
    `fix ${rule.fixAvailability}`,
  ];

  return parts.filter((p) => p !== null).join(" · ");
}

/** Markdown: headings and fenced Python blocks. */
export function ruleDocsMarkdown(rule: RuleMeta): string {
  const body = sections(rule).map((s) =>
    "code" in s
      ? `## ${s.title}\n\n\`\`\`python\n${s.code.trimEnd()}\n\`\`\``
      : `## ${s.title}\n\n${s.text.trim()}`,
  );

  return `# ${rule.id} ${rule.name}\n\n${rule.summary}\n\n${facts(rule)}\n\n${body.join("\n\n")}\n`;
}

/** Plain text for terminals and SARIF `help.text`: titles underlined, code indented. */
export function ruleDocsText(rule: RuleMeta): string {
  const indent = (code: string) =>
    code
      .trimEnd()
      .split("\n")
      .map((l) => (l ? `    ${l}` : ""))
      .join("\n");
  const body = sections(rule).map(
    (s) =>
      `${s.title}\n${"-".repeat(s.title.length)}\n${"code" in s ? indent(s.code) : s.text.trim()}`,
  );

  return `${rule.id} ${rule.name}\n${rule.summary}\n${facts(rule)}\n\n${body.join("\n\n")}\n`;
}
