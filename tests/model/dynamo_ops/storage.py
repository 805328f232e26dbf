# Flask model fixture (part of dynamo_ops): the DynamoDB helpers the views share. A resource
# whose `Table` objects are handed out by a getter, and a low-level client.

import os

import boto3

_dynamodb = boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION", "eu-west-1"))
_client = boto3.client("dynamodb")


def get_table(name):
    return _dynamodb.Table(name)


def archive_item(item_id):
    get_table("items").delete_item(Key={"item_id": item_id})


def audit(event):
    _client.put_item(TableName="audit", Item={"event": {"S": event}})
