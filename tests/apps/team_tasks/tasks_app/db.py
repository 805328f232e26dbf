"""Tables, and a small store class for tasks."""
import os

import boto3
from boto3.dynamodb.conditions import Key

_dynamodb = boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION", "us-east-1"))

users = _dynamodb.Table(os.environ.get("USERS_TABLE", "tt-users"))
sessions = _dynamodb.Table(os.environ.get("SESSIONS_TABLE", "tt-sessions"))
projects = _dynamodb.Table(os.environ.get("PROJECTS_TABLE", "tt-projects"))


class TaskStore:
    def __init__(self, table_name=None):
        self.table = _dynamodb.Table(table_name or os.environ.get("TASKS_TABLE", "tt-tasks"))

    def get(self, task_id):
        return self.table.get_item(Key={"task_id": task_id}).get("Item")

    def add(self, item):
        self.table.put_item(Item=item)

    def set_status(self, task_id, status):
        self.table.update_item(
            Key={"task_id": task_id},
            UpdateExpression="SET task_status = :s",
            ExpressionAttributeValues={":s": status},
        )

    def in_project(self, project_id, projection):
        return self.table.query(
            IndexName="project-index",
            KeyConditionExpression=Key("project_id").eq(project_id),
            ProjectionExpression=projection,
        )["Items"]


tasks = TaskStore()
