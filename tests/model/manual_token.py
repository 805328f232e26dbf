# Flask model fixture: a hand-written CSRF check in an app-wide hook.
#
# - `csrf_token()` stores a random token in the session the first time a page needs one.
# - The app's `before_request` hook runs before every view. For POST, PUT, PATCH and DELETE it
#   compares the token sent in the form (or the `X-CSRF-Token` header) with the session's, in
#   constant time, and aborts with 403 when either is missing or they differ.

import hmac
import os
import secrets

import boto3
from flask import Flask, abort, request, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
settings = boto3.resource("dynamodb").Table("settings")

# $ routes=3


def csrf_token():
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


@app.before_request
def check_csrf_token():
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        expected = session.get("csrf_token")
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        if not expected or not sent or not hmac.compare_digest(expected, sent):
            abort(403)


# $ route="GET /" methods=GET
@app.get("/")
def index():
    token = csrf_token()
    return f'<form method="post" action="/settings"><input name="csrf_token" value="{token}">'


# $ route="POST /settings" auth=session-cookie csrf=manual-token dynamo=update_item:write
@app.post("/settings")
def update_settings():
    user_id = session.get("user_id")
    if user_id is None:
        abort(401)
    settings.update_item(
        Key={"user_id": user_id},
        UpdateExpression="SET theme = :theme",
        ExpressionAttributeValues={":theme": request.form["theme"]},
    )
    return "", 204


# $ route="POST /logout" csrf=manual-token dynamo=none
@app.post("/logout")
def logout():
    session.clear()
    return "", 204
