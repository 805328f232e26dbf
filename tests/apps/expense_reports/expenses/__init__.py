"""Expense reports: employees file reports, approvers decide, everyone sees their own totals."""
import os

from flask import Flask
from flask_jwt_extended import JWTManager

jwt = JWTManager()


def create_app():
    app = Flask(__name__)
    app.config.update(
        JWT_SECRET_KEY=os.environ["EXPENSES_JWT_SECRET"],
        JWT_TOKEN_LOCATION=["cookies"],
        JWT_COOKIE_SECURE=True,
        JWT_COOKIE_SAMESITE="Lax",
    )
    jwt.init_app(app)

    from .analytics import analytics_bp
    from .approvals import approvals_bp
    from .auth import auth_bp
    from .errors import register_error_handlers
    from .reports import reports_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(approvals_bp, url_prefix="/approvals")
    app.register_blueprint(analytics_bp, url_prefix="/analytics")
    register_error_handlers(app)
    return app
