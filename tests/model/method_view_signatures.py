# One MethodView registered on a collection rule and an item rule: Flask gives both rules every
# method the class defines and calls the method with the rule's variables as keyword arguments.
# `post(self)` cannot take `note_id` and `delete(self, note_id)` needs it, so POST on the item
# rule and DELETE on the collection rule raise TypeError before any line runs: no such routes.
from flask import Flask
from flask.views import MethodView

app = Flask(__name__)


class NoteAPI(MethodView):
    # $ route="POST /notes"
    def post(self):
        return "created", 201

    # $ route="DELETE /notes/<note_id>"
    def delete(self, note_id):
        return "", 204


# $ no-route="POST /notes/<note_id>"
# $ no-route="DELETE /notes"
app.add_url_rule("/notes", view_func=NoteAPI.as_view("notes"))
app.add_url_rule("/notes/<note_id>", view_func=NoteAPI.as_view("note"))
