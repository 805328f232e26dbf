/**
 * CSRF001 csrf-unprotected-state-change: an unsafe-method route that writes, authenticated by a
 * credential the browser sends by itself, with no CSRF defence that applies to it.
 */

import type { Rule } from "../types.js";
import { csrfRouteFindings } from "./findings.js";

export const csrf001: Rule = {
  id: "CSRF001",
  name: "csrf-unprotected-state-change",
  family: "csrf",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-352"],
  owasp: ["A01:2021", "API5:2023"],
  status: "stable",
  fixAvailability: "none",
  summary:
    "A POST/PUT/PATCH/DELETE route writes with cookie authentication and no CSRF defence applies",
  docs: {
    whatItDoes:
      "Finds routes answering POST, PUT, PATCH or DELETE that reach a DynamoDB write (directly or through helpers), accept a credential the browser attaches by itself (the session cookie, Flask-Login, a JWT cookie, HTTP Basic), and are covered by no CSRF defence: no CSRFProtect or SeaSurf check for that method, no validated FlaskForm guarding the write, no hand-written token check, no JWT double submit.",
    why: "Any web page the signed-in user visits can submit a form or script a request to the route; the browser adds the cookie and the write happens in the user's name. Severity follows what the browser allows: a plain form POST with a cookie that has no SameSite attribute is high; SameSite=Lax leaves only same-site forgery (low, medium when the cookie is shared with sibling hosts); PUT, PATCH, DELETE and JSON bodies need a CORS preflight, so they are low unless credentialed CORS grants it to any site.",
    example: `import boto3
from flask import Flask, request, session

app = Flask(__name__)
table = boto3.resource("dynamodb").Table("users")


@app.route("/profile/email", methods=["POST"])
def change_email():
    table.update_item(
        Key={"user_id": session["user_id"]},
        UpdateExpression="SET email = :e",
        ExpressionAttributeValues={":e": request.form["email"]},
    )
    return "ok"
`,
    useInstead: `import boto3
from flask import Flask, request, session
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)
table = boto3.resource("dynamodb").Table("users")


@app.route("/profile/email", methods=["POST"])
def change_email():
    table.update_item(
        Key={"user_id": session["user_id"]},
        UpdateExpression="SET email = :e",
        ExpressionAttributeValues={":e": request.form["email"]},
    )
    return "ok"
`,
    fixSafety:
      "No automatic edit: adding CSRFProtect makes every form and script of the app send a token, which needs template and client changes.",
    knownProblems:
      "State changes other than DynamoDB writes and SQLAlchemy session commits are not recognised, so a route that only sends mail or calls another service is not reported.",
    references: [
      "https://owasp.org/www-community/attacks/csrf",
      "https://flask-wtf.readthedocs.io/en/stable/csrf.html",
    ],
  },
  check: (ctx) => csrfRouteFindings(ctx, false),
};
