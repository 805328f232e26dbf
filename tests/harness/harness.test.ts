/**
 * Tests of the test harness itself, on hand-made findings and routes: the harness decides what
 * the case, fixture and model suites report, so a matcher that is too lenient would make those
 * suites pass without proving anything.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Finding, Report, RouteJson } from "../../src/report/types.js";
import type { CaseTarget } from "./cases.js";
import {
  type Expectation,
  findingMatches,
  judge,
  parseVerdicts,
  pendingOn,
  ruleMatches,
} from "./expectations.js";
import {
  contentDigest,
  duplicateGroups,
  judgeAnnotation,
  judgeUnexpected,
  parseFixtureFiles,
} from "./fixtures.js";
import { type KnownGap, unusedGaps } from "./known-gaps.js";
import { judgeModelAnnotation, type ModelAnnotation, parseModelFiles, tokenize } from "./model.js";

const CATALOG = ["CSRF001", "CSRF002", "CSRF003", "COOKIE001", "AUTH001", "AUTHZ001"];

function route(over: Partial<RouteJson> = {}): RouteJson {
  return {
    app: "app",
    blueprint: null,
    path: "/items/<int:item_id>",
    methods: ["POST"],
    handler: { file: "app.py", line: 10, name: "update_item" },
    auth: ["session-cookie"],
    csrf: ["none"],
    dynamo: [],
    ...over,
  };
}

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: "x",
    rule: "CSRF001",
    name: "csrf-unprotected-state-change",
    severity: "high",
    confidence: "high",
    message: "m",
    file: "app.py",
    line: 14,
    endLine: 15,
    column: 1,
    route: route(),
    evidence: [],
    fix: null,
    cwe: ["CWE-352"],
    owasp: [],
    ...over,
  };
}

function report(findings: Finding[], routes: RouteJson[] = []): Report {
  return {
    tool: { name: "flaskguard", version: "0" },
    stats: { files: 1, lines: 1, parseErrors: 0, durationMs: 0 },
    errors: [],
    routes,
    findings,
  };
}

describe("expectation matching", () => {
  it("matches family wildcards on the family's own ids only", () => {
    assert.ok(ruleMatches("CSRF*", "CSRF003"));
    assert.ok(!ruleMatches("CSRF*", "COOKIE001"));
    assert.ok(!ruleMatches("AUTH*", "AUTHZ001"));
    assert.ok(ruleMatches("AUTH*", "AUTH001"));
    assert.ok(!ruleMatches("CSRF001", "CSRF0011"));
  });

  it("matches the route by method and exact path", () => {
    const f = finding({ route: route({ methods: ["GET", "POST"] }) });
    assert.ok(findingMatches({ rule: "CSRF001", route: "POST /items/<int:item_id>" }, f));
    assert.ok(findingMatches({ rule: "CSRF001", route: "GET /items/<int:item_id>" }, f));
    assert.ok(!findingMatches({ rule: "CSRF001", route: "PUT /items/<int:item_id>" }, f));
    assert.ok(!findingMatches({ rule: "CSRF001", route: "POST /items/<item_id>" }, f));
    assert.ok(!findingMatches({ rule: "CSRF001", route: "POST /x" }, finding({ route: null })));
  });

  it("accepts a line inside the range or at most two lines off", () => {
    const f = finding({ line: 14, endLine: 15 });
    for (const line of [12, 14, 15, 17]) {
      assert.ok(findingMatches({ rule: "CSRF001", file: "app.py", line }, f), `line ${line}`);
    }
    for (const line of [11, 18]) {
      assert.ok(!findingMatches({ rule: "CSRF001", file: "app.py", line }, f), `line ${line}`);
    }
    assert.ok(!findingMatches({ rule: "CSRF001", file: "other.py", line: 14 }, f));
  });

  it("applies severity bounds inclusively", () => {
    const f = finding({ severity: "medium" });
    assert.ok(findingMatches({ rule: "CSRF001", minSeverity: "medium" }, f));
    assert.ok(!findingMatches({ rule: "CSRF001", minSeverity: "high" }, f));
    assert.ok(findingMatches({ rule: "CSRF001", maxSeverity: "medium" }, f));
    assert.ok(!findingMatches({ rule: "CSRF001", maxSeverity: "low" }, f));
  });

  it("is pending until one rule it names is built", () => {
    assert.equal(pendingOn({ rule: "CSRF001" }, new Set(), CATALOG), "CSRF001");
    assert.equal(pendingOn({ rule: "CSRF001" }, new Set(["CSRF001"]), CATALOG), null);
    assert.match(pendingOn({ rule: "CSRF*" }, new Set(["AUTH001"]), CATALOG) ?? "", /CSRF\*/);
    assert.equal(pendingOn({ rule: "CSRF*" }, new Set(["CSRF002"]), CATALOG), null);
    assert.throws(() => pendingOn({ rule: "NOPE001" }, new Set(), CATALOG), /names no rule/);
  });

  it("reads variants and rejects malformed verdicts", () => {
    const v = parseVerdicts({ variants: { app_a: { findings: [{ rule: "CSRF001" }] } } }, "e");
    assert.deepEqual([...v.keys()], ["app_a"]);
    assert.deepEqual(v.get("app_a")?.absent, []);
    assert.throws(() => parseVerdicts({ findings: [{ rule: "CSRF001", lines: 3 }] }, "e"), /lines/);
    assert.throws(() => parseVerdicts({ findings: [{ rule: "CSRF001", line: 3 }] }, "e"), /file/);
    assert.throws(() => parseVerdicts({ absent: [{ rule: "X", route: "/x" }] }, "e"), /METHOD/);
  });
});

describe("case judging", () => {
  const rules = { built: new Set(["CSRF001"]), catalog: CATALOG };
  const exp: Expectation = { rule: "CSRF001", route: "POST /items/<int:item_id>" };
  const target: CaseTarget = {
    caseName: "001-x",
    variant: "app_a",
    root: "/nowhere",
    verdict: { findings: [exp], absent: [] },
  };
  const gap: KnownGap = {
    case: "001-x",
    variant: "app_a",
    list: "findings",
    expectation: { route: "POST /items/<int:item_id>", rule: "CSRF001" },
    reason: "model misses the prefix",
  };

  it("passes, fails with the produced findings, or waits for the rule", () => {
    assert.equal(judge("findings", exp, report([finding()]), undefined, rules).kind, "pass");
    const failed = judge(
      "findings",
      exp,
      report([finding({ rule: "CSRF001", route: null })]),
      undefined,
      rules,
    );
    assert.equal(failed.kind, "fail");
    assert.match(
      failed.kind === "fail" ? failed.message : "",
      /CSRF001 high\/high \(no route\) at app\.py:14-15/,
    );
    assert.equal(judge("absent", exp, report([finding()]), undefined, rules).kind, "fail");
    const pending = judge("findings", { rule: "CSRF002" }, report([]), undefined, rules);
    assert.deepEqual(pending, { kind: "pending", waitsFor: "CSRF002" });
  });

  it("reports an open known gap as todo and a closed one as a failure", () => {
    assert.equal(judge("findings", exp, report([]), gap, rules).kind, "todo");
    const closed = judge("findings", exp, report([finding()]), gap, rules);
    assert.equal(closed.kind, "fail");
    assert.match(closed.kind === "fail" ? closed.message : "", /known gap now passes: remove it/);
  });

  it("finds known gaps that name no expectation", () => {
    assert.deepEqual(unusedGaps([gap], [target]), []);
    const stale = { ...gap, variant: "app_b" };
    assert.deepEqual(unusedGaps([stale], [target]), [stale]);
    const wrongList = { ...gap, list: "absent" as const };
    assert.deepEqual(unusedGaps([wrongList], [target]), [wrongList]);
    const anyList = { ...gap, list: undefined };
    assert.deepEqual(unusedGaps([anyList], [target]), []);
  });
});

describe("fixture annotations", () => {
  const text = [
    "from flask import Flask",
    "# expect: CSRF001, AUTH001",
    "",
    "# a plain comment",
    "@app.post('/a')",
    "def a():",
    "    pass",
    "# ok: CSRF001",
    "def b():",
    "    pass",
    "# todo-expect: CSRF001",
    "def c():",
    "    pass",
    "# expect CSRF001",
    "# todo-ok: CSRF001",
  ].join("\n");
  const parsed = parseFixtureFiles([{ file: "app.py", text }]);

  it("points each annotation at the next code line", () => {
    const where = parsed.annotations.map((a) => `${a.kind} ${a.rule} ${a.target}`);
    assert.deepEqual(where, [
      "expect CSRF001 5",
      "expect AUTH001 5",
      "ok CSRF001 9",
      "todo-expect CSRF001 12",
    ]);
  });

  it("reports malformed and dangling annotations", () => {
    assert.equal(parsed.problems.length, 2);
    assert.match(parsed.problems[0] ?? "", /app\.py:14: .*looks like an annotation/);
    assert.match(parsed.problems[1] ?? "", /app\.py:15: .*no code line after it/);
  });

  const built = new Set(["CSRF001"]);
  const [expectA, expectAuth, okB, todoC] = parsed.annotations;

  it("judges expect, ok, todo-expect and todo-ok both ways", () => {
    assert.ok(expectA && expectAuth && okB && todoC);
    const atA = report([finding({ line: 5, endLine: 6 })]);
    const atB = report([finding({ line: 9, endLine: 9 })]);
    const atC = report([finding({ line: 12, endLine: 12 })]);
    assert.equal(judgeAnnotation(expectA, atA, built).kind, "pass");
    assert.equal(judgeAnnotation(expectA, atB, built).kind, "fail");
    assert.equal(judgeAnnotation(expectAuth, atA, built).kind, "pending");
    assert.equal(judgeAnnotation(okB, atA, built).kind, "pass");
    assert.equal(judgeAnnotation(okB, atB, built).kind, "fail");
    assert.equal(judgeAnnotation(todoC, atA, built).kind, "todo");
    const found = judgeAnnotation(todoC, atC, built);
    assert.match(
      found.kind === "fail" ? found.message : "",
      /todo-expect now found: change it to expect/,
    );
    const todoOk = { ...okB, kind: "todo-ok" as const };
    assert.equal(judgeAnnotation(todoOk, atB, built).kind, "todo");
    assert.match(
      (judgeAnnotation(todoOk, atA, built) as { message: string }).message,
      /todo-ok no longer reported/,
    );
  });

  it("treats a renamed copy of a fixture as a duplicate", () => {
    const a = { name: "R/a.py", path: "/f/a.py", isFile: true };
    const b = { name: "R/b.py", path: "/f/b.py", isFile: true };
    const c = { name: "R/c.py", path: "/f/c.py", isFile: true };
    const digests = new Map([
      [a, contentDigest(a, [{ file: "a.py", text: "x = 1\n\n# ok: R001\ny = 2\n" }])],
      [b, contentDigest(b, [{ file: "b.py", text: "x = 1   \n# ok: R001\ny = 2" }])],
      [c, contentDigest(c, [{ file: "c.py", text: "x = 1\n# ok: R001\ny = 3\n" }])],
    ]);
    assert.deepEqual(duplicateGroups(digests), [[a, b]]);
  });

  it("fails on findings no annotation accounts for", () => {
    const stray = report([finding({ line: 5, endLine: 6 }), finding({ line: 30, endLine: 30 })]);
    const outcome = judgeUnexpected("CSRF001", parsed.annotations, stray, built);
    assert.equal(outcome.kind, "fail");
    assert.match(outcome.kind === "fail" ? outcome.message : "", /app\.py:30\b/);
    assert.doesNotMatch(outcome.kind === "fail" ? outcome.message : "", /app\.py:5-6/);
    const otherRule = report([finding({ rule: "COOKIE001", line: 30, endLine: 30 })]);
    assert.equal(judgeUnexpected("CSRF001", parsed.annotations, otherRule, built).kind, "pass");
  });
});

describe("model annotations", () => {
  it("tokenizes quoted and bare values and rejects stray text", () => {
    assert.deepEqual(tokenize('route="POST /a b" auth=basic'), [
      ["route", "POST /a b"],
      ["auth", "basic"],
    ]);
    assert.equal(tokenize("route=POST /a"), null);
  });

  const parse = (line: string): ModelAnnotation | string => {
    const { annotations, problems } = parseModelFiles([{ file: "app.py", text: `# $ ${line}` }]);
    return annotations[0] ?? problems.join("\n");
  };

  it("rejects unknown keys and kinds", () => {
    assert.match(String(parse('route="GET /" color=red')), /unknown key color/);
    assert.match(String(parse('route="GET /" auth=cookie')), /unknown kind cookie/);
    assert.match(String(parse('route="GET /" dynamo=put_item:writes')), /dynamo/);
    assert.match(String(parse('routes=3 route="GET /"')), /stands alone/);
  });

  const routes = [
    route({
      methods: ["POST", "OPTIONS"],
      auth: ["session-cookie", "custom"],
      csrf: ["csrfprotect"],
      dynamo: [
        { op: "update_item", table: "items", write: true, file: "app.py", line: 12 },
        { op: "get_item", table: "items", write: false, file: "app.py", line: 11 },
      ],
    }),
    route({ path: "/", methods: ["GET"], handler: { file: "app.py", line: 3, name: "index" } }),
  ];
  const judgeLine = (line: string) => {
    const a = parse(line);
    assert.ok(typeof a !== "string", a as string);
    return judgeModelAnnotation(a, routes).kind;
  };

  it("compares kinds and operations as sets", () => {
    assert.equal(
      judgeLine(
        'route="POST /items/<int:item_id>" auth=custom+session-cookie csrf=csrfprotect ' +
          "dynamo=get_item:read+update_item:write methods=POST handler=update_item blueprint=none",
      ),
      "pass",
    );
    assert.equal(judgeLine('route="POST /items/<int:item_id>" auth=session-cookie'), "fail");
    assert.equal(judgeLine('route="POST /items/<int:item_id>" dynamo=update_item'), "fail");
    assert.equal(
      judgeLine('route="POST /items/<int:item_id>" dynamo=get_item:write+update_item'),
      "fail",
    );
    assert.equal(judgeLine('route="POST /items/<int:item_id>" methods=POST+PUT'), "fail");
    assert.equal(judgeLine('route="POST /items/<int:item_id>" methods=POST+OPTIONS'), "pass");
    assert.equal(judgeLine('route="GET /" dynamo=none blueprint=none'), "pass");
    assert.equal(judgeLine('route="GET /items/<int:item_id>"'), "fail");
  });

  it("checks absence, the total, and that the handler is in the annotated file", () => {
    assert.equal(judgeLine('no-route="GET /items/<int:item_id>"'), "pass");
    assert.equal(judgeLine('no-route="GET /"'), "fail");
    assert.equal(judgeLine("routes=2"), "pass");
    assert.equal(judgeLine("routes=3"), "fail");
    const { annotations } = parseModelFiles([{ file: "views.py", text: '# $ route="GET /"' }]);
    const [a] = annotations;
    assert.ok(a);
    assert.equal(judgeModelAnnotation(a, routes).kind, "fail");
  });
});
