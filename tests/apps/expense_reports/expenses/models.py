"""PynamoDB models."""
import os

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

REGION = os.environ.get("AWS_REGION", "eu-west-1")


class EmailIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "email-index"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class Employee(Model):
    class Meta:
        table_name = "exp-employees"
        region = REGION

    employee_id = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    permissions = ListAttribute(of=UnicodeAttribute, default=list)
    by_email = EmailIndex()


class ExpenseLine(MapAttribute):
    description = UnicodeAttribute()
    amount_cents = NumberAttribute()


class ExpenseReport(Model):
    class Meta:
        table_name = "exp-reports"
        region = REGION

    report_id = UnicodeAttribute(hash_key=True)
    owner_id = UnicodeAttribute()
    title = UnicodeAttribute()
    status = UnicodeAttribute(default="draft")
    approver_id = UnicodeAttribute(null=True)
    total_cents = NumberAttribute(default=0)
    lines = ListAttribute(of=ExpenseLine, default=list)
