"""Approvers see submitted reports and decide on them."""
from flask import Blueprint, abort, jsonify, request
from flask_jwt_extended import get_jwt_identity, jwt_required

from .models import ExpenseReport
from .permissions import require_permission

approvals_bp = Blueprint("approvals", __name__)
DECISIONS = ("approved", "rejected")


@approvals_bp.get("/queue")
@jwt_required()
@require_permission("approve")
def queue():
    submitted = ExpenseReport.scan(ExpenseReport.status == "submitted")
    return jsonify([r.to_simple_dict() for r in submitted])


@approvals_bp.post("/<report_id>/decision")
@jwt_required()
@require_permission("approve")
def decide(report_id):
    decision = request.form["decision"]
    if decision not in DECISIONS:
        abort(400)
    report = ExpenseReport.get(report_id)
    report.update(
        actions=[
            ExpenseReport.status.set(decision),
            ExpenseReport.approver_id.set(get_jwt_identity()),
        ]
    )
    return jsonify(report_id=report_id, status=decision)
