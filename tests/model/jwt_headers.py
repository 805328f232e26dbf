# Flask model fixture: flask_jwt_extended with its default token location.
#
# - `JWT_TOKEN_LOCATION` defaults to headers only, so `@jwt_required()` accepts nothing but an
#   `Authorization: Bearer <token>` header. A browser never adds that header to a cross-site
#   request on its own, so these views carry no ambient credential.
# - The login view has no `@jwt_required()`: it identifies nobody until it issues a token.
# No CSRF defence is installed.

import os

import boto3
from boto3.dynamodb.conditions import Key
from flask import Flask, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
jwt = JWTManager(app)
notes = boto3.resource("dynamodb").Table("notes")

# $ routes=3


# $ route="POST /api/login" auth=none csrf=none
@app.post("/api/login")
def login():
    return {"access_token": create_access_token(identity=request.json["username"])}


# $ route="POST /api/notes" auth=jwt-header csrf=none dynamo=put_item:write
@app.post("/api/notes")
@jwt_required()
def create_note():
    notes.put_item(Item={"owner": get_jwt_identity(), "text": request.json["text"]})
    return "", 201


# $ route="GET /api/notes" auth=jwt-header dynamo=query:read
@app.get("/api/notes")
@jwt_required()
def list_notes():
    result = notes.query(KeyConditionExpression=Key("owner").eq(get_jwt_identity()))
    return {"notes": result["Items"]}
