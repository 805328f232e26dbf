"""Sign-in: sets the JWT cookies (with flask_jwt_extended's CSRF double-submit cookie)."""
from flask import Blueprint, abort, jsonify, request
from flask_jwt_extended import create_access_token, set_access_cookies
from werkzeug.security import check_password_hash

from .models import Employee

auth_bp = Blueprint("auth", __name__)


@auth_bp.post("/login")
def login():
    email = request.form["email"]
    found = next(iter(Employee.by_email.query(email, limit=1)), None)
    if found is None or not check_password_hash(found.password_hash, request.form["password"]):
        abort(401)
    token = create_access_token(
        identity=found.employee_id, additional_claims={"permissions": found.permissions}
    )
    response = jsonify(employee_id=found.employee_id)
    set_access_cookies(response, token)
    return response
