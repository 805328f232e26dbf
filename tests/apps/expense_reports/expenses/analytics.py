"""Spending summaries."""
from flask import Blueprint, jsonify, request
from flask_jwt_extended import get_jwt_identity, jwt_required

from .permissions import require_permission
from .reporting import totals_by

analytics_bp = Blueprint("analytics", __name__)


@analytics_bp.get("/mine")
@jwt_required()
def my_totals():
    group = request.args.get("group", "status")
    return jsonify(totals_by(group, get_jwt_identity()))


@analytics_bp.get("/mine/by-status")
@jwt_required()
def my_status_totals():
    return jsonify(totals_by("status", get_jwt_identity()))


@analytics_bp.get("/team/<employee_id>")
@jwt_required()
@require_permission("reports:team")
def team_member_totals(employee_id):
    return jsonify(totals_by("status", employee_id))
