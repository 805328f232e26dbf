/**
 * Shared pieces for rule modules: route-level anchors (first decorator through the `def` line),
 * evidence lines, and short descriptions of routes and credentials for messages.
 */

import { type Anchor, anchorAt } from "../analysis/anchors.js";
import type { AnalysisContext } from "../analysis/context.js";
import type { CredentialUse, RouteAnalysis } from "../concepts/route.js";
import type { Route } from "../flask/model.js";
import type { PyNode } from "../python/ast.js";
import type { Module } from "../python/project.js";
import type { Evidence } from "../report/types.js";
import type { RuleFinding } from "./types.js";

/** Route findings span the first decorator to the `def` line. */
export function routeAnchor(route: Route): Anchor {
  const module = route.handler.module;
  const def = route.handler.def;
  const anchor = anchorAt(module, route.anchor);
  const defLine = module.line(def);

  return { ...anchor, endLine: Math.max(anchor.line, defLine), text: `${route.handler.qualname}` };
}

export function evidenceAt(module: Module, node: PyNode, note: string): Evidence {
  return { file: module.path, line: module.line(node), note };
}

const CREDENTIAL_WORDS: Record<string, string> = {
  "session-cookie": "the Flask session cookie",
  "flask-login": "Flask-Login's session",
  "jwt-cookie": "a JWT in a cookie",
  "jwt-header": "a bearer token",
  basic: "HTTP Basic credentials",
  "api-key-header": "an API-key header",
  custom: "a cookie",
  none: "no credential",
};

export function credentialWords(c: CredentialUse[]): string {
  const words = [...new Set(c.map((x) => CREDENTIAL_WORDS[x.kind] ?? x.kind))];

  return words.length <= 1
    ? (words[0] ?? "no credential")
    : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export function credentialEvidence(c: CredentialUse[]): Evidence[] {
  return c.slice(0, 3).map((x) => ({
    file: x.module.path,
    line: x.module.line(x.node),
    note: `authenticates with ${CREDENTIAL_WORDS[x.kind] ?? x.kind} (${x.where}), which the browser sends by itself`,
  }));
}

export function describeRoute(route: Route, methods?: string[]): string {
  return `${(methods ?? route.methods).join("/")} ${route.path}`;
}

/** Runs a per-route check over every analysed route and keeps the findings it returns. */
export function perRoute(
  ctx: AnalysisContext,
  check: (ctx: AnalysisContext, a: RouteAnalysis) => RuleFinding | null,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const a of analyses(ctx)) {
    const finding = check(ctx, a);
    if (finding) {
      out.push(finding);
    }
  }

  return out;
}

export function analyses(ctx: AnalysisContext): RouteAnalysis[] {
  return [...ctx.routes.values()];
}
