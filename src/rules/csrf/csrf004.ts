/**
 * CSRF004 csrf-exempt-state-change: a view or blueprint exempted from CSRF protection whose routes
 * write with cookie authentication. Reported on the route, with the exemption as evidence.
 */

import type { Rule } from "../types.js";
import { csrfRouteFindings } from "./findings.js";

export const csrf004: Rule = {
  id: "CSRF004",
  name: "csrf-exempt-state-change",
  family: "csrf",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-352"],
  owasp: ["A01:2021", "API5:2023"],
  status: "stable",
  fixAvailability: "none",
  summary: "A route exempted from CSRF protection writes with cookie authentication",
  docs: {
    whatItDoes:
      "Finds routes exempted from Flask-WTF or SeaSurf (`@csrf.exempt`, `csrf.exempt(view)`, `csrf.exempt(blueprint)`, dotted-string exemptions, SeaSurf URL prefixes) that write to DynamoDB and accept the session cookie or another ambient credential.",
    why: "An exemption is safe only while the route's authentication is never sent by the browser on its own (a bearer token, an HMAC signature). When the same route also accepts the session cookie, a cross-site form performs the write.",
    example: `import boto3
from flask import Flask, request
from flask_login import login_required, current_user
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)
notes = boto3.resource("dynamodb").Table("notes")


@app.route("/notes", methods=["POST"])
@csrf.exempt
@login_required
def add_note():
    notes.put_item(Item={"owner": current_user.id, "text": request.form["text"]})
    return "ok"
`,
    useInstead: `import boto3
from flask import Flask, request
from flask_login import login_required, current_user
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)
notes = boto3.resource("dynamodb").Table("notes")


@app.route("/notes", methods=["POST"])
@login_required
def add_note():
    notes.put_item(Item={"owner": current_user.id, "text": request.form["text"]})
    return "ok"
`,
    fixSafety:
      "No automatic edit: removing an exemption requires the clients of the route to send the token.",
    knownProblems:
      "Exemptions computed at run time (from a database or an environment variable) are not seen.",
    references: [
      "https://flask-wtf.readthedocs.io/en/stable/csrf.html#exclude-views-from-protection",
    ],
  },
  check: (ctx) => csrfRouteFindings(ctx, false, true),
};
