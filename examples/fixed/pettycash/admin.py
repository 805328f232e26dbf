"""Administration: the user list, role changes and the purge of settled expenses."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .decorators import require_role
from .storage import delete_expenses, settled_expense_ids, users_table

admin_bp = Blueprint("admin", __name__)

ROLES = ("member", "manager", "admin")


@admin_bp.route("/")
@require_role("admin")
def overview():
    response = users_table().scan(
        ProjectionExpression="user_id, email, #r, team_id",
        ExpressionAttributeNames={"#r": "role"},
    )
    return render_template("admin/overview.html", users=response.get("Items", []))


@admin_bp.route("/users/<user_id>/role", methods=["POST"])
@require_role("admin")
def change_role(user_id):
    role = request.form.get("role", "")
    if role not in ROLES:
        abort(400)
    users_table().update_item(
        Key={"user_id": user_id},
        UpdateExpression="SET #r = :role",
        ConditionExpression="attribute_exists(user_id)",
        ExpressionAttributeNames={"#r": "role"},
        ExpressionAttributeValues={":role": role},
    )
    flash(f"Role changed to {role}.", "info")
    return redirect(url_for(".overview"))


@admin_bp.route("/expenses/purge", methods=["POST"])
@require_role("admin")
def purge_expenses():
    days = request.form.get("older_than_days", type=int) or 365
    expense_ids = settled_expense_ids(max(days, 90))
    delete_expenses(expense_ids)
    flash(f"Deleted {len(expense_ids)} settled expenses.", "info")
    return redirect(url_for(".overview"))
