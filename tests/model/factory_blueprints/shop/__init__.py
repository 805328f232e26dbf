# Flask model fixture: an application factory. `create_app` builds the app, binds extensions
# created in another module with `init_app`, and registers blueprints defined in other modules.
#
# - A blueprint's routes are mounted under the `url_prefix` given to `register_blueprint`; when
#   that call gives none, the Blueprint's own `url_prefix` applies (so `admin`, created with
#   "/admin", is served under "/console"). Flask joins prefix and rule with a single slash.
# - Registering one blueprint twice (the second time under another `name`) serves its views
#   at both prefixes. A blueprint that is never registered (`legacy`) serves nothing.
# - `csrf.init_app(app)` makes Flask-WTF check a CSRF token on every POST, PUT, PATCH and DELETE
#   request to the app, blueprint views included, unless the view or its blueprint was passed
#   to `csrf.exempt`.
# - `csrf.exempt(api)` with a Blueprint exempts every view of that blueprint.
# - A route registered on the app inside the factory is a route of that app.

import os

from flask import Flask

from .admin import admin
from .api import api
from .extensions import csrf, login_manager
from .legacy import legacy  # noqa: F401 (imported, never registered)
from .orders import orders

# $ routes=10


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    csrf.init_app(app)
    login_manager.init_app(app)

    app.register_blueprint(orders)
    app.register_blueprint(admin, url_prefix="/console/")
    csrf.exempt(api)
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(api, url_prefix="/api/v2", name="api_v2")

    # $ route="GET /healthz" blueprint=none handler=healthz auth=none
    @app.route("/healthz")
    def healthz():
        return "ok"

    return app
