"""API-wide error handlers."""
import logging

from botocore.exceptions import ClientError
from flask_jwt_extended.exceptions import NoAuthorizationError

log = logging.getLogger(__name__)


def register_error_handlers(api):
    @api.errorhandler(ClientError)
    def storage_error(error):
        log.exception("DynamoDB call failed")
        return {"message": "storage error", "detail": str(error)}, 502

    @api.errorhandler(NoAuthorizationError)
    def missing_token(error):
        return {"message": "sign in first"}, 401
