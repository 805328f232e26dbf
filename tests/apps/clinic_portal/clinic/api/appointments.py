"""A patient's appointments. Every resource requires a patient token."""
import uuid

from flask import request
from flask_jwt_extended import get_jwt_identity
from flask_restx import Namespace, Resource, fields

from ..filters import ACTIVE_STATES, in_clause
from ..security import patient_required
from ..storage import Appointments

ns = Namespace("appointments", description="Book, move and cancel appointments")

booking = ns.model(
    "Booking",
    {
        "slot_id": fields.String(required=True, pattern=r"^[A-Z0-9-]{6,24}$"),
        "reason": fields.String(max_length=500),
    },
)


@ns.route("")
class AppointmentList(Resource):
    method_decorators = [patient_required]

    def get(self):
        wanted = request.args.getlist("status") or list(ACTIVE_STATES)
        expression, values = in_clause("appt_status", wanted)
        return Appointments().for_patient(get_jwt_identity(), expression, values)

    @ns.expect(booking, validate=True)
    def post(self):
        body = ns.payload
        item = {
            "appointment_id": uuid.uuid4().hex,
            "patient_id": get_jwt_identity(),
            "slot_id": body["slot_id"],
            "reason": body.get("reason", ""),
            "appt_status": "booked",
        }
        Appointments().create(item)
        return item, 201


@ns.route("/upcoming")
class Upcoming(Resource):
    method_decorators = [patient_required]

    def get(self):
        expression, values = in_clause("appt_status", ACTIVE_STATES)
        return Appointments().for_patient(get_jwt_identity(), expression, values)


@ns.route("/<appointment_id>")
class AppointmentItem(Resource):
    method_decorators = [patient_required]

    def get(self, appointment_id):
        appointment = Appointments().get(appointment_id)
        if appointment is None:
            ns.abort(404, "no such appointment")
        return appointment

    def patch(self, appointment_id):
        appointments = Appointments()
        appointment = appointments.get(appointment_id)
        if appointment is None or appointment["patient_id"] != get_jwt_identity():
            ns.abort(404, "no such appointment")
        appointments.reschedule(appointment_id, ns.payload)
        return {"appointment_id": appointment_id}

    def delete(self, appointment_id):
        appointments = Appointments()
        appointment = appointments.get(appointment_id)
        if appointment is None or appointment["patient_id"] != get_jwt_identity():
            ns.abort(404, "no such appointment")
        appointments.cancel(appointment_id)
        return "", 204
