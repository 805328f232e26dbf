from flask_jwt_extended import JWTManager
from flask_restx import Api

jwt = JWTManager()
api = Api(title="Clinic portal", version="1.0", prefix="/api", doc="/api/docs")
