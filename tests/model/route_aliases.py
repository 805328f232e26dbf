# Route decorators reached through a variable: `route = app.route` binds the app's method, so
# `@route("/a", ...)` registers on the app exactly like `@app.route("/a", ...)`.
from flask import Flask

app = Flask(__name__)
route = app.route
post = app.post


# $ route="POST /a" handler=create_a
@route("/a", methods=["POST"])
def create_a():
    return "a"


# $ route="POST /b" handler=create_b
@post("/b")
def create_b():
    return "b"
