from flask import abort, request
from flask_jwt_extended import create_access_token
from flask_restx import Namespace, Resource
from werkzeug.security import check_password_hash

from ..storage import table

ns = Namespace("auth", description="Sign-in")


@ns.route("/login")
class Login(Resource):
    def post(self):
        body = request.get_json(force=True)
        patient = table("patients").get_item(Key={"email": body["email"]}).get("Item")
        if patient is None or not check_password_hash(patient["password_hash"], body["password"]):
            abort(401)
        token = create_access_token(
            identity=patient["patient_id"], additional_claims={"role": "patient"}
        )
        return {"access_token": token}
