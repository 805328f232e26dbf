"""Project pages. Membership and admin rights are checked by decorators from auth.py."""
from flask import Blueprint, g, jsonify, request

from . import db
from .auth import project_admin, project_member, signed_in
from .queries import CARD_COLUMNS, projection

projects_bp = Blueprint("projects", __name__)


@projects_bp.get("/<project_id>")
@signed_in
@project_member
def show_project(project_id):
    cards = db.tasks.in_project(project_id, projection(CARD_COLUMNS))
    return jsonify(project=g.project, tasks=cards)


@projects_bp.post("/<project_id>/rename")
@signed_in
@project_admin
def rename_project(project_id):
    name = request.form.get("name", "").strip()[:80]
    db.projects.update_item(
        Key={"project_id": project_id},
        UpdateExpression="SET project_name = :n",
        ExpressionAttributeValues={":n": name},
    )
    return jsonify(project_id=project_id, name=name)


@projects_bp.post("/<project_id>/settings")
@signed_in
@project_admin
def update_settings(project_id):
    names, values, clauses = {}, {}, []
    for i, (key, value) in enumerate(request.form.items()):
        names[f"#k{i}"] = key
        values[f":v{i}"] = value
        clauses.append(f"#k{i} = :v{i}")
    db.projects.update_item(
        Key={"project_id": project_id},
        UpdateExpression="SET " + ", ".join(clauses),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )
    return "", 204


@projects_bp.get("/<project_id>/export")
@signed_in
def export_project(project_id):
    project = db.projects.get_item(Key={"project_id": project_id}).get("Item")
    return jsonify(project=project, tasks=db.tasks.in_project(project_id, "task_id, title"))
