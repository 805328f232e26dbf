# Flask model fixture (part of factory_blueprints): extensions created unbound, to be attached to
# the app by `init_app` in the factory.

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()


@login_manager.user_loader
def load_user(user_id):
    return None
