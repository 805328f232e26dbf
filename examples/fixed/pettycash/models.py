"""PynamoDB models. Comments on an expense are kept in their own table, one item per comment."""

import os

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model


class Comment(Model):
    class Meta:
        table_name = os.environ.get("COMMENTS_TABLE", "pettycash-comments")
        region = os.environ.get("AWS_REGION", "eu-west-1")

    expense_id = UnicodeAttribute(hash_key=True)
    comment_id = UnicodeAttribute(range_key=True)
    author = UnicodeAttribute()
    body = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
