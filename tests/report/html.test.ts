/** The HTML renderer: self-contained, escaped, and carrying every part of the report. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { renderHtml } from "../../src/report/html.js";
import { readSource, sampleReport } from "./fixture.js";

const html = renderHtml(sampleReport(), { source: readSource });

test("scanned text is escaped", () => {
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  assert.match(html, /app\/odd &#60;name&#62;\.py:3/);
  // Exactly one script element: the page's own filter.
  assert.equal(html.match(/<script>/g)?.length, 1);
});

test("no external assets or made-up links are referenced", () => {
  assert.doesNotMatch(html, /\s(src|href)=/);
  assert.doesNotMatch(html, /@import|url\(/);
  assert.doesNotMatch(html, /https?:/);
  assert.match(html, /run <code>flaskguard explain RULE<\/code>/);
});

test("summary counts, filters, findings, routes and errors are all there", () => {
  assert.match(html, /<li class="critical">1 critical<\/li><li class="high">1 high<\/li>/);
  assert.match(
    html,
    /<option>CSRF001<\/option><option>ERR001<\/option><option>SECRET001<\/option>/,
  );
  assert.equal(html.match(/<article class="finding/g)?.length, 4);
  assert.match(
    html,
    /<td>POST<\/td><td>\/profile\/update<\/td><td>app\/views\.py:6 update_profile<\/td>/,
  );
  assert.match(html, /<td>update_item\(users\)<\/td>/);
  assert.match(html, /<code>app\/broken\.py<\/code>: syntax error/);
});

test("suppressed findings start hidden and say why", () => {
  const article = html.match(/<article class="finding suppressed"[^>]*>/)?.[0] ?? "";
  assert.match(article, /data-suppressed="true"/);
  assert.match(article, / hidden>$/);
  assert.match(html, /Suppressed \(inline\): signed webhook/);
});

test("code frame marks the anchor and the fix shows its diff", () => {
  assert.match(html, /<span class="mark"> {4}5 \| @app\.route\(&#34;\/profile\/update&#34;/);
  assert.match(html, /<span class="add">\+ from flask_wtf\.csrf import CSRFProtect<\/span>/);
});
