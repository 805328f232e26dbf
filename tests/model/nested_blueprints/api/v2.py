# Flask model fixture (part of nested_blueprints): the child blueprint. Its own url_prefix is
# replaced by the "/v2" of its registration on `api_bp`, whose API-key hook also guards it.

from flask import Blueprint, request

v2 = Blueprint("v2", __name__, url_prefix="/version-two")
ITEMS = {}


# $ route="GET /api/v2/items/<int:item_id>" handler=get_item auth=api-key-header
# $ no-route="GET /api/version-two/items/<int:item_id>"
# $ no-route="GET /v2/items/<int:item_id>"
@v2.get("/items/<int:item_id>")
def get_item(item_id):
    return {"name": ITEMS.get(item_id)}


# $ route="POST /api/v2/items" handler=create_item auth=api-key-header csrf=none
@v2.post("/items")
def create_item():
    ITEMS[len(ITEMS) + 1] = request.json["name"]
    return "", 201
