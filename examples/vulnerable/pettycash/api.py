"""JSON API for the card provider's importer and the bookkeeping integration.

Every request carries `Authorization: Bearer <token>`; the token's SHA-256 is looked up in
the API tokens table and names the team the client acts for.
"""

import hashlib

from boto3.dynamodb.conditions import Key
from flask import Blueprint, abort, g, jsonify, request

from .storage import api_tokens_table, expenses_table

api_bp = Blueprint("api", __name__)

STATUSES = {"approved", "rejected", "paid"}


@api_bp.before_request
def authenticate_client():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        abort(401)
    digest = hashlib.sha256(token.encode()).hexdigest()
    client = api_tokens_table().get_item(Key={"token_hash": digest}).get("Item")
    if client is None or client.get("revoked"):
        abort(401)
    g.api_team_id = client["team_id"]


@api_bp.get("/expenses")
def list_team_expenses():
    response = expenses_table().query(
        IndexName="by-team", KeyConditionExpression=Key("team_id").eq(g.api_team_id)
    )
    return jsonify(items=response.get("Items", []))


@api_bp.post("/expenses")
def import_expense():
    # The importer sends expenses in our item format, with its own ids so retries are idempotent.
    expenses_table().put_item(Item=request.get_json())
    return jsonify(status="created"), 201


@api_bp.patch("/expenses/<expense_id>")
def set_expense_status(expense_id):
    table = expenses_table()
    expense = table.get_item(Key={"expense_id": expense_id}).get("Item")
    if expense is None or expense["team_id"] != g.api_team_id:
        abort(404)
    status = (request.get_json(silent=True) or {}).get("status")
    if status not in STATUSES:
        abort(400)
    table.update_item(
        Key={"expense_id": expense_id},
        UpdateExpression="SET #status = :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": status},
    )
    return jsonify(expense_id=expense_id, status=status)
