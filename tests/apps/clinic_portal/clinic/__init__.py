"""Clinic portal API: patients manage their appointments, staff read and annotate records."""
import os

from flask import Flask

from .extensions import api, jwt


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(
        JWT_SECRET_KEY=os.environ["CLINIC_JWT_SECRET"],
        JWT_TOKEN_LOCATION=["headers"],
        AWS_REGION=os.environ.get("AWS_REGION", "eu-central-1"),
        TABLES={
            "patients": os.environ.get("PATIENTS_TABLE", "clinic-patients"),
            "appointments": os.environ.get("APPOINTMENTS_TABLE", "clinic-appointments"),
            "records": os.environ.get("RECORDS_TABLE", "clinic-records"),
        },
    )
    if config:
        app.config.update(config)

    jwt.init_app(app)
    api.init_app(app)

    from .api import register_namespaces
    from .errors import register_error_handlers

    register_namespaces(api)
    register_error_handlers(api)
    return app
