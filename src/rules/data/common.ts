/**
 * Shared walking for data-layer rules: every DynamoDB operation each route reaches, once per
 * route and call site, with the route analysis and the flow context to trace its arguments.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import type { RouteAnalysis, SinkAt } from "../../concepts/route.js";
import type { FlowOrigin } from "../../dataflow/flow.js";
import type { Evidence } from "../../report/types.js";

export interface RouteSink {
  a: RouteAnalysis;
  method: string;
  sink: SinkAt;
}

/** Each (route, operation) pair once, under the first method that reaches it. */
export function routeSinks(ctx: AnalysisContext): RouteSink[] {
  const out: RouteSink[] = [];
  for (const a of ctx.routes.values()) {
    const seen = new Set<unknown>();
    for (const [method, m] of a.methods) {
      if (method === "HEAD") {
        continue;
      }
      for (const sink of m.ops) {
        if (!seen.has(sink.op.call)) {
          seen.add(sink.op.call);
          out.push({ a, method, sink });
        }
      }
    }
  }

  return out;
}

const PART_WORDS: Record<string, string> = {
  "view-arg": "URL variable",
  form: "form field",
  args: "query parameter",
  values: "request value",
  json: "JSON body",
  "json-forced": "JSON body",
  data: "request body",
  files: "uploaded file",
  headers: "header",
  cookies: "cookie",
};

export function describeOrigin(o: FlowOrigin): string {
  if (o.kind !== "request") {
    return o.kind;
  }
  const what = PART_WORDS[o.part] ?? o.part;
  if (o.keyOf) {
    return `the keys of the ${what}`;
  }
  if (o.whole) {
    return `the whole ${what.replace(/ field$/, "")}`;
  }

  return o.key ? `${what} \`${o.key}\`` : `the ${what}`;
}

export function originEvidence(o: FlowOrigin, note: string): Evidence {
  return { file: o.module.path, line: o.module.line(o.node), note };
}

/** Flow findings chain evidence: source, the calls that carry it, the sink. */
export function chainEvidence(sink: SinkAt): Evidence[] {
  return sink.segment.chain.map((f) => ({
    file: f.module.path,
    line: f.module.line(f.call),
    note: "passed on through this call",
  }));
}

/** Evidence of a flow finding: where the value comes from, the calls that carry it, the sink. */
export function flowEvidence(
  source: FlowOrigin,
  sourceNote: string,
  sink: SinkAt,
  sinkNote: string,
): Evidence[] {
  return [
    originEvidence(source, sourceNote),
    ...chainEvidence(sink),
    { file: sink.op.module.path, line: sink.op.module.line(sink.op.call), note: sinkNote },
  ];
}

/** A fingerprint for a sink finding that survives line moves: handler and the call's text. */
export function sinkFingerprint(a: RouteAnalysis, sink: SinkAt): string {
  return `${a.route.handler.qualname} ${sink.op.module.text(sink.op.call).slice(0, 80)}`;
}
