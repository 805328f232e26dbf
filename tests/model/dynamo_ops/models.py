# Flask model fixture (part of dynamo_ops): a PynamoDB model of the "orders" table.

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model


class Order(Model):
    class Meta:
        table_name = "orders"
        region = "eu-west-1"

    order_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute(default="new")
