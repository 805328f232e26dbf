# The pattern of Flask's own documentation: the view function made by `as_view` is bound to a
# name first, then registered. The name holds the class's view, so the class's methods are the
# routes.
from flask import Flask
from flask.views import MethodView

app = Flask(__name__)


class ItemAPI(MethodView):
    # $ route="GET /items"
    def get(self):
        return "items"

    # $ route="POST /items"
    def post(self):
        return "created", 201


item_view = ItemAPI.as_view("items")
app.add_url_rule("/items", view_func=item_view)
