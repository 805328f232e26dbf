# Flask model fixture: Flask-SeaSurf.
#
# - `SeaSurf(app)` checks a CSRF token on every request to the app whose method is not GET, HEAD,
#   OPTIONS or TRACE, for every view, unless the view is marked with `@csrf.exempt`.
# - The payment webhook is exempt: it is called by another server, which has no token.

import os

import boto3
from flask import Flask, abort, request, session
from flask_seasurf import SeaSurf

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
csrf = SeaSurf(app)
comments = boto3.resource("dynamodb").Table("comments")
payments = boto3.resource("dynamodb").Table("payments")

# $ routes=3


# $ route="GET /comments" auth=none dynamo=scan:read
@app.get("/comments")
def list_comments():
    return {"comments": comments.scan()["Items"]}


# $ route="POST /comments" auth=session-cookie csrf=seasurf dynamo=put_item:write
@app.post("/comments")
def add_comment():
    user_id = session.get("user_id")
    if user_id is None:
        abort(401)
    comments.put_item(Item={"author": user_id, "text": request.form["text"]})
    return "", 201


# $ route="POST /webhooks/payment" auth=none csrf=exempt dynamo=update_item:write
@app.post("/webhooks/payment")
@csrf.exempt
def payment_webhook():
    payments.update_item(
        Key={"payment_id": request.json["id"]},
        UpdateExpression="SET paid = :paid",
        ExpressionAttributeValues={":paid": True},
    )
    return "", 204
