"""DynamoDB access. Tables are resolved per request from the app's configuration."""
import boto3
from boto3.dynamodb.conditions import Key
from flask import current_app


def table(name):
    resource = boto3.resource("dynamodb", region_name=current_app.config["AWS_REGION"])
    return resource.Table(current_app.config["TABLES"][name])


class Appointments:
    def __init__(self):
        self.table = table("appointments")

    def get(self, appointment_id):
        return self.table.get_item(Key={"appointment_id": appointment_id}).get("Item")

    def create(self, item):
        self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(appointment_id)")

    def for_patient(self, patient_id, filter_expression=None, values=None):
        if filter_expression:
            return self.table.query(
                IndexName="patient-index",
                KeyConditionExpression="patient_id = :p",
                FilterExpression=filter_expression,
                ExpressionAttributeValues={":p": patient_id, **(values or {})},
            )["Items"]
        return self.table.query(
            IndexName="patient-index",
            KeyConditionExpression=Key("patient_id").eq(patient_id),
        )["Items"]

    def matching(self, filter_expression, values):
        return self.table.scan(
            FilterExpression=filter_expression,
            ExpressionAttributeValues=values,
        )["Items"]

    def reschedule(self, appointment_id, changes):
        names, values, clauses = {}, {}, []
        for i, (field, value) in enumerate(changes.items()):
            names[f"#f{i}"] = field
            values[f":v{i}"] = value
            clauses.append(f"#f{i} = :v{i}")
        self.table.update_item(
            Key={"appointment_id": appointment_id},
            UpdateExpression="SET " + ", ".join(clauses),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def cancel(self, appointment_id):
        self.table.delete_item(Key={"appointment_id": appointment_id})


class Records:
    def __init__(self):
        self.table = table("records")

    def get(self, record_id):
        return self.table.get_item(Key={"record_id": record_id}).get("Item")

    def for_patient(self, patient_id):
        return self.table.query(
            IndexName="patient-index",
            KeyConditionExpression=Key("patient_id").eq(patient_id),
        )["Items"]

    def add_note(self, record_id, author_id, text):
        self.table.update_item(
            Key={"record_id": record_id},
            UpdateExpression="SET notes = list_append(if_not_exists(notes, :empty), :note)",
            ExpressionAttributeValues={
                ":empty": [],
                ":note": [{"author": author_id, "text": text}],
            },
        )
