# Flask model fixture: flask_jwt_extended with the token in cookies.
#
# - With `JWT_TOKEN_LOCATION = ["cookies"]`, `@jwt_required()` reads the access token from a
#   cookie, which the browser sends with cross-site requests too.
# - `JWT_COOKIE_CSRF_PROTECT` is on by default: for POST, PUT, PATCH and DELETE requests the
#   extension also requires the `X-CSRF-TOKEN` header to carry the value of the CSRF cookie it set
#   beside the access token (a double-submit check), which another site cannot read.
# - The login view has no `@jwt_required()`; it sets the cookies.

import os

import boto3
from flask import Flask, jsonify, request
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    get_jwt_identity,
    jwt_required,
    set_access_cookies,
)

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
app.config["JWT_TOKEN_LOCATION"] = ["cookies"]
jwt = JWTManager(app)
cards = boto3.resource("dynamodb").Table("cards")

# $ routes=4


# $ route="POST /login" auth=none csrf=none
@app.post("/login")
def login():
    response = jsonify(ok=True)
    set_access_cookies(response, create_access_token(identity=request.form["username"]))
    return response


# $ route="GET /cards" auth=jwt-cookie dynamo=get_item:read
@app.get("/cards")
@jwt_required()
def list_cards():
    return cards.get_item(Key={"owner": get_jwt_identity()}).get("Item", {})


# $ route="POST /cards" auth=jwt-cookie csrf=jwt-double-submit dynamo=put_item:write
@app.post("/cards")
@jwt_required()
def add_card():
    cards.put_item(Item={"owner": get_jwt_identity(), "number": request.json["number"]})
    return "", 201


# $ route="DELETE /cards/<card_id>" auth=jwt-cookie csrf=jwt-double-submit dynamo=delete_item:write
@app.delete("/cards/<card_id>")
@jwt_required()
def remove_card(card_id):
    cards.delete_item(Key={"owner": get_jwt_identity(), "card_id": card_id})
    return "", 204
