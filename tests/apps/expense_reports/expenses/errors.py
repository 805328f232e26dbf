"""Error handlers."""
from flask import jsonify
from pynamodb.exceptions import PynamoDBException

from .models import ExpenseReport


def _not_found(error):
    return jsonify(error="not found"), 404


def register_error_handlers(app):
    app.register_error_handler(ExpenseReport.DoesNotExist, _not_found)
    app.register_error_handler(
        PynamoDBException,
        lambda error: (jsonify(error="storage failure", cause=error.msg), 500),
    )
