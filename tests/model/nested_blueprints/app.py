# Flask model fixture: nested blueprints, and request hooks scoped to a blueprint.
#
# - `api_bp` (named "api", url_prefix "/api") is registered on the app; `v2` is registered on it
#   with `url_prefix="/v2"`, which overrides v2's own "/version-two". Flask joins the prefix of the
#   parent's registration and the child's, so v2's rule "/items" is served at "/api/v2/items".
# - A blueprint's `before_request` hook runs only for requests to that blueprint's views and to
#   the views of blueprints nested in it: the API-key check of `api_bp` guards v2's views too, but
#   not the views of `pages`, which is registered beside `api_bp`, not inside it.
# - A child must be registered on its parent before the parent is registered on the app; here
#   that happens when the `api` package is imported.

from flask import Flask

from api import api_bp
from pages import pages

app = Flask(__name__)
app.register_blueprint(api_bp)
app.register_blueprint(pages)

# $ routes=5
