/**
 * CSRF002 csrf-state-change-on-safe-method: a GET (or HEAD) route that writes. Token schemes never
 * check safe methods and SameSite=Lax cookies ride along on top-level navigations.
 */

import type { Rule } from "../types.js";
import { csrfRouteFindings } from "./findings.js";

export const csrf002: Rule = {
  id: "CSRF002",
  name: "csrf-state-change-on-safe-method",
  family: "csrf",
  severity: "high",
  confidence: "high",
  cwe: ["CWE-352"],
  owasp: ["A01:2021", "API5:2023"],
  status: "stable",
  fixAvailability: "none",
  summary: "A GET route changes data; no CSRF token scheme checks GET",
  docs: {
    whatItDoes:
      "Finds routes that answer GET (a route without `methods=` answers GET and HEAD) and reach a DynamoDB write under GET, authenticated by a cookie or other ambient credential, where no defence checks GET requests.",
    why: "CSRFProtect, SeaSurf and flask_jwt_extended's double submit skip GET by design, and a SameSite=Lax cookie is still sent on a top-level navigation, so a link, a redirect or an image tag on any site performs the change for a signed-in user.",
    example: `import boto3
from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
CSRFProtect(app)
items = boto3.resource("dynamodb").Table("items")


@app.route("/items/<item_id>/delete")
def delete_item(item_id):
    items.delete_item(Key={"owner": session["uid"], "item_id": item_id})
    return "deleted"
`,
    useInstead: `import boto3
from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
CSRFProtect(app)
items = boto3.resource("dynamodb").Table("items")


@app.route("/items/<item_id>/delete", methods=["POST"])
def delete_item(item_id):
    items.delete_item(Key={"owner": session["uid"], "item_id": item_id})
    return "deleted"
`,
    fixSafety:
      "No automatic edit: moving a route to POST changes every link and client that calls it.",
    knownProblems:
      "Writes behind `if request.method == ...` branches are followed; writes selected by other request data on GET are all counted.",
    references: [
      "https://owasp.org/www-community/attacks/csrf",
      "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#samesitesamesite-value",
    ],
  },
  check: (ctx) => csrfRouteFindings(ctx, true),
};
