# Flask model fixture (part of factory_blueprints): a blueprint whose own `url_prefix` ("/admin")
# is overridden by the `url_prefix="/console/"` of its registration; the trailing slash of the
# prefix and the leading slash of the rule merge into one.

from flask import Blueprint
from flask_login import login_required

admin = Blueprint("admin", __name__, url_prefix="/admin")
DISABLED = set()


# $ route="GET /console/users" blueprint=admin auth=flask-login
# $ no-route="GET /admin/users"
# $ no-route="GET /console//users"
@admin.get("/users")
@login_required
def users():
    return {"disabled": sorted(DISABLED)}


# $ route="POST /console/users/<int:user_id>/disable" methods=POST auth=flask-login csrf=csrfprotect
# $ no-route="POST /admin/users/<int:user_id>/disable"
@admin.route("/users/<int:user_id>/disable", methods=["POST"])
@login_required
def disable_user(user_id):
    DISABLED.add(user_id)
    return "", 204
