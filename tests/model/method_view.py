# Flask model fixture: class-based views.
#
# - A `MethodView` subclass answers the HTTP methods it defines as methods (`get`, `put` and
#   `delete` for ItemAPI): Flask collects them into the class's `methods` when the class is
#   created, and `add_url_rule(rule, view_func=Cls.as_view(name))` registers exactly those.
# - `methods=` given to `add_url_rule` wins over the view's own: ItemListAPI defines `post`, but
#   its rule is registered for GET only, so POST /items is not routed.
# - `decorators = [...]` on the class wraps the function `as_view` returns, so every method of
#   ItemAPI runs behind `login_required`.
# - A plain `View` subclass answers the methods listed in its `methods` attribute.

from flask import Flask, request
from flask.views import MethodView, View
from flask_login import LoginManager, login_required

app = Flask(__name__)
login_manager = LoginManager(app)
ITEMS = {}


class ItemAPI(MethodView):
    decorators = [login_required]

    # $ route="GET /items/<int:item_id>" auth=flask-login
    def get(self, item_id):
        return {"name": ITEMS.get(item_id)}

    # $ route="PUT /items/<int:item_id>" auth=flask-login csrf=none
    def put(self, item_id):
        ITEMS[item_id] = request.form["name"]
        return "", 204

    # $ route="DELETE /items/<int:item_id>" auth=flask-login csrf=none
    def delete(self, item_id):
        ITEMS.pop(item_id, None)
        return "", 204


class ItemListAPI(MethodView):
    # $ route="GET /items" auth=none
    def get(self):
        return {"items": ITEMS}

    def post(self):
        ITEMS[len(ITEMS) + 1] = request.form["name"]
        return "", 201


class ExportView(View):
    methods = ["GET", "POST"]

    # $ route="POST /export" auth=none csrf=none
    # $ route="GET /export" auth=none
    def dispatch_request(self):
        return {"items": ITEMS}


# $ no-route="POST /items/<int:item_id>"
# $ no-route="PATCH /items/<int:item_id>"
app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
# $ no-route="POST /items"
app.add_url_rule("/items", view_func=ItemListAPI.as_view("items"), methods=["GET"])
app.add_url_rule("/export", view_func=ExportView.as_view("export"))
