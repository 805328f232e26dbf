# Flask model fixture: how a view identifies its caller, one way per view.
#
# - flask-login: `@login_required` lets through only a user that Flask-Login loaded from the
#   session cookie; the view then reads `current_user`.
# - session-cookie: the view reads the signed `session` cookie itself and aborts without a user.
# - basic: the view reads HTTP Basic credentials from `request.authorization`; a browser that has
#   sent them once sends them again on its own.
# - none: nothing identifies the caller.
# No CSRF defence is installed anywhere in this app.

import hmac
import os

import boto3
from flask import Flask, abort, request, session
from flask_login import LoginManager, current_user, login_required

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
login_manager = LoginManager(app)
profiles = boto3.resource("dynamodb").Table("profiles")

# $ routes=4


@login_manager.user_loader
def load_user(user_id):
    return None


# $ route="POST /profile" auth=flask-login csrf=none dynamo=update_item:write
@app.post("/profile")
@login_required
def update_profile():
    profiles.update_item(
        Key={"user_id": current_user.get_id()},
        UpdateExpression="SET bio = :bio",
        ExpressionAttributeValues={":bio": request.form["bio"]},
    )
    return "", 204


# $ route="POST /preferences" auth=session-cookie csrf=none dynamo=put_item:write
@app.post("/preferences")
def save_preferences():
    user_id = session.get("user_id")
    if user_id is None:
        abort(401)
    profiles.put_item(Item={"user_id": user_id, "theme": request.form["theme"]})
    return "", 204


# $ route="POST /reports" auth=basic csrf=none dynamo=none
@app.post("/reports")
def create_report():
    creds = request.authorization
    if creds is None or not hmac.compare_digest(creds.password or "", os.environ["REPORTS_KEY"]):
        abort(401)
    return {"queued": True}, 202


# $ route="GET /status" methods=GET auth=none dynamo=get_item:read
@app.get("/status")
def status():
    item = profiles.get_item(Key={"user_id": "status"}).get("Item")
    return {"ok": item is not None}
