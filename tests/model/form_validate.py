# Flask model fixture: Flask-WTF forms without CSRFProtect.
#
# - A `FlaskForm` has a CSRF token field unless CSRF is turned off (`WTF_CSRF_ENABLED` defaults
#   to True), and `validate_on_submit()` is false when the submitted token is missing or wrong.
#   A write that runs only when it returns true is protected by the form.
# - No `CSRFProtect` is bound to the app, so a view that writes without validating a form has no
#   defence at all.

import os

import boto3
from flask import Flask, abort, redirect, render_template, session
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
notes = boto3.resource("dynamodb").Table("notes")

# $ routes=2


class NoteForm(FlaskForm):
    text = StringField("text", validators=[DataRequired()])


# $ route="POST /notes/new" methods=GET+POST auth=session-cookie csrf=form-validate
# $ route="POST /notes/new" dynamo=put_item:write
@app.route("/notes/new", methods=["GET", "POST"])
def new_note():
    if "user_id" not in session:
        abort(401)
    form = NoteForm()
    if form.validate_on_submit():
        notes.put_item(Item={"owner": session["user_id"], "text": form.text.data})
        return redirect("/")
    return render_template("new_note.html", form=form)


# $ route="POST /notes/<note_id>/delete" auth=session-cookie csrf=none dynamo=delete_item:write
@app.post("/notes/<note_id>/delete")
def delete_note(note_id):
    if "user_id" not in session:
        abort(401)
    notes.delete_item(Key={"owner": session["user_id"], "note_id": note_id})
    return redirect("/")
