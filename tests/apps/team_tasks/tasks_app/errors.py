"""Error handlers for the whole app."""
import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def register_error_handlers(app):
    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return error
        log.exception("unhandled error")
        return jsonify(error="internal error", detail=f"{type(error).__name__}: {error}"), 500
