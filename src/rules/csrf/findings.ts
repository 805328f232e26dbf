/**
 * Turns CSRF verdicts into route findings for CSRF001 (unsafe methods) and CSRF002 (GET/HEAD):
 * one finding per route and severity, the methods it concerns named in its route, the
 * credential, the write and every defence that was present but did not apply as evidence.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import type { CsrfVerdict } from "../../concepts/csrf.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import { type Evidence, type Fix, severityRank } from "../../report/types.js";
import {
  analyses,
  credentialEvidence,
  credentialWords,
  describeRoute,
  routeAnchor,
} from "../helpers.js";
import type { RuleFinding } from "../types.js";

export function csrfRouteFindings(
  ctx: AnalysisContext,
  safeMethods: boolean,
  exempted = false,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const a of analyses(ctx)) {
    // An exempted unsafe route is CSRF004's; the exemption is what to fix.
    const verdicts = [...a.csrf.values()].filter(
      (v) =>
        v.vulnerable &&
        isSafe(v.method) === safeMethods &&
        (safeMethods || v.defences.includes("exempt") === exempted),
    );
    if (verdicts.length === 0) {
      continue;
    }
    // One finding per severity: a PUT that needs a preflight is not as bad as a POST that does not.
    const bySeverity = new Map<string, CsrfVerdict[]>();
    for (const v of verdicts) {
      const list = bySeverity.get(v.severity) ?? [];
      list.push(v);
      bySeverity.set(v.severity, list);
    }
    for (const group of bySeverity.values()) {
      out.push(findingFor(ctx, a, group, safeMethods));
    }
  }

  return out;
}

function isSafe(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

function findingFor(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  group: CsrfVerdict[],
  safe: boolean,
): RuleFinding {
  const route = a.route;
  const methods = group.map((v) => v.method);
  const shown = methods.filter((m) => m !== "HEAD" || !methods.includes("GET"));
  const first = group[0]!;
  const write = first.writes[0];
  const what = write ? write.note : "changes state";
  const reasons = [...new Set(group.flatMap((v) => v.reasons))];
  const exempt = first.defences.includes("exempt");
  const defenceText = exempt
    ? "is exempted from CSRF protection"
    : first.gaps.length > 0
      ? "has no CSRF defence that applies to it"
      : "has no CSRF defence";
  const message = safe
    ? `${describeRoute(route, shown)} ${what} on a ${shown.join("/")} request, authenticated by ${credentialWords(first.ambient)}: no token scheme checks safe methods, so a link or image tag performs the change${reasons.length ? ` (${reasons.join("; ")})` : ""}.`
    : `${describeRoute(route, shown)} ${what}, authenticated by ${credentialWords(first.ambient)}, and ${defenceText}: another site can make a signed-in user's browser send it${reasons.length ? ` (${reasons.join("; ")})` : ""}.`;
  const evidence: Evidence[] = [
    ...credentialEvidence(first.ambient),
    ...first.writes
      .slice(0, 3)
      .map((w) => ({ file: w.module.path, line: w.module.line(w.node), note: w.note })),
    // HEAD is answered by the GET view: its gaps repeat GET's.
    ...dedupeEvidence(
      group.filter((v) => v.method !== "HEAD" || !methods.includes("GET")).flatMap((v) => v.gaps),
    ),
  ];
  if (first.override) {
    evidence.push({
      file: first.override.module.path,
      line: first.override.module.line(first.override.site),
      note: "method override middleware",
    });
  }
  const severity = group.reduce(
    (s, v) => (severityRank(v.severity) > severityRank(s) ? v.severity : s),
    first.severity,
  );
  void ctx;

  return {
    anchor: routeAnchor(route),
    route,
    methods,
    message,
    severity,
    confidence:
      first.writes.length > 0 && first.ambient.some((c) => c.where !== "hook" || c.enforced)
        ? "high"
        : "medium",
    evidence,
    fix: fixFor(safe, exempt),
    fingerprint: `${route.handler.qualname} ${methods.join(",")}`,
  };
}

function fixFor(safe: boolean, exempt: boolean): Fix {
  if (safe) {
    return {
      description:
        "Serve the change on POST (or DELETE) only and check a CSRF token there; keep GET free of side effects.",
      applicability: "manual",
      edits: [],
    };
  }
  if (exempt) {
    return {
      description:
        "Remove the CSRF exemption, and send the token from the page (a hidden `csrf_token` field or the X-CSRFToken header).",
      applicability: "manual",
      edits: [],
    };
  }

  return {
    description:
      "Protect the app with Flask-WTF: `csrf = CSRFProtect(); csrf.init_app(app)`, render `{{ csrf_token() }}` in forms and send the X-CSRFToken header from JavaScript; set SESSION_COOKIE_SAMESITE='Lax'.",
    applicability: "manual",
    edits: [],
  };
}

function dedupeEvidence(list: Evidence[]): Evidence[] {
  const out: Evidence[] = [];
  for (const e of list) {
    if (!out.some((o) => o.file === e.file && o.line === e.line && o.note === e.note)) {
      out.push(e);
    }
  }

  return out;
}
