# Flask model fixture: which DynamoDB operations each view performs, however it reaches them.
# An operation is named by the method the code calls (`put_item`, PynamoDB's `save`).
#
# - Through a helper module: `storage.get_table(name)` returns a boto3 `Table`, and the view
#   calls the operation on it; `storage.archive_item` and `storage.audit` do the calls themselves
#   (a resource Table's `delete_item`, a low-level client's `put_item`).
# - `put_item` on a `Table.batch_writer()` is a buffered write (sent as BatchWriteItem).
# - A low-level client's `transact_write_items` writes several items in one transaction.
# - PynamoDB (models.py): `Order.get(key)` reads an item and `order.save()` writes it.
# No view identifies its caller; the routes are all on the app.

import boto3
from boto3.dynamodb.conditions import Key
from flask import Flask, request

import storage
from models import Order
from storage import get_table

app = Flask(__name__)

# $ routes=7


# $ route="GET /items" dynamo=query:read
@app.get("/items")
def list_items():
    owner = Key("owner").eq(request.args["owner"])
    return {"items": get_table("items").query(KeyConditionExpression=owner)["Items"]}


# $ route="POST /items/<item_id>" dynamo=update_item:write
@app.post("/items/<item_id>")
def rename_item(item_id):
    table = get_table("items")
    table.update_item(
        Key={"item_id": item_id},
        UpdateExpression="SET title = :t",
        ExpressionAttributeValues={":t": request.form["title"]},
    )
    return "", 204


# $ route="POST /items/<item_id>/archive" dynamo=delete_item:write+put_item:write
@app.post("/items/<item_id>/archive")
def archive(item_id):
    storage.archive_item(item_id)
    storage.audit(f"archived {item_id}")
    return "", 204


# $ route="POST /items/import" dynamo=put_item:write
@app.post("/items/import")
def import_items():
    with get_table("items").batch_writer() as batch:
        for row in request.get_json():
            batch.put_item(Item=row)
    return "", 204


# $ route="POST /transfers" dynamo=transact_write_items:write
@app.post("/transfers")
def transfer():
    client = boto3.client("dynamodb")
    entries = [{"Put": {"TableName": "ledger", "Item": {"id": {"S": k}}}} for k in request.form]
    client.transact_write_items(TransactItems=entries)
    return "", 204


# $ route="GET /orders/<order_id>" dynamo=get:read
@app.get("/orders/<order_id>")
def show_order(order_id):
    return {"status": Order.get(order_id).status}


# $ route="POST /orders/<order_id>/ship" dynamo=get:read+save:write
@app.post("/orders/<order_id>/ship")
def ship_order(order_id):
    order = Order.get(order_id)
    order.status = "shipped"
    order.save()
    return "", 204
