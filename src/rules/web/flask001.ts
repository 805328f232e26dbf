/**
 * FLASK001 debug-mode: the Werkzeug debugger or Flask debug mode outside development:
 * `app.run(debug=True)` (also under `if __name__ == "__main__"`), `socketio.run(app, debug=True)`,
 * `DebuggedApplication(app, evalex=True)`, and `DEBUG = True` / `app.debug = True` /
 * `app.config["DEBUG"] = True` in the configuration the app runs with in production. Debug read
 * from an environment variable that defaults to off, test code and development configuration
 * classes are not reported.
 */

import { anchorAt } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { siteOf } from "../../flask/build.js";
import type { PyNode } from "../../python/ast.js";
import { argument, callArgs, child, stringValue, unparen } from "../../python/ast.js";
import { matchesQualname } from "../../python/evaluate.js";
import type { Module } from "../../python/project.js";
import type { Severity } from "../../report/types.js";
import {
  envDefault,
  productionSettings,
  pyTruthy,
  replaceNode,
  settingEvidence,
} from "../cookie/settings.js";
import type { Rule, RuleFinding } from "../types.js";

const DEBUGGED_APPLICATION = ["werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"];
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export const flask001: Rule = {
  id: "FLASK001",
  name: "debug-mode",
  family: "web",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-489", "CWE-94"],
  owasp: ["A05:2021"],
  status: "stable",
  fixAvailability: "sometimes",
  summary: "The Werkzeug debugger or Flask debug mode is on outside development",
  docs: {
    whatItDoes:
      'Finds `app.run(debug=True)` and `use_debugger=True` (including under `if __name__ == "__main__"`), `socketio.run(app, debug=True)`, `DebuggedApplication(app, evalex=True)`, and `DEBUG = True`, `app.debug = True` or `app.config["DEBUG"] = True` in the configuration the app runs with in production. Debug taken from an environment variable that is off by default, development and test configuration classes, test code and scripts named for local development are not reported.',
    why: "With debug on, an unhandled error shows the Werkzeug debugger, whose console runs any Python code in the server process; the PIN that guards it is derived from values an attacker can often read (the user name, the MAC address, the machine id through a file-read bug). A `__main__` guard does not keep it out of production: a container that starts with `python app.py` runs that branch.",
    example: `from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello"


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
`,
    useInstead: `import os

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello"


if __name__ == "__main__":
    app.run(host="127.0.0.1", debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    fixSafety:
      "Changing `debug=True` to `debug=False` (or the setting to False) is offered as an unsafe fix: it also turns off the reloader and the in-browser tracebacks developers may rely on when they start the file by hand; `flask run --debug` gives them back locally.",
    knownProblems:
      "`FLASK_DEBUG=1` in a committed `.flaskenv` or `.env` file, and debug switched on by a process manager's command line, are not read.",
    references: [
      "https://flask.palletsprojects.com/en/stable/debugging/",
      "https://werkzeug.palletsprojects.com/en/stable/debug/",
    ],
  },
  check(ctx) {
    return [...configFindings(ctx), ...serverFindings(ctx)];
  },
};

function configFindings(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const s of productionSettings(ctx, "DEBUG")) {
    const v = s.value;
    const anchor = anchorAt(s.entry.module, s.entry.site);
    if (v.kind === "const" && pyTruthy(v.value)) {
      out.push({
        anchor,
        route: null,
        message:
          "DEBUG is on in the production configuration: an error page can open the Werkzeug debugger, whose console runs any Python code, and `app.run()` starts it without being asked.",
        severity: "high",
        evidence: settingEvidence(s),
        fix: s.entry.value
          ? {
              description: "Set DEBUG to False in the production configuration.",
              applicability: "unsafe",
              edits: [replaceNode(s.entry.module, s.entry.value, "False")],
            }
          : null,
      });
    } else if (v.kind === "env" && envDefault(v)) {
      out.push({
        anchor,
        route: null,
        message: `DEBUG is on unless the environment variable ${v.variable} turns it off: a deployment that does not set it runs with the Werkzeug debugger reachable.`,
        severity: "medium",
        confidence: "medium",
        evidence: settingEvidence(s),
        fix: null,
      });
    }
  }

  return out;
}

/** `app.run(debug=True)`, `socketio.run(app, debug=True)`, `DebuggedApplication(app, evalex=True)`. */
function serverFindings(ctx: AnalysisContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  const appSites = new Set<PyNode | null>(ctx.flask.apps.map((a) => a.site));
  const isApp = (node: PyNode, module: Module) =>
    ctx.ev.eval(node, module).some((v) => siteOf(v) !== null && appSites.has(siteOf(v)));
  for (const { call, module } of ctx.ev.calls()) {
    if (module.isTest || isDevelopmentScript(module)) {
      continue;
    }
    const fn = child(call, "function");
    if (fn?.type === "attribute" && child(fn, "attribute")?.text === "run") {
      const receiver = child(fn, "object");
      const first = callArgs(call).positional[0];
      const runsApp = (receiver && isApp(receiver, module)) || (first && isApp(first, module));
      // An app the model could not follow (`from somewhere import app`), named like one.
      const namedLikeApp =
        !runsApp &&
        receiver?.type === "identifier" &&
        /^(app|application)$/.test(receiver.text ?? "");
      if (!runsApp && !namedLikeApp) {
        continue;
      }
      const flag = debugFlag(ctx, call, module);
      if (flag) {
        out.push(runFinding(call, module, flag, runsApp ? "high" : "medium"));
      }
    } else if (
      fn &&
      ctx.ev
        .eval(fn, module)
        .some((v) => v.kind === "external" && matchesQualname(v.qualname, DEBUGGED_APPLICATION))
    ) {
      const evalex = argument(call, 1, "evalex");
      if (evalex && isTrue(ctx, evalex, module)) {
        out.push({
          anchor: anchorAt(module, call),
          route: null,
          message:
            "DebuggedApplication with evalex=True wraps the app in the Werkzeug debugger, whose console runs any Python code for whoever triggers an error.",
          severity: "high",
          evidence: [],
          fix: null,
        });
      }
    }
  }

  return out;
}

/** The `debug=True` or `use_debugger=True` argument of a run call, when it is on. */
function debugFlag(ctx: AnalysisContext, call: PyNode, module: Module): PyNode | null {
  const args = callArgs(call);
  for (const name of ["debug", "use_debugger"]) {
    const node = args.keywords.get(name);
    if (node && isTrue(ctx, node, module)) {
      return node;
    }
  }

  return null;
}

/** True when every value the expression may have is a true constant. */
function isTrue(ctx: AnalysisContext, node: PyNode, module: Module): boolean {
  const n = unparen(node);
  if (n.type === "comparison_operator") {
    // `os.environ.get("FLASK_DEBUG") == "1"`: decided by the deployment.
    return false;
  }
  const values = ctx.ev.eval(n, module);

  return values.length > 0 && values.every((v) => v.kind === "const" && pyTruthy(v.value));
}

function runFinding(
  call: PyNode,
  module: Module,
  flag: PyNode,
  confidence: "high" | "medium",
): RuleFinding {
  const host = argument(call, 0, "host");
  const hostText = host ? stringValue(host) : null;
  const loopback = hostText !== null && LOOPBACK.has(hostText);
  const severity: Severity = loopback ? "medium" : "high";
  const reach =
    hostText === "0.0.0.0" || hostText === "::"
      ? `listening on ${hostText}, so every machine that reaches the port gets it`
      : loopback
        ? "on the loopback address, so only this machine (or a proxy in front of it) reaches it"
        : "";
  const guard = underMainGuard(call, module)
    ? "; the `__main__` guard still runs when the file is started as a script, as containers often do"
    : "";
  const keyword = flag.parent?.type === "keyword_argument" ? flag.parent : flag;

  return {
    anchor: anchorAt(module, call),
    route: null,
    message: `${module.text(keyword)} starts the Werkzeug debugger, whose console runs any Python code${reach ? `, ${reach}` : ""}${guard}.`,
    severity,
    confidence,
    evidence: [],
    fix: {
      description: "Turn the debugger off here; use `flask run --debug` on a development machine.",
      applicability: "unsafe",
      edits: [replaceNode(module, flag, "False")],
    },
  };
}

function underMainGuard(node: PyNode, module: Module): boolean {
  for (let p = node.parent; p; p = p.parent) {
    const cond = p.type === "if_statement" ? child(p, "condition") : undefined;
    if (cond && /__name__\s*==\s*["']__main__["']/.test(module.text(cond))) {
      return true;
    }
  }

  return false;
}

/** Scripts named for local use (`run_dev.py`, `local_server.py`, `devserver.py`). */
function isDevelopmentScript(module: Module): boolean {
  const stem = module.path.split("/").pop()?.replace(/\.py$/, "") ?? "";

  return /(^|_)(dev|develop|development|local|devserver)(_|$)/i.test(stem);
}
