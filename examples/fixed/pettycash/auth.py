"""Sign-in, sign-out and password change, and the Flask-Login user loader."""

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from .extensions import limiter, login_manager
from .storage import find_user_by_email, users_table

auth_bp = Blueprint("auth", __name__)


class User(UserMixin):
    def __init__(self, item):
        self.id = item["user_id"]
        self.email = item["email"]
        self.name = item.get("name", item["email"])
        self.team_id = item["team_id"]
        self.role = item.get("role", "member")
        self.password_hash = item["password_hash"]


@login_manager.user_loader
def load_user(user_id):
    item = users_table().get_item(Key={"user_id": user_id}).get("Item")
    return User(item) if item else None


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128)])


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField("New password", validators=[DataRequired(), Length(min=12, max=128)])
    confirm = PasswordField("Repeat it", validators=[EqualTo("new")])


@auth_bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        item = find_user_by_email(form.email.data.strip().lower())
        if item and check_password_hash(item["password_hash"], form.password.data):
            login_user(User(item))
            users_table().update_item(
                Key={"user_id": item["user_id"]},
                UpdateExpression="SET last_login = :now",
                ExpressionAttributeValues={":now": datetime.now(timezone.utc).isoformat()},
            )
            return redirect(url_for("portal.dashboard"))
        flash("Wrong email or password.", "error")
    return render_template("auth/login.html", form=form)


@auth_bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@auth_bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit("5 per hour")
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current.data):
            flash("The current password is wrong.", "error")
        else:
            users_table().update_item(
                Key={"user_id": current_user.id},
                UpdateExpression="SET password_hash = :hash",
                ExpressionAttributeValues={":hash": generate_password_hash(form.new.data)},
            )
            flash("Password changed.", "info")
            return redirect(url_for("portal.dashboard"))
    return render_template("auth/password.html", form=form)
