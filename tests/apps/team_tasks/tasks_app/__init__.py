"""Team task boards: projects with members, tasks inside projects."""
import os

from flask import Flask

from .extensions import csrf


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["TASKS_SECRET_KEY"]
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    csrf.init_app(app)

    from .account import account_bp
    from .errors import register_error_handlers
    from .projects import projects_bp
    from .tasks import tasks_bp

    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(projects_bp, url_prefix="/projects")
    app.register_blueprint(tasks_bp, url_prefix="/tasks")
    register_error_handlers(app)
    return app
