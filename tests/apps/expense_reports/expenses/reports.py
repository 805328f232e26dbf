"""An employee's own expense reports."""
import uuid

from flask import Blueprint, abort, jsonify, request
from flask_jwt_extended import get_jwt_identity, jwt_required

from .models import ExpenseReport

reports_bp = Blueprint("reports", __name__)


def _load(report_id):
    try:
        return ExpenseReport.get(report_id)
    except ExpenseReport.DoesNotExist:
        abort(404)


@reports_bp.post("")
@jwt_required()
def create_report():
    payload = request.get_json()
    report = ExpenseReport(report_id=uuid.uuid4().hex, owner_id=get_jwt_identity(), **payload)
    report.save()
    return jsonify(report_id=report.report_id), 201


@reports_bp.get("/<report_id>")
@jwt_required()
def show_report(report_id):
    report = _load(report_id)
    if report.owner_id != get_jwt_identity():
        abort(404)
    return jsonify(report.to_simple_dict())


@reports_bp.post("/<report_id>/lines")
@jwt_required()
def add_line(report_id):
    body = request.get_json()
    line = {"description": body["description"], "amount_cents": int(body["amount_cents"])}
    report = _load(report_id)
    report.update(
        actions=[
            ExpenseReport.lines.set(ExpenseReport.lines.append([line])),
            ExpenseReport.total_cents.add(line["amount_cents"]),
        ]
    )
    return jsonify(report_id=report_id), 201


@reports_bp.delete("/<report_id>")
@jwt_required()
def delete_report(report_id):
    report = _load(report_id)
    if report.owner_id != get_jwt_identity() or report.status != "draft":
        abort(403)
    report.delete()
    return "", 204
