"""Authorization decorators. Tokens carry the caller's role and, for staff, their permissions."""
from functools import wraps

from flask import abort
from flask_jwt_extended import get_jwt, verify_jwt_in_request


def patient_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request()
        if get_jwt().get("role") != "patient":
            abort(403)
        return fn(*args, **kwargs)

    return wrapper


def staff_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request()
        claims = get_jwt()
        if claims.get("role") != "staff":
            abort(403)
        return fn(*args, **kwargs)

    return wrapper


def permission(name):
    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if name not in get_jwt().get("permissions", []):
                abort(403)
            return fn(*args, **kwargs)

        return wrapper

    return decorator
