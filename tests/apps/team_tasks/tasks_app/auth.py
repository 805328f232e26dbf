"""Cookie sessions stored in DynamoDB, and project membership checks."""
from functools import wraps

from flask import abort, g, request

from . import db


def signed_in(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = request.cookies.get("tt_session")
        record = db.sessions.get_item(Key={"token": token}).get("Item") if token else None
        if record is None:
            abort(401)
        g.user = {"user_id": record["user_id"], "email": record["email"]}
        return view(*args, **kwargs)

    return wrapper


def require_membership(project_id):
    project = db.projects.get_item(Key={"project_id": project_id}).get("Item")
    if project is None or g.user["user_id"] not in project["members"]:
        abort(404)
    return project


def project_member(view):
    @wraps(view)
    def wrapper(project_id, *args, **kwargs):
        g.project = require_membership(project_id)
        return view(project_id, *args, **kwargs)

    return wrapper


def project_admin(view):
    @wraps(view)
    def wrapper(project_id, *args, **kwargs):
        project = db.projects.get_item(Key={"project_id": project_id}).get("Item")
        if project is None or project["admin_id"] != g.user["user_id"]:
            abort(403)
        return view(project_id, *args, **kwargs)

    return wrapper
