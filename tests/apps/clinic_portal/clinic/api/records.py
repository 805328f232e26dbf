"""A patient's view of their own medical records."""
from flask import abort
from flask_jwt_extended import get_jwt_identity
from flask_restx import Namespace, Resource

from ..security import patient_required
from ..storage import Records

ns = Namespace("records", description="Medical records, patient view")


@ns.route("/<record_id>")
class RecordItem(Resource):
    method_decorators = [patient_required]

    def get(self, record_id):
        record = Records().get(record_id)
        if record is None or record["patient_id"] != get_jwt_identity():
            abort(404)
        return record
