"""The signed-in web portal: the dashboard, team reports, and the nested expense and
settings blueprints, which are mounted under this one's prefix."""

import logging
from collections import defaultdict

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError
from flask import Blueprint, abort, jsonify, render_template, request
from flask_login import current_user, login_required

from .expenses import expenses_bp
from .settings import settings_bp
from .storage import expenses_for_owner, expenses_table, teams_table

log = logging.getLogger(__name__)

portal_bp = Blueprint("portal", __name__)
portal_bp.register_blueprint(expenses_bp, url_prefix="/expenses")
portal_bp.register_blueprint(settings_bp, url_prefix="/settings")


@portal_bp.route("/")
@login_required
def dashboard():
    recent = expenses_for_owner(current_user.id)[:10]
    return render_template("portal/dashboard.html", expenses=recent)


@portal_bp.route("/reports/summary")
@login_required
def report_summary():
    response = expenses_table().query(
        IndexName="by-team", KeyConditionExpression=Key("team_id").eq(current_user.team_id)
    )
    totals = defaultdict(int)
    for item in response.get("Items", []):
        totals[item.get("category", "other")] += item["amount"]
    return jsonify(team=current_user.team_id, totals=totals)


# Attributes a report may filter on; anything else is refused before it reaches DynamoDB.
SEARCHABLE = {"category", "status", "owner_id"}


@portal_bp.route("/reports/search")
@login_required
def report_search():
    field = request.args.get("field", "category")
    value = request.args.get("value", "")
    if field not in SEARCHABLE or len(value) > 100:
        abort(400)
    response = expenses_table().query(
        IndexName="by-team",
        KeyConditionExpression=Key("team_id").eq(current_user.team_id),
        FilterExpression=Attr(field).eq(value),
    )
    return jsonify(items=response.get("Items", []))


@portal_bp.route("/reports/budget")
@login_required
def report_budget():
    try:
        team = teams_table().get_item(Key={"team_id": current_user.team_id}).get("Item", {})
    except ClientError:
        log.exception("reading the budget of team %s failed", current_user.team_id)
        return jsonify(error="The budget is unavailable right now."), 500
    return jsonify(limit=team.get("monthly_limit", 0), spent=team.get("spent", 0))
