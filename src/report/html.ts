/**
 * A single self-contained HTML page: summary counts, a severity/rule filter in a few lines of
 * inline script, every finding with its message, code frame, evidence and fix diff, the route
 * inventory, and the files that could not be analysed. No external assets, so the file can be
 * mailed or attached to a CI run; every piece of scanned text is escaped before it lands in markup.
 */

import { codeFrame, editHunk, type SourceReader } from "./source.js";
import { countFindings, formatDuration, plural, routeCells } from "./summary.js";
import type { Finding, Fix, Report } from "./types.js";
import { SEVERITIES, severityRank } from "./types.js";

export interface HtmlOptions {
  source: SourceReader;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const e = escapeHtml;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 2rem;color:#1d1d1f}
h1{margin-bottom:.2rem}.meta{color:#666;margin-top:0}
.counts{display:flex;gap:.5rem;padding:0;list-style:none}
.counts li,.badge{border-radius:4px;padding:.1rem .5rem;font-weight:600;color:#fff}
.critical{background:#7a0010}.high{background:#c62828}.medium{background:#d97706}
.low{background:#2563eb}.info{background:#6b7280}
#filters{display:flex;gap:1rem;margin:1rem 0}
article{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.8rem 0}
article.suppressed{opacity:.6}
h3{font-size:1rem;margin:.3rem 0}.loc{color:#555;font-weight:400;font-family:monospace}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:12.5px}
.mark{background:#fde2e1;display:block}.del{color:#b91c1c}.add{color:#15803d}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e5e5e5;text-align:left;padding:.25rem .5rem;vertical-align:top}
code{font-size:12.5px}
`;

// Shows the findings that pass the filters: at or above a severity, of one rule, and suppressed
// ones only on request.
const SCRIPT = `
const sev = document.getElementById("f-sev"), rule = document.getElementById("f-rule"),
  supp = document.getElementById("f-supp");
function apply() {
  for (const a of document.querySelectorAll("article.finding")) {
    a.hidden = !((sev.value === "" || Number(a.dataset.rank) >= Number(sev.value)) &&
      (rule.value === "" || a.dataset.rule === rule.value) &&
      (supp.checked || a.dataset.suppressed === "false"));
  }
}
for (const el of [sev, rule, supp]) el.addEventListener("change", apply);
apply();
`;

export function renderHtml(report: Report, options: HtmlOptions): string {
  const counts = countFindings(report);
  const rules = [...new Set(report.findings.map((f) => f.rule))].sort();
  const { files, lines, durationMs } = report.stats;
  const countItems = SEVERITIES.filter((s) => counts.bySeverity[s] > 0).map(
    (s) => `<li class="${s}">${counts.bySeverity[s]} ${s}</li>`,
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flaskguard report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>flaskguard report</h1>
<p class="meta">flaskguard ${e(report.tool.version)} · ${plural(files, "file")}, ${plural(lines, "line")} in ${formatDuration(durationMs)} · ${plural(counts.active.length, "finding")}${counts.suppressed.length > 0 ? `, ${counts.suppressed.length} suppressed` : ""}</p>
<ul class="counts">${countItems.join("")}</ul>
<p class="meta">For a rule's documentation, run <code>flaskguard explain RULE</code>.</p>
</header>
<section id="filters">
<label>Severity <select id="f-sev"><option value="">all</option>${SEVERITIES.map((s) => `<option value="${severityRank(s)}">${s} and above</option>`).join("")}</select></label>
<label>Rule <select id="f-rule"><option value="">all</option>${rules.map((r) => `<option>${e(r)}</option>`).join("")}</select></label>
<label><input type="checkbox" id="f-supp"> show suppressed</label>
</section>
<section id="findings">
<h2>Findings</h2>
${report.findings.length > 0 ? report.findings.map((f) => findingHtml(f, options.source)).join("\n") : "<p>No findings.</p>"}
</section>
${routesHtml(report)}
${errorsHtml(report)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function findingHtml(f: Finding, source: SourceReader): string {
  const text = source(f.file);
  const frame = text
    ? `<pre class="frame">${codeFrame(text, f.line, f.endLine)
        .map((l) => {
          const line = `${String(l.number).padStart(5)} | ${e(l.text)}`;

          return l.marked ? `<span class="mark">${line}</span>` : `${line}\n`;
        })
        .join("")}</pre>`
    : "";
  const evidence =
    f.evidence.length > 0
      ? `<h4>Evidence</h4><ol>${f.evidence.map((s) => `<li><code>${e(`${s.file}:${s.line}`)}</code> ${e(s.note)}</li>`).join("")}</ol>`
      : "";
  const suppressed = f.suppressed
    ? `<p><em>Suppressed (${e(f.suppressed.kind)}): ${e(f.suppressed.justification)}</em></p>`
    : "";

  return `<article class="finding${f.suppressed ? " suppressed" : ""}" data-rank="${severityRank(f.severity)}" data-rule="${e(f.rule)}" data-suppressed="${f.suppressed ? "true" : "false"}"${f.suppressed ? " hidden" : ""}>
<h3><span class="badge ${f.severity}">${f.severity.toUpperCase()}</span> ${e(f.rule)} ${e(f.name)} <span class="loc">${e(`${f.file}:${f.line}`)}</span></h3>
<p>${e(f.message)} <small>(confidence: ${f.confidence}${f.cwe.length > 0 ? `; ${e(f.cwe.join(", "))}` : ""})</small></p>
${suppressed}${frame}${evidence}${f.fix ? fixHtml(f.fix, source) : ""}
</article>`;
}

function fixHtml(fix: Fix, source: SourceReader): string {
  const hunks = fix.edits.map((edit) => {
    const hunk = editHunk(source(edit.file), edit);
    if (!hunk) {
      return `<pre>${e(`${edit.file}:${edit.start.line}:${edit.start.column}`)} replace with ${e(JSON.stringify(edit.text))}</pre>`;
    }
    const removed = hunk.removed.map((l) => `<span class="del">- ${e(l)}</span>\n`);
    const added = hunk.added.map((l) => `<span class="add">+ ${e(l)}</span>\n`);

    return `<pre>${e(`${hunk.file}:${hunk.line}`)}\n${removed.join("")}${added.join("")}</pre>`;
  });

  return `<h4>Fix (${e(fix.applicability)})</h4><p>${e(fix.description)}</p>${hunks.join("")}`;
}

function routesHtml(report: Report): string {
  const rows = report.routes.map((r) => {
    const c = routeCells(r);
    const cells = [c.methods, c.path, c.handler, c.auth, c.csrf, c.dynamo];

    return `<tr>${cells.map((cell) => `<td>${e(cell)}</td>`).join("")}</tr>`;
  });
  const head = ["Methods", "Path", "Handler", "Auth", "CSRF defence", "DynamoDB"];

  return `<section id="routes">
<h2>Routes (${report.routes.length})</h2>
${rows.length > 0 ? `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>` : "<p>No routes found.</p>"}
</section>`;
}

function errorsHtml(report: Report): string {
  if (report.errors.length === 0) {
    return "";
  }
  const items = report.errors.map((x) => `<li><code>${e(x.file)}</code>: ${e(x.message)}</li>`);

  return `<section id="errors">
<h2>Not fully analysed</h2>
<ul>${items.join("")}</ul>
</section>`;
}
