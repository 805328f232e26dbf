"""Configuration classes for pettycash.

create_app() picks one by the name in PETTYCASH_ENV. Production is the default, so an
instance started without the variable never runs with development settings. Secrets come
only from the environment; create_app() refuses to start without one.
"""

import os


class Config:
    SECRET_KEY = os.environ.get("PETTYCASH_SECRET_KEY")
    AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")
    EXPENSES_TABLE = os.environ.get("EXPENSES_TABLE", "pettycash-expenses")
    USERS_TABLE = os.environ.get("USERS_TABLE", "pettycash-users")
    TEAMS_TABLE = os.environ.get("TEAMS_TABLE", "pettycash-teams")
    API_TOKENS_TABLE = os.environ.get("API_TOKENS_TABLE", "pettycash-api-tokens")
    BEDROCK_MODEL_ID = os.environ.get("BEDROCK_MODEL_ID", "anthropic.claude-3-haiku-20240307-v1:0")
    # Sites allowed to read /portal/reports/* with the user's cookies.
    REPORT_ORIGINS = ["https://finance.pettycash.example"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = True
    # Served over plain http://localhost while developing.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-key"
    # The test client posts forms without rendering them first.
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    # Browsers reach us over https at the load balancer, so the cookie may demand it.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
