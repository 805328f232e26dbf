"""Per-user notification settings and the team budget page.

Mounted under the portal blueprint, so every rule here starts with /portal/settings.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField
from wtforms.validators import DataRequired, NumberRange

from .decorators import require_role
from .storage import teams_table, users_table

settings_bp = Blueprint("settings", __name__)


class NotificationsForm(FlaskForm):
    weekly_digest = BooleanField("Weekly digest")
    approval_emails = BooleanField("E-mail me when an expense is approved")


class BudgetForm(FlaskForm):
    monthly_limit = DecimalField(
        "Monthly limit", places=2, validators=[DataRequired(), NumberRange(0, 1_000_000)]
    )


@settings_bp.route("/notifications", methods=["POST"])
@login_required
def update_notifications():
    form = NotificationsForm()
    if not form.validate_on_submit():
        abort(400)
    users_table().update_item(
        Key={"user_id": current_user.id},
        UpdateExpression="SET weekly_digest = :digest, approval_emails = :approvals",
        ExpressionAttributeValues={
            ":digest": form.weekly_digest.data,
            ":approvals": form.approval_emails.data,
        },
    )
    flash("Notification settings saved.", "info")
    return redirect(url_for("portal.dashboard"))


class TeamBudgetView(MethodView):
    """Anyone in the team may look at the budget; only managers may change it."""

    decorators = [login_required]

    def get(self):
        team = teams_table().get_item(Key={"team_id": current_user.team_id}).get("Item", {})
        form = BudgetForm(monthly_limit=team.get("monthly_limit"))
        return render_template("settings/budget.html", form=form, team=team)

    @require_role("manager", "admin")
    def post(self):
        form = BudgetForm()
        if not form.validate_on_submit():
            return render_template("settings/budget.html", form=form), 400
        teams_table().update_item(
            Key={"team_id": current_user.team_id},
            UpdateExpression="SET monthly_limit = :limit",
            ExpressionAttributeValues={":limit": form.monthly_limit.data},
        )
        flash("Budget updated.", "info")
        return redirect(url_for(".budget"))


settings_bp.add_url_rule("/budget", view_func=TeamBudgetView.as_view("budget"))
