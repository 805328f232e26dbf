/**
 * A small, fixed report for the renderer tests: two routes, findings of every kind a renderer
 * treats differently (multi-step evidence with a two-edit fix, a fix without edits, an inline
 * suppression, a path and message that need escaping), a file that could not be parsed, and the
 * source text the code frames and diffs are cut from. Version and duration are fixed values so
 * snapshots do not change between releases or runs.
 */

import type { SourceReader } from "../../src/report/source.js";
import type { Report, RouteJson } from "../../src/report/types.js";
import type { RuleMeta } from "../../src/rules/types.js";

export const SOURCES: Record<string, string> = {
  "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
  "app/views.py": [
    "from app import app, table",
    "from flask import request, session",
    "",
    "",
    '@app.route("/profile/update", methods=["POST"])',
    "def update_profile():",
    '    user = session["user"]',
    '    table.update_item(Key={"id": user}, UpdateExpression="SET bio = :b",',
    '                      ExpressionAttributeValues={":b": request.form["bio"]})',
    '    return "ok"',
    "",
    '@app.route("/hook", methods=["POST"])  # flaskguard: ignore[CSRF001] signed webhook',
    "def hook():",
    '    table.put_item(Item={"id": "x"})',
    '    return "ok"',
    "",
  ].join("\n"),
  "app/config.py": 'DEBUG = False\nSECRET_KEY = "dev"\n',
};

export const readSource: SourceReader = (file) => SOURCES[file];

const profileRoute: RouteJson = {
  app: "app",
  blueprint: null,
  path: "/profile/update",
  methods: ["POST"],
  handler: { file: "app/views.py", line: 6, name: "update_profile" },
  auth: ["session-cookie"],
  csrf: ["none"],
  dynamo: [{ op: "update_item", table: "users", write: true, file: "app/views.py", line: 8 }],
};

const hookRoute: RouteJson = {
  app: "app",
  blueprint: "hooks",
  path: "/hook",
  methods: ["POST"],
  handler: { file: "app/views.py", line: 13, name: "hook" },
  auth: ["none"],
  csrf: ["none"],
  dynamo: [{ op: "put_item", table: null, write: true, file: "app/views.py", line: 14 }],
};

export function sampleReport(): Report {
  const report: Report = {
    tool: { name: "flaskguard", version: "0.0.0-test" },
    stats: { files: 4, lines: 21, parseErrors: 1, durationMs: 1234 },
    errors: [{ file: "app/broken.py", message: "syntax error: unexpected ')' at line 3" }],
    routes: [profileRoute, hookRoute],
    findings: [
      {
        id: "aaaa000000000001",
        rule: "SECRET001",
        name: "hardcoded-secret-key",
        severity: "critical",
        confidence: "high",
        message: 'SECRET_KEY is the literal "dev": anyone can forge session cookies.',
        file: "app/config.py",
        line: 2,
        endLine: 2,
        column: 1,
        route: null,
        evidence: [{ file: "app/config.py", line: 2, note: "literal secret assigned here" }],
        fix: {
          description: "Read the key from the environment and fail when it is missing.",
          applicability: "manual",
          edits: [],
        },
        cwe: ["CWE-798"],
        owasp: [],
      },
      {
        id: "aaaa000000000002",
        rule: "CSRF001",
        name: "csrf-unprotected-state-change",
        severity: "high",
        confidence: "high",
        message:
          "POST /profile/update writes to DynamoDB table users with the session cookie and no CSRF defence.",
        file: "app/views.py",
        line: 5,
        endLine: 6,
        column: 1,
        route: profileRoute,
        evidence: [
          { file: "app/views.py", line: 7, note: "identity read from the session cookie" },
          { file: "app/views.py", line: 8, note: "update_item writes table users" },
        ],
        fix: {
          description: "Protect the app with Flask-WTF's CSRFProtect.",
          applicability: "unsafe",
          edits: [
            {
              file: "app/__init__.py",
              start: { line: 1, column: 24 },
              end: { line: 1, column: 24 },
              text: "\nfrom flask_wtf.csrf import CSRFProtect",
            },
            {
              file: "app/__init__.py",
              start: { line: 3, column: 22 },
              end: { line: 3, column: 22 },
              text: "\ncsrf = CSRFProtect(app)",
            },
          ],
        },
        cwe: ["CWE-352"],
        owasp: ["API5:2023"],
      },
      {
        id: "aaaa000000000003",
        rule: "CSRF001",
        name: "csrf-unprotected-state-change",
        severity: "high",
        confidence: "medium",
        message: "POST /hook writes to DynamoDB with no CSRF defence.",
        file: "app/views.py",
        line: 12,
        endLine: 13,
        column: 1,
        route: hookRoute,
        evidence: [{ file: "app/views.py", line: 14, note: "put_item writes a table" }],
        fix: null,
        cwe: ["CWE-352"],
        owasp: ["API5:2023"],
        suppressed: { kind: "inline", justification: "signed webhook" },
      },
      {
        id: "aaaa000000000004",
        rule: "ERR001",
        name: "exception-detail-leak",
        severity: "low",
        confidence: "low",
        message: 'The handler returns str(e), e.g. "<script>alert(1)</script>" & more.',
        file: "app/odd <name>.py",
        line: 3,
        endLine: 3,
        column: 5,
        route: null,
        evidence: [],
        fix: null,
        cwe: ["CWE-209"],
        owasp: [],
      },
    ],
  };
  // The pipeline sorts findings by file, then line.
  report.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

  return report;
}

function meta(id: string, name: string, extra: Partial<RuleMeta>): RuleMeta {
  return {
    id,
    name,
    family: "csrf",
    severity: "high",
    confidence: "high",
    cwe: [],
    owasp: [],
    status: "stable",
    fixAvailability: "none",
    summary: `${name} summary`,
    docs: {
      whatItDoes: `Finds ${name}.`,
      why: "An attacker gains something.",
      example: "bad()\n",
      useInstead: "good()\n",
      references: [],
    },
    ...extra,
  };
}

/** Metadata of the rules the sample report names (ERR001 is left out on purpose). */
export const SAMPLE_RULES: RuleMeta[] = [
  meta("CSRF001", "csrf-unprotected-state-change", {
    cwe: ["CWE-352"],
    owasp: ["API5:2023"],
    fixAvailability: "sometimes",
    summary: "State-changing route reachable with ambient credentials and no CSRF defence",
    docs: {
      whatItDoes: "Finds POST routes that write with cookie auth and no CSRF defence.",
      why: "Any site the user visits can make the browser send the request.",
      example: '@app.route("/x", methods=["POST"])\ndef x():\n    table.put_item(Item={})\n',
      useInstead: "csrf = CSRFProtect(app)\n",
      fixSafety: "Adding CSRFProtect rejects forms without a token: unsafe.",
      knownProblems: "Custom token checks in C extensions are not seen.",
      references: ["https://owasp.org/www-community/attacks/csrf"],
    },
  }),
  meta("SECRET001", "hardcoded-secret-key", {
    family: "secrets",
    severity: "critical",
    cwe: ["CWE-798"],
    summary: "Literal Flask secret key",
  }),
];
