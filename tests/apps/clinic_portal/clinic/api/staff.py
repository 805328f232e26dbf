"""Staff tools: any patient's records and appointments, behind role and permission checks."""
from flask import request
from flask_jwt_extended import get_jwt_identity
from flask_restx import Namespace, Resource

from ..filters import in_clause
from ..security import permission, staff_required
from ..storage import Appointments, Records

ns = Namespace("staff", description="Clinic staff")


@ns.route("/patients/<patient_id>/records")
class PatientRecords(Resource):
    method_decorators = [staff_required]

    def get(self, patient_id):
        return Records().for_patient(patient_id)


@ns.route("/records/<record_id>/notes")
class RecordNotes(Resource):
    method_decorators = [permission("records:annotate"), staff_required]

    def post(self, record_id):
        text = str(request.get_json(force=True).get("text", ""))[:2000]
        Records().add_note(record_id, get_jwt_identity(), text)
        return {"record_id": record_id}, 201


@ns.route("/appointments/search")
class AppointmentSearch(Resource):
    method_decorators = [staff_required]

    def get(self):
        field = request.args.get("field", "appt_status")
        expression, values = in_clause(field, request.args.getlist("value"))
        return Appointments().matching(expression, values)
