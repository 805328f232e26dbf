"""Expenses: create, view, edit, delete and submit for approval, plus comments.

Mounted under the portal blueprint, so every rule here starts with /portal/expenses.
"""

import uuid
from datetime import datetime, timezone

from flask import Blueprint, abort, flash, jsonify, redirect, render_template
from flask import url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from .models import Comment
from .storage import expenses_for_owner, expenses_table, record_expense

expenses_bp = Blueprint("expenses", __name__)

CATEGORIES = [
    ("travel", "Travel"),
    ("meals", "Meals"),
    ("equipment", "Equipment"),
    ("software", "Software"),
    ("other", "Other"),
]


class ExpenseForm(FlaskForm):
    amount = DecimalField("Amount", places=2, validators=[DataRequired(), NumberRange(0, 10000)])
    category = SelectField("Category", choices=CATEGORIES)
    note = StringField("Note", validators=[Length(max=500)])


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=1000)])


@expenses_bp.route("/")
@login_required
def list_expenses():
    return render_template("expenses/list.html", expenses=expenses_for_owner(current_user.id))


@expenses_bp.route("/new", methods=["GET", "POST"])
@login_required
def new_expense():
    form = ExpenseForm()
    if form.validate_on_submit():
        expense = {
            "expense_id": uuid.uuid4().hex,
            "owner_id": current_user.id,
            "team_id": current_user.team_id,
            "amount": form.amount.data,
            "category": form.category.data,
            "note": form.note.data or "",
            "status": "draft",
            "created_at": datetime.now(timezone.utc).isoformat(),
        }
        record_expense(expense)
        return redirect(url_for(".view_expense", expense_id=expense["expense_id"]))
    return render_template("expenses/form.html", form=form)


@expenses_bp.route("/<expense_id>")
@login_required
def view_expense(expense_id):
    expense = expenses_table().get_item(Key={"expense_id": expense_id}).get("Item")
    if expense is None or expense["owner_id"] != current_user.id:
        abort(404)
    comments = list(Comment.query(expense_id))
    return render_template(
        "expenses/detail.html", expense=expense, comments=comments, comment_form=CommentForm()
    )


@expenses_bp.route("/<expense_id>/edit", methods=["GET", "POST"])
@login_required
def edit_expense(expense_id):
    table = expenses_table()
    expense = table.get_item(Key={"expense_id": expense_id}).get("Item")
    if expense is None or expense["owner_id"] != current_user.id:
        abort(404)
    form = ExpenseForm(data=expense)
    if form.validate_on_submit():
        table.update_item(
            Key={"expense_id": expense_id},
            UpdateExpression="SET amount = :amount, category = :category, note = :note",
            ExpressionAttributeValues={
                ":amount": form.amount.data,
                ":category": form.category.data,
                ":note": form.note.data or "",
            },
        )
        return redirect(url_for(".view_expense", expense_id=expense_id))
    return render_template("expenses/form.html", form=form, expense=expense)


@expenses_bp.route("/<expense_id>/delete", methods=["POST"])
@login_required
def delete_expense(expense_id):
    table = expenses_table()
    expense = table.get_item(Key={"expense_id": expense_id}).get("Item")
    if expense is None or expense["owner_id"] != current_user.id:
        abort(404)
    table.delete_item(Key={"expense_id": expense_id})
    flash("Expense deleted.", "info")
    return redirect(url_for(".list_expenses"))


# The receipt scanner script sends the page's CSRF token in the X-CSRFToken header,
# which CSRFProtect checks like the form field.
@expenses_bp.route("/<expense_id>/submit", methods=["POST"])
@login_required
def submit_expense(expense_id):
    table = expenses_table()
    expense = table.get_item(Key={"expense_id": expense_id}).get("Item")
    if expense is None or expense["owner_id"] != current_user.id:
        abort(404)
    table.update_item(
        Key={"expense_id": expense_id},
        UpdateExpression="SET #status = :submitted",
        ConditionExpression="#status = :draft",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":submitted": "submitted", ":draft": "draft"},
    )
    return jsonify(status="submitted")


# Anyone in the expense's team may comment: approvers are the team's managers.
@expenses_bp.route("/<expense_id>/comments", methods=["POST"])
@login_required
def add_comment(expense_id):
    expense = expenses_table().get_item(Key={"expense_id": expense_id}).get("Item")
    if expense is None or expense["team_id"] != current_user.team_id:
        abort(404)
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    Comment(
        expense_id,
        uuid.uuid4().hex,
        author=current_user.name,
        body=form.body.data,
        created_at=datetime.now(timezone.utc),
    ).save()
    return redirect(url_for(".view_expense", expense_id=expense_id))
