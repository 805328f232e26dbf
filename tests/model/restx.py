# Flask model fixture: Flask-RESTX namespaces.
#
# - A `Namespace` created without `path` lives at "/" followed by its name: "notes" at "/notes".
# - `api.add_namespace(ns, path=...)` mounts a namespace at that path instead of its own.
# - `@ns.route(url)` registers the decorated `Resource` at the namespace's path followed by `url`,
#   once the namespace is added to the Api.
# - A resource, like any `MethodView`, answers the HTTP methods it defines.
# The Api also registers routes of its own (documentation, the Swagger spec); they are not
# checked here, so there is no route count.

from flask import Flask, request
from flask_restx import Api, Namespace, Resource

app = Flask(__name__)
api = Api(app)
notes = Namespace("notes")
labels = Namespace("labels")
NOTES = {}


@notes.route("/<int:note_id>")
class Note(Resource):
    # $ route="GET /notes/<int:note_id>" auth=none
    def get(self, note_id):
        return {"text": NOTES.get(note_id)}

    # $ route="DELETE /notes/<int:note_id>" auth=none csrf=none
    def delete(self, note_id):
        NOTES.pop(note_id, None)
        return "", 204


@labels.route("/<string:name>")
class Label(Resource):
    # $ route="PUT /tags/<string:name>" auth=none csrf=none
    # $ no-route="PUT /labels/<string:name>"
    def put(self, name):
        return {"label": name, "color": request.json["color"]}


# $ no-route="POST /notes/<int:note_id>"
api.add_namespace(notes)
api.add_namespace(labels, path="/tags")
