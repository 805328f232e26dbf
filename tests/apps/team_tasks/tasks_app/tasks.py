"""Tasks. A task belongs to a project; members of the project may see and change it."""
import uuid

from flask import Blueprint, abort, g, jsonify, request

from . import db
from .auth import require_membership, signed_in
from .queries import projection

tasks_bp = Blueprint("tasks", __name__)
STATUSES = ("todo", "doing", "done")


@tasks_bp.post("")
@signed_in
def create_task():
    project_id = request.form["project_id"]
    require_membership(project_id)
    task = {
        "task_id": uuid.uuid4().hex,
        "project_id": project_id,
        "title": request.form["title"],
        "created_by": g.user["user_id"],
        "task_status": "todo",
    }
    db.tasks.add(task)
    return jsonify(task), 201


@tasks_bp.get("/<task_id>")
@signed_in
def show_task(task_id):
    task = db.tasks.get(task_id)
    if task is None:
        abort(404)
    require_membership(task["project_id"])
    return jsonify(task)


@tasks_bp.post("/<task_id>/status")
@signed_in
def change_status(task_id):
    status = request.form.get("status")
    if status not in STATUSES:
        abort(400)
    db.tasks.set_status(task_id, status)
    return jsonify(task_id=task_id, status=status)


@tasks_bp.get("/board")
@signed_in
def board():
    project_id = request.args["project"]
    require_membership(project_id)
    columns = request.args.getlist("col") or ["task_id", "title"]
    return jsonify(db.tasks.in_project(project_id, projection(columns)))
