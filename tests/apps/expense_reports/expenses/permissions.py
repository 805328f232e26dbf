"""Permission checks on the JWT's claims."""
from functools import wraps

from flask import abort
from flask_jwt_extended import get_jwt, verify_jwt_in_request


def require_permission(*needed):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            granted = get_jwt()["permissions"]
            if not all(p in granted for p in needed):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
