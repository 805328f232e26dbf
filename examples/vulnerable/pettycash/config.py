"""Configuration classes for pettycash.

create_app() picks one by the name in PETTYCASH_ENV. Production is the default, so an
instance started without the variable never runs with development settings.
"""

import os


class Config:
    SECRET_KEY = os.environ.get("PETTYCASH_SECRET_KEY", "dev-secret")
    AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")
    EXPENSES_TABLE = os.environ.get("EXPENSES_TABLE", "pettycash-expenses")
    USERS_TABLE = os.environ.get("USERS_TABLE", "pettycash-users")
    TEAMS_TABLE = os.environ.get("TEAMS_TABLE", "pettycash-teams")
    API_TOKENS_TABLE = os.environ.get("API_TOKENS_TABLE", "pettycash-api-tokens")
    BEDROCK_MODEL_ID = os.environ.get("BEDROCK_MODEL_ID", "anthropic.claude-3-haiku-20240307-v1:0")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = True
    # Served over plain http://localhost while developing.
    SESSION_COOKIE_SECURE = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-key"
    # The test client posts forms without rendering them first.
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    # TLS ends at the load balancer; the app itself only ever sees plain http.
    SESSION_COOKIE_SECURE = False
    # Lax broke the return from the company SSO page (a cross-site POST), so the
    # attribute is left out altogether.
    SESSION_COOKIE_SAMESITE = None


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
