# Flask model fixture (part of nested_blueprints): a blueprint beside `api_bp`, whose API-key hook
# does not run for these views, so they identify nobody.

from flask import Blueprint, request

pages = Blueprint("pages", __name__)
MESSAGES = []


# $ route="GET /about" blueprint=pages auth=none
@pages.get("/about")
def about():
    return "about"


# $ route="POST /contact" blueprint=pages auth=none csrf=none
@pages.post("/contact")
def contact():
    MESSAGES.append(request.form["message"])
    return "", 204
