"""Sign-in and the signed-in user's own profile."""
import secrets

from flask import Blueprint, abort, g, jsonify, make_response, request
from werkzeug.security import check_password_hash

from . import db
from .auth import signed_in

account_bp = Blueprint("account", __name__)


@account_bp.post("/login")
def login():
    user = db.users.get_item(Key={"email": request.form["email"]}).get("Item")
    if user is None or not check_password_hash(user["password_hash"], request.form["password"]):
        abort(401)
    token = secrets.token_urlsafe(32)
    db.sessions.put_item(Item={"token": token, "user_id": user["user_id"], "email": user["email"]})
    response = make_response(jsonify(user_id=user["user_id"]))
    response.set_cookie("tt_session", token, secure=True, httponly=True, samesite="Lax")
    return response


@account_bp.post("/display-name")
@signed_in
def display_name():
    name = request.form.get("display_name", "")
    if not 1 <= len(name) <= 60:
        abort(400)
    db.users.update_item(
        Key={"email": g.user["email"]},
        UpdateExpression="SET display_name = :n",
        ExpressionAttributeValues={":n": name},
    )
    return "", 204
