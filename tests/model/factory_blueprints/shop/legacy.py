# Flask model fixture (part of factory_blueprints): a blueprint that is imported by the factory's
# module but never registered on the app, so Flask serves none of its views.

from flask import Blueprint

legacy = Blueprint("legacy", __name__, url_prefix="/legacy")


# $ no-route="POST /legacy/import"
# $ no-route="POST /import"
@legacy.post("/import")
def import_orders():
    return "", 204
