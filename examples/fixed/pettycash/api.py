"""JSON API for the card provider's importer and the bookkeeping integration.

Every request carries `Authorization: Bearer <token>`; the token's SHA-256 is looked up in
the API tokens table and names the team the client acts for.
"""

import hashlib
import logging
import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
from flask import Blueprint, abort, g, jsonify, request

from .expenses import CATEGORIES
from .storage import api_tokens_table, expenses_table

log = logging.getLogger(__name__)

api_bp = Blueprint("api", __name__)

STATUSES = {"approved", "rejected", "paid"}
CATEGORY_VALUES = {value for value, _ in CATEGORIES}
EXTERNAL_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


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
    g.api_client_id = client["client_id"]


@api_bp.get("/expenses")
def list_team_expenses():
    response = expenses_table().query(
        IndexName="by-team", KeyConditionExpression=Key("team_id").eq(g.api_team_id)
    )
    return jsonify(items=response.get("Items", []))


@api_bp.post("/expenses")
def import_expense():
    payload = request.get_json(silent=True) or {}
    external_id = payload.get("external_id")
    category = payload.get("category")
    note = payload.get("note", "")
    try:
        amount = Decimal(str(payload.get("amount")))
    except InvalidOperation:
        abort(400)
    if not isinstance(external_id, str) or not EXTERNAL_ID.fullmatch(external_id):
        abort(400)
    if not amount.is_finite() or not 0 < amount <= 10000 or category not in CATEGORY_VALUES:
        abort(400)
    if not isinstance(note, str) or len(note) > 500:
        abort(400)
    # The id is derived from the team and the importer's own id, so retries are idempotent
    # and one team's importer can never name another team's expense.
    expense_id = hashlib.sha256(f"{g.api_team_id}:{external_id}".encode()).hexdigest()
    try:
        expenses_table().put_item(
            Item={
                "expense_id": expense_id,
                "owner_id": g.api_client_id,
                "team_id": g.api_team_id,
                "amount": amount,
                "category": category,
                "note": note,
                "status": "draft",
                "created_at": datetime.now(timezone.utc).isoformat(),
            },
            ConditionExpression="attribute_not_exists(expense_id)",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return jsonify(expense_id=expense_id, status="exists"), 200
        log.exception("importing expense %s failed", external_id)
        return jsonify(error="The expense could not be stored."), 503
    return jsonify(expense_id=expense_id, status="created"), 201


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
