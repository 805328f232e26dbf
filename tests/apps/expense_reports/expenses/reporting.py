"""Totals per attribute, read with the low-level client for speed."""
import os

import boto3

client = boto3.client("dynamodb", region_name=os.environ.get("AWS_REGION", "eu-west-1"))
REPORTS_TABLE = "exp-reports"
GROUPABLE = ("status", "category")


def totals_by(attribute, owner_id):
    response = client.query(
        TableName=REPORTS_TABLE,
        IndexName="owner-index",
        KeyConditionExpression="owner_id = :o",
        ProjectionExpression=f"{attribute}, total_cents",
        ExpressionAttributeValues={":o": {"S": owner_id}},
    )
    totals = {}
    for item in response["Items"]:
        key = next(iter(item[attribute].values())) if attribute in item else "none"
        totals[key] = totals.get(key, 0) + int(item["total_cents"]["N"])
    return totals
