"""View decorators shared by the blueprints."""

from functools import wraps

from flask import abort
from flask_login import current_user


def require_role(*roles):
    """Let the view run only for a signed-in user whose role is one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
