/**
 * Calls to large-language-model APIs, the ones that spend the app's model quota on every request:
 * OpenAI (a client's `chat.completions.create`, `responses.create`, `completions.create`,
 * `embeddings.create`, and the pre-1.0 module API `openai.ChatCompletion.create`), Anthropic
 * (`messages.create`/`stream`), the Bedrock runtime client (`invoke_model`, `converse` and their
 * streaming forms, and the agent runtime), LangChain chat models, LLMs and chains (`invoke`,
 * `predict`, `generate`, `stream`, `batch`, `run`, or calling the model object), and LiteLLM's
 * `completion`. A route reaches them directly or through project helpers; `llmCallsOf` reads the
 * route's method traces, which follow those helpers.
 */

import type { AnalysisContext } from "../analysis/context.js";
import type { PyNode } from "../python/ast.js";
import { argument, child, stringValue, walk } from "../python/ast.js";
import type { Evaluator, Value } from "../python/evaluate.js";
import { matchesQualname } from "../python/evaluate.js";
import type { Module } from "../python/project.js";
import type { RouteAnalysis } from "./route.js";
import type { Segment } from "./walker.js";

export type LlmProvider = "openai" | "anthropic" | "bedrock" | "langchain" | "litellm";

export interface LlmCall {
  call: PyNode;
  module: Module;
  provider: LlmProvider;
  /** The API as a developer would name it: `chat.completions.create`, `invoke_model`. */
  api: string;
}

export interface LlmUse extends LlmCall {
  /** Where the route's walk meets the call (its chain names the helpers on the way). */
  segment: Segment;
  /** The route's methods under which the call is reached. */
  methods: string[];
}

const OPENAI_CLIENTS = [
  "openai.OpenAI",
  "openai.AsyncOpenAI",
  "openai.AzureOpenAI",
  "openai.AsyncAzureOpenAI",
];
const OPENAI_APIS = new Set([
  "chat.completions.create",
  "chat.completions.parse",
  "chat.completions.stream",
  "beta.chat.completions.parse",
  "beta.chat.completions.stream",
  "responses.create",
  "responses.parse",
  "responses.stream",
  "completions.create",
  "embeddings.create",
  "images.generate",
]);
/** The module-level API: `openai.ChatCompletion.create` before 1.0, `openai.chat.completions.create` after. */
const OPENAI_MODULE_API =
  /^openai\.(ChatCompletion|Completion|Embedding)\.a?create$|^openai\.(chat\.completions|completions|responses|embeddings)\.create$/;

const ANTHROPIC_CLIENTS = [
  "anthropic.Anthropic",
  "anthropic.AsyncAnthropic",
  "anthropic.AnthropicBedrock",
  "anthropic.AsyncAnthropicBedrock",
  "anthropic.AnthropicVertex",
  "anthropic.AsyncAnthropicVertex",
];
const ANTHROPIC_APIS = new Set([
  "messages.create",
  "messages.stream",
  "beta.messages.create",
  "completions.create",
]);

/** Operations of the Bedrock runtime clients that run a model, by service name. */
const BEDROCK_APIS: Record<string, Set<string>> = {
  "bedrock-runtime": new Set([
    "invoke_model",
    "invoke_model_with_response_stream",
    "converse",
    "converse_stream",
  ]),
  "bedrock-agent-runtime": new Set([
    "invoke_agent",
    "retrieve_and_generate",
    "retrieve_and_generate_stream",
    "invoke_inline_agent",
  ]),
};

/** LangChain classes that talk to a model: chat models, completion LLMs, chains and agents. */
const LANGCHAIN_MODEL =
  /^(Chat[A-Z]\w*|\w*LLM|OpenAI|AzureOpenAI|Anthropic|Bedrock|BedrockLLM|Ollama|VertexAI|GoogleGenerativeAI|Cohere|HuggingFace\w*|\w*Chain|AgentExecutor)$/;
const LANGCHAIN_CALLS = new Set([
  "invoke",
  "ainvoke",
  "predict",
  "apredict",
  "predict_messages",
  "generate",
  "agenerate",
  "stream",
  "astream",
  "batch",
  "abatch",
  "run",
  "arun",
  "__call__",
]);
/** LangChain methods that wrap a model in another runnable that still calls it. */
const LANGCHAIN_WRAPPERS = new Set([
  "with_structured_output",
  "bind",
  "bind_tools",
  "with_config",
  "with_retry",
  "with_fallbacks",
]);

/** Whether `call` calls a model API, and which. */
export function classifyLlmCall(call: PyNode, module: Module, ev: Evaluator): LlmCall | null {
  const fn = child(call, "function");
  if (!fn) {
    return null;
  }
  for (const v of ev.eval(fn, module)) {
    const found = classifyCallee(v, ev);
    if (found) {
      return { call, module, ...found };
    }
  }

  return null;
}

function classifyCallee(v: Value, ev: Evaluator): { provider: LlmProvider; api: string } | null {
  if (v.kind === "external") {
    if (OPENAI_MODULE_API.test(v.qualname)) {
      return { provider: "openai", api: v.qualname };
    }
    if (/^litellm\.a?(completion|responses|text_completion)$/.test(v.qualname)) {
      return { provider: "litellm", api: v.qualname };
    }

    return null;
  }
  // Calling a LangChain model object itself: `llm("question")`.
  if (v.kind === "call" && v.callee.kind === "external" && isLangchainModel(v.callee.qualname)) {
    return { provider: "langchain", api: `${lastName(v.callee.qualname)}()` };
  }
  if (v.kind !== "member") {
    return null;
  }
  const { path, root } = memberPath(v);
  if (root.kind !== "call") {
    return null;
  }
  const api = path.join(".");
  const callee = root.callee;
  if (callee.kind === "external") {
    if (matchesQualname(callee.qualname, OPENAI_CLIENTS) && OPENAI_APIS.has(api)) {
      return { provider: "openai", api };
    }
    if (matchesQualname(callee.qualname, ANTHROPIC_CLIENTS) && ANTHROPIC_APIS.has(api)) {
      return { provider: "anthropic", api };
    }
    if (isLangchainModel(callee.qualname) && path.length === 1 && LANGCHAIN_CALLS.has(api)) {
      return { provider: "langchain", api: `${lastName(callee.qualname)}.${api}` };
    }
  }
  // `boto3.client("bedrock-runtime")`, `session.client("bedrock-runtime")`.
  const isClientFactory =
    (callee.kind === "external" && /^boto3(\.session)?\.client$/.test(callee.qualname)) ||
    (callee.kind === "member" && callee.name === "client");
  if (isClientFactory && path.length === 1) {
    const service = serviceName(root.site, root.module, ev);
    if (service && BEDROCK_APIS[service]?.has(api)) {
      return { provider: "bedrock", api };
    }
  }

  return null;
}

/** `client.chat.completions.create` → path `chat.completions.create` under the client value. */
function memberPath(v: Value): { path: string[]; root: Value } {
  const path: string[] = [];
  let cur: Value = v;
  for (let depth = 0; depth < 8; depth++) {
    if (cur.kind === "member") {
      path.unshift(cur.name);
      cur = cur.of;
    } else if (
      cur.kind === "call" &&
      cur.callee.kind === "member" &&
      LANGCHAIN_WRAPPERS.has(cur.callee.name)
    ) {
      // `llm.with_structured_output(Schema).invoke(...)` still calls `llm`.
      cur = cur.callee.of;
    } else {
      break;
    }
  }

  return { path, root: cur };
}

function isLangchainModel(qualname: string): boolean {
  return /^langchain(_[a-z]+)?\./.test(qualname) && LANGCHAIN_MODEL.test(lastName(qualname));
}

function lastName(qualname: string): string {
  return qualname.slice(qualname.lastIndexOf(".") + 1);
}

function serviceName(site: PyNode, module: Module, ev: Evaluator): string | null {
  const arg = argument(site, 0, "service_name");
  if (!arg) {
    return null;
  }
  const literal = stringValue(arg);
  if (literal !== null) {
    return literal;
  }
  const v = ev.eval(arg, module).find((x) => x.kind === "const");

  return v?.kind === "const" && typeof v.value === "string" ? v.value : null;
}

const cache = new WeakMap<RouteAnalysis, LlmUse[]>();

/** Model calls a route reaches, under each method it answers, with the walk that reaches them. */
export function llmCallsOf(ctx: AnalysisContext, a: RouteAnalysis): LlmUse[] {
  const cached = cache.get(a);
  if (cached) {
    return cached;
  }
  const byCall = new Map<PyNode, LlmUse>();
  for (const [method, m] of a.methods) {
    for (const segment of m.trace.segments) {
      walk(segment.expr, (n) => {
        if (n.type === "lambda" || n.type === "function_definition") {
          return false;
        }
        if (n.type !== "call") {
          return true;
        }
        const known = byCall.get(n);
        if (known) {
          if (!known.methods.includes(method)) {
            known.methods.push(method);
          }
          return true;
        }
        const found = classifyLlmCall(n, segment.module, ctx.ev);
        if (found) {
          byCall.set(n, { ...found, segment, methods: [method] });
        }
        return true;
      });
    }
  }
  const out = [...byCall.values()];
  cache.set(a, out);

  return out;
}

const PROVIDER_WORDS: Record<LlmProvider, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  bedrock: "Amazon Bedrock",
  langchain: "LangChain",
  litellm: "LiteLLM",
};

/** `the OpenAI API (chat.completions.create)`, for messages. */
export function describeLlmCall(c: LlmCall): string {
  return `the ${PROVIDER_WORDS[c.provider]} API (${c.api})`;
}
