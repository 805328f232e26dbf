"""List the URL rules that an example app registers, and check expected.json against them.

Usage: python3 examples/tools/list_routes.py examples/vulnerable [--check]

The app factory is imported and built with the testing configuration; nothing is served
and no request is made. Flask-Limiter and PynamoDB are replaced by small stand-ins when
they are not installed, since only their decorators and class bodies run at import time.
boto3 calls are wrapped in moto's mock_aws when moto is present, so that a mistake can
never reach AWS. With --check, every "route" named in the folder's expected.json must be
a method and rule that the app really registers.
"""

import importlib
import json
import sys
import types
from contextlib import nullcontext
from pathlib import Path


def _stub_flask_limiter():
    module = types.ModuleType("flask_limiter")
    util = types.ModuleType("flask_limiter.util")

    class Limiter:
        def __init__(self, key_func=None, **options):
            self.key_func = key_func

        def init_app(self, app):
            app.extensions["limiter"] = self

        def limit(self, *args, **kwargs):
            return lambda view: view

        def exempt(self, view):
            return view

    module.Limiter = Limiter
    util.get_remote_address = lambda: "127.0.0.1"
    module.util = util
    sys.modules["flask_limiter"] = module
    sys.modules["flask_limiter.util"] = util


def _stub_pynamodb():
    package = types.ModuleType("pynamodb")
    attributes = types.ModuleType("pynamodb.attributes")
    models = types.ModuleType("pynamodb.models")

    class Attribute:
        def __init__(self, *args, **kwargs):
            self.options = kwargs

    class Model:
        def __init__(self, *args, **kwargs):
            self.values = (args, kwargs)

    attributes.UnicodeAttribute = Attribute
    attributes.UTCDateTimeAttribute = Attribute
    models.Model = Model
    for name, module in {
        "pynamodb": package,
        "pynamodb.attributes": attributes,
        "pynamodb.models": models,
    }.items():
        sys.modules[name] = module


def _ensure(module_name, stub):
    try:
        importlib.import_module(module_name)
    except ImportError:
        print(f"note: {module_name} is not installed, using a stand-in", file=sys.stderr)
        stub()


def load_factory(root):
    """Import the example's package from `root` and return its create_app."""
    _ensure("flask_limiter", _stub_flask_limiter)
    _ensure("pynamodb", _stub_pynamodb)
    sys.path.insert(0, str(root))
    return importlib.import_module("pettycash").create_app


def build_app(root):
    try:
        from moto import mock_aws

        guard = mock_aws()
    except ImportError:
        guard = nullcontext()
    with guard:
        return load_factory(root)("testing")


def registered_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method, rule.rule, rule.endpoint))
    return sorted(routes, key=lambda r: (r[1], r[0]))


def expected_routes(root):
    verdict = json.loads((root / "expected.json").read_text())
    entries = verdict.get("findings", []) + verdict.get("absent", [])
    return sorted({entry["route"] for entry in entries if "route" in entry})


def main(argv):
    root = Path(argv[1]).resolve()
    app = build_app(root)
    routes = registered_routes(app)
    for method, rule, endpoint in routes:
        print(f"{method:7} {rule:45} {endpoint}")
    if "--check" not in argv:
        return 0
    known = {f"{method} {rule}" for method, rule, _ in routes}
    missing = [route for route in expected_routes(root) if route not in known]
    for route in missing:
        print(f"expected.json names a route the app does not register: {route}", file=sys.stderr)
    print(f"checked {len(expected_routes(root))} routes, {len(missing)} unknown", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
