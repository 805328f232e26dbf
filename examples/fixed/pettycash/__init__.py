"""pettycash: a small expense tracker for teams, backed by DynamoDB.

create_app() builds the Flask application: configuration by name, the extensions, and
the blueprints with their URL prefixes.
"""

import os

from flask import Flask, jsonify, redirect, url_for
from flask_wtf.csrf import CSRFError

from .config import CONFIGS
from .extensions import cors, csrf, limiter, login_manager


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(CONFIGS[config_name or os.environ.get("PETTYCASH_ENV", "production")])
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set PETTYCASH_SECRET_KEY: it signs sessions and CSRF tokens.")

    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    # The finance dashboard (another subdomain) reads report JSON with the user's session;
    # only the origins listed in the configuration may do so.
    cors.init_app(
        app,
        resources=r"/portal/reports/*",
        origins=app.config["REPORT_ORIGINS"],
        supports_credentials=True,
    )

    from .admin import admin_bp
    from .api import api_bp
    from .assistant import assistant_bp
    from .auth import auth_bp
    from .portal import portal_bp

    # API clients authenticate with a bearer token that browsers never attach by themselves.
    csrf.exempt(api_bp)

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(portal_bp, url_prefix="/portal")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(assistant_bp, url_prefix="/assist")

    @app.get("/")
    def index():
        return redirect(url_for("portal.dashboard"))

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return jsonify(error="The form expired, reload the page and try again."), 400

    return app
