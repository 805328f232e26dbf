/**
 * LLM001 unauthenticated-llm-endpoint: a route that calls a model API (OpenAI, Anthropic, the
 * Bedrock runtime, LangChain, LiteLLM), directly or through project helpers, while nothing
 * authenticates its caller: no login decorator, no hook of its app or blueprints that refuses
 * anonymous requests, no identity read in the handler.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import { authenticationOf, unenforcedWords } from "../../concepts/authn.js";
import { describeLlmCall, llmCallsOf } from "../../concepts/llm.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import type { Evidence } from "../../report/types.js";
import { describeRoute, perRoute, routeAnchor } from "../helpers.js";
import type { Rule, RuleFinding } from "../types.js";

export const llm001: Rule = {
  id: "LLM001",
  name: "unauthenticated-llm-endpoint",
  family: "llm",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-306"],
  owasp: ["API4:2023", "LLM10:2025"],
  status: "stable",
  fixAvailability: "none",
  summary: "A route calls an LLM API and nothing authenticates its caller",
  docs: {
    whatItDoes:
      "Finds routes that reach a call to a large-language-model API (OpenAI chat completions or responses, Anthropic messages, Bedrock `invoke_model`/`converse`, LangChain models and chains, LiteLLM), directly or through helper functions, with no authentication in front of them: no login decorator, no request hook of the app or the route's blueprints that refuses anonymous callers, no identity read in the handler.",
    why: "Every call is billed to the app's account. An anonymous endpoint is a free model proxy for anyone who finds it: scripts can run up the bill, exhaust the quota the real users need, or use the app's system prompt and tools for their own purposes.",
    example: `from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()


def complete(question):
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content


@app.post("/ask")
def ask():
    return jsonify(answer=complete(request.get_json()["question"]))
`,
    useInstead: `from flask import Flask, jsonify, request
from flask_login import LoginManager, login_required
from openai import OpenAI

app = Flask(__name__)
login_manager = LoginManager(app)
client = OpenAI()


def complete(question):
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content


@app.post("/ask")
@login_required
def ask():
    return jsonify(answer=complete(request.get_json()["question"]))
`,
    fixSafety: "No automatic edit: requiring a sign-in changes who can use the feature.",
    knownProblems:
      "Model clients the scan does not know (other vendors' SDKs, plain HTTP requests to a model endpoint) are not recognised. Authentication done in front of Flask (an API gateway, a proxy) is not seen.",
    references: [
      "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
      "https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/",
    ],
  },
  check: (ctx) => perRoute(ctx, check),
};

function check(ctx: AnalysisContext, a: RouteAnalysis): RuleFinding | null {
  const uses = llmCallsOf(ctx, a);
  if (uses.length === 0) {
    return null;
  }
  const auth = authenticationOf(ctx, a);
  if (auth.authenticated) {
    return null;
  }
  const route = a.route;
  const methods = [...new Set(uses.flatMap((u) => u.methods))].filter((m) => m !== "HEAD");
  const first = uses[0]!;
  const read =
    auth.unenforced.length > 0
      ? ` (it reads ${unenforcedWords(auth.unenforced)}, but nothing refuses a request without it)`
      : "";
  const evidence: Evidence[] = uses.slice(0, 3).flatMap((u) => {
    const steps: Evidence[] = u.segment.chain.slice(0, 2).map((frame) => ({
      file: frame.module.path,
      line: frame.module.line(frame.call),
      note: "calls the helper that reaches the model",
    }));
    steps.push({
      file: u.module.path,
      line: u.module.line(u.call),
      note: `calls ${describeLlmCall(u)}`,
    });

    return steps;
  });

  return {
    anchor: routeAnchor(route),
    route,
    methods: methods.length > 0 ? methods : route.methods,
    message: `${describeRoute(route, methods.length > 0 ? methods : undefined)} calls ${describeLlmCall(first)} with no authentication${read}: anyone can use the app's model account through it, spending its quota and money.`,
    confidence: "high",
    evidence,
    fix: {
      description:
        'Require a signed-in caller (`@login_required`, `@jwt_required()`, or a blueprint `before_request` hook that aborts with 401), and add a per-user rate limit (`@limiter.limit("20 per hour", key_func=...)`).',
      applicability: "manual",
      edits: [],
    },
    fingerprint: `${route.handler.qualname} ${first.api}`,
  };
}
