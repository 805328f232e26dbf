"""DynamoDB access for pettycash.

Views get their tables from the getters below. The writes that touch more than one item
(a new expense plus its team total, a purge) live here so they stay atomic or batched.
"""

from datetime import datetime, timedelta, timezone

import boto3
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import TypeSerializer
from flask import current_app, g

_serializer = TypeSerializer()


def _resource():
    if "dynamodb" not in g:
        g.dynamodb = boto3.resource("dynamodb", region_name=current_app.config["AWS_REGION"])
    return g.dynamodb


def _table(config_key):
    return _resource().Table(current_app.config[config_key])


def expenses_table():
    return _table("EXPENSES_TABLE")


def users_table():
    return _table("USERS_TABLE")


def teams_table():
    return _table("TEAMS_TABLE")


def api_tokens_table():
    return _table("API_TOKENS_TABLE")


def _client():
    # Credentials come from the instance role (or the environment when run by hand).
    if "dynamodb_client" not in g:
        g.dynamodb_client = boto3.client("dynamodb", region_name=current_app.config["AWS_REGION"])
    return g.dynamodb_client


def record_expense(expense):
    """Store a new expense and add its amount to the team's running total in one transaction."""
    _client().transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": current_app.config["EXPENSES_TABLE"],
                    "Item": {name: _serializer.serialize(value) for name, value in expense.items()},
                    "ConditionExpression": "attribute_not_exists(expense_id)",
                }
            },
            {
                "Update": {
                    "TableName": current_app.config["TEAMS_TABLE"],
                    "Key": {"team_id": {"S": expense["team_id"]}},
                    "UpdateExpression": "ADD spent :amount",
                    "ExpressionAttributeValues": {":amount": {"N": str(expense["amount"])}},
                }
            },
        ]
    )


def find_user_by_email(email):
    response = users_table().query(
        IndexName="by-email", KeyConditionExpression=Key("email").eq(email), Limit=1
    )
    items = response.get("Items", [])
    return items[0] if items else None


def expenses_for_owner(owner_id):
    response = expenses_table().query(
        IndexName="by-owner",
        KeyConditionExpression=Key("owner_id").eq(owner_id),
        ScanIndexForward=False,
    )
    return response.get("Items", [])


def settled_expense_ids(older_than_days):
    cutoff = (datetime.now(timezone.utc) - timedelta(days=older_than_days)).isoformat()
    response = expenses_table().scan(
        FilterExpression=Attr("status").eq("paid") & Attr("created_at").lt(cutoff),
        ProjectionExpression="expense_id",
    )
    return [item["expense_id"] for item in response.get("Items", [])]


def delete_expenses(expense_ids):
    with expenses_table().batch_writer() as batch:
        for expense_id in expense_ids:
            batch.delete_item(Key={"expense_id": expense_id})
