# Flask model fixture (part of factory_blueprints): a blueprint registered without a prefix of
# its own at registration, so its `url_prefix="/orders"` applies. The rule "/" under the prefix
# "/orders" becomes "/orders/". `add_url_rule` on a blueprint works as on the app: GET unless
# `methods` says otherwise.

from flask import Blueprint
from flask_login import current_user, login_required

orders = Blueprint("orders", __name__, url_prefix="/orders")
ORDERS = {}


# $ route="GET /orders/" blueprint=orders handler=list_orders auth=flask-login
# $ no-route="GET /orders"
@orders.route("/")
@login_required
def list_orders():
    return {"orders": ORDERS.get(current_user.get_id(), [])}


# $ route="POST /orders/<order_id>/cancel" blueprint=orders auth=flask-login csrf=csrfprotect
@orders.post("/<order_id>/cancel")
@login_required
def cancel_order(order_id):
    ORDERS.pop(order_id, None)
    return "", 204


# $ route="GET /orders/<order_id>" methods=GET blueprint=orders handler=show_order auth=none
def show_order(order_id):
    return {"order": order_id}


orders.add_url_rule("/<order_id>", view_func=show_order)
