from .appointments import ns as appointments_ns
from .auth import ns as auth_ns
from .records import ns as records_ns
from .staff import ns as staff_ns


def register_namespaces(api):
    api.add_namespace(auth_ns, path="/auth")
    api.add_namespace(appointments_ns, path="/appointments")
    api.add_namespace(records_ns, path="/records")
    api.add_namespace(staff_ns, path="/staff")
