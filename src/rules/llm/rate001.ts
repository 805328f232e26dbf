/**
 * RATE001 missing-rate-limit: routes that invite automated abuse with no rate limit — logins
 * (password guessing), password and e-mail changes (guessing the current password, mail
 * flooding) and LLM calls (spending the model quota). A limit is Flask-Limiter's, as
 * `concepts/limits.ts` decides: a decorator or registration-time limit, or default limits that
 * the route is not exempted from.
 */

import type { AnalysisContext } from "../../analysis/context.js";
import { authenticationOf } from "../../concepts/authn.js";
import { rateLimitOf } from "../../concepts/limits.js";
import { describeLlmCall, llmCallsOf } from "../../concepts/llm.js";
import type { RouteAnalysis } from "../../concepts/route.js";
import * as N from "../../flask/names.js";
import type { Evidence } from "../../report/types.js";
import {
  credentialWrite,
  isCredentialChangeByName,
  isLoginByName,
  passwordCheck,
} from "../auth/purpose.js";
import { describeRoute, perRoute, routeAnchor } from "../helpers.js";
import type { Rule, RuleFinding } from "../types.js";

export const rate001: Rule = {
  id: "RATE001",
  name: "missing-rate-limit",
  family: "llm",
  severity: "info",
  confidence: "medium",
  cwe: ["CWE-770", "CWE-307"],
  owasp: ["API4:2023", "A07:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "A login, password or e-mail change, or LLM route has no rate limit",
  docs: {
    whatItDoes:
      "Finds login routes (by path or handler name, or because they check a password), password and e-mail change routes (by path or name, or because they write `password`/`password_hash`/`email` for a signed-in caller) and routes that call an LLM API, when no Flask-Limiter limit applies to them: no `@limiter.limit`, no limit applied to the view or its blueprint at registration, and no default limits, or an `@limiter.exempt` that removes them.",
    why: "Without a limit a script can try passwords as fast as the server answers, guess the current password on a change form, or burn through the model quota and budget of an LLM feature.",
    example: `from flask import Flask, abort, request, session
from werkzeug.security import check_password_hash

app = Flask(__name__)
USERS = {}


@app.post("/login")
def login():
    user = USERS.get(request.form["email"])
    if user is None or not check_password_hash(user["hash"], request.form["password"]):
        abort(401)
    session["user_id"] = user["id"]
    return "", 204
`,
    useInstead: `from flask import Flask, abort, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.security import check_password_hash

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app)
USERS = {}


@app.post("/login")
@limiter.limit("5 per minute")
def login():
    user = USERS.get(request.form["email"])
    if user is None or not check_password_hash(user["hash"], request.form["password"]):
        abort(401)
    session["user_id"] = user["id"]
    return "", 204
`,
    fixSafety:
      "No automatic edit: the right limit and key (client address, account, API key) depend on the traffic.",
    knownProblems:
      "Limits enforced outside Flask (a proxy, an API gateway, a WAF) and limiters other than Flask-Limiter are not seen, except project decorators named `rate_limit` or `throttle`, which are taken at their word. Default limits that exempt some routes through `default_limits_exempt_when` are treated as applying.",
    references: [
      "https://flask-limiter.readthedocs.io/en/stable/",
      "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#login-throttling",
    ],
  },
  check: (ctx) => perRoute(ctx, check),
};

interface Concern {
  /** What the route does that needs a limit, for the message. */
  what: string;
  evidence: Evidence[];
  methods: string[];
}

function check(ctx: AnalysisContext, a: RouteAnalysis): RuleFinding | null {
  const concern = concernOf(ctx, a);
  if (!concern) {
    return null;
  }
  const unlimited: string[] = [];
  const why: string[] = [];
  const evidence = [...concern.evidence];
  for (const method of concern.methods) {
    const limit = rateLimitOf(ctx, a, method);
    if (limit.limited) {
      continue;
    }
    unlimited.push(method);
    if (!why.includes(limit.reason)) {
      why.push(limit.reason);
      evidence.push(...limit.evidence);
    }
  }
  if (unlimited.length === 0) {
    return null;
  }
  const route = a.route;

  return {
    anchor: routeAnchor(route),
    route,
    methods: unlimited,
    message: `${describeRoute(route, unlimited)} ${concern.what} with no rate limit (${why.join("; ")}): a script can repeat it as fast as the server answers.`,
    evidence: dedupe(evidence),
    fix: {
      description:
        'Limit the route with Flask-Limiter: `@limiter.limit("5 per minute")` for logins and credential changes, a per-user key for LLM calls; or set `default_limits` on the Limiter and keep this route under them.',
      applicability: "manual",
      edits: [],
    },
    fingerprint: `${route.handler.qualname} ${unlimited.join(",")}`,
  };
}

/** Why the route needs a limit, and for which methods; null when it does not. */
function concernOf(ctx: AnalysisContext, a: RouteAnalysis): Concern | null {
  const route = a.route;
  const llm = llmCallsOf(ctx, a);
  if (llm.length > 0) {
    const first = llm[0]!;

    return {
      what: `calls ${describeLlmCall(first)}`,
      evidence: [
        {
          file: first.module.path,
          line: first.module.line(first.call),
          note: `calls ${describeLlmCall(first)}`,
        },
      ],
      methods: [...new Set(llm.flatMap((u) => u.methods))].filter((m) => m !== "HEAD"),
    };
  }
  const unsafe = [...a.methods.keys()].filter((m) => N.UNSAFE_METHODS.includes(m));
  if (unsafe.length === 0) {
    return null;
  }
  if (isCredentialChangeByName(route)) {
    return { what: "changes a password or e-mail address", evidence: [], methods: unsafe };
  }
  const authenticated = authenticationOf(ctx, a).authenticated;
  const writes = unsafe
    .map((m) => ({ m, w: credentialWrite(ctx, a, m) }))
    .filter((x) => x.w !== null);
  if (authenticated && writes.length > 0) {
    const w = writes[0]!.w!;

    return {
      what: `changes the account's \`${w.name}\``,
      evidence: [
        { file: w.module.path, line: w.module.line(w.node), note: `writes \`${w.name}\`` },
      ],
      methods: writes.map((x) => x.m),
    };
  }
  if (isLoginByName(route)) {
    return { what: "signs users in", evidence: [], methods: unsafe };
  }
  const checks = unsafe
    .map((m) => ({ m, c: passwordCheck(ctx, a, m) }))
    .filter((x) => x.c !== null);
  if (checks.length > 0) {
    const c = checks[0]!.c!;

    return {
      what: "checks a password",
      evidence: [{ file: c.module.path, line: c.module.line(c.node), note: "verifies a password" }],
      methods: checks.map((x) => x.m),
    };
  }

  return null;
}

function dedupe(list: Evidence[]): Evidence[] {
  return list.filter(
    (e, i) =>
      list.findIndex((o) => o.file === e.file && o.line === e.line && o.note === e.note) === i,
  );
}
