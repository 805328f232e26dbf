# Flask model fixture (part of nested_blueprints): the parent blueprint. Its `before_request`
# hook rejects requests without the right `X-API-Key` header, for its own views and for those of
# the nested `v2`.

import hmac
import os

from flask import Blueprint, abort, request

from .v2 import v2

api_bp = Blueprint("api", __name__, url_prefix="/api")


@api_bp.before_request
def require_api_key():
    sent = request.headers.get("X-API-Key", "")
    if not hmac.compare_digest(sent, os.environ["API_KEY"]):
        abort(401)


api_bp.register_blueprint(v2, url_prefix="/v2")


# $ route="GET /api/status" blueprint=api handler=status auth=api-key-header
@api_bp.get("/status")
def status():
    return {"ok": True}
