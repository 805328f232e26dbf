# Flask model fixture (part of factory_blueprints): a blueprint with no prefix of its own, mounted
# at "/api/v1" and again at "/api/v2" by two registrations, and exempted from CSRFProtect as a
# whole by `csrf.exempt(api)` in the factory.

from flask import Blueprint, request
from flask_login import current_user, login_required

api = Blueprint("api", __name__)
ORDERS = []


# $ route="POST /api/v1/orders" blueprint=api auth=flask-login csrf=exempt
# $ route="POST /api/v2/orders" auth=flask-login
# $ no-route="POST /orders"
@api.post("/orders")
@login_required
def create_order():
    ORDERS.append({"user": current_user.get_id(), "sku": request.json["sku"]})
    return "", 201


# $ route="GET /api/v1/orders/<order_id>" blueprint=api handler=show_order
# $ route="GET /api/v2/orders/<order_id>" handler=show_order
@api.get("/orders/<order_id>")
@login_required
def show_order(order_id):
    return {"order": order_id}
