# Flask model fixture: one app created at module level, with routes registered in every way the
# app object offers.
#
# - `@app.route(rule)` without `methods` answers GET (Flask adds HEAD and OPTIONS by itself).
# - Flask upper-cases `methods`, so `["get", "post"]` registers GET and POST.
# - `@app.get`, `.post`, `.patch` and `.delete` are `route` with that one method.
# - `app.add_url_rule(rule, endpoint, view_func, methods=...)` registers a plain function; without
#   `methods` it answers GET.
# - Converters stay in the rule as written: `<int:item_id>`, `<path:subpath>`.
# - A function under two `route` decorators answers both rules.
# No view here identifies its caller, uses a CSRF defence or touches DynamoDB.

from flask import Flask, jsonify, request

app = Flask(__name__)
ITEMS = {}

# $ route="GET /" methods=GET handler=index blueprint=none auth=none dynamo=none
# $ no-route="POST /"
@app.route("/")
def index():
    return "hello"

# $ route="GET /items" methods=GET+POST handler=items
# $ route="POST /items" auth=none csrf=none dynamo=none
@app.route("/items", methods=["get", "post"])
def items():
    if request.method == "POST":
        ITEMS[len(ITEMS) + 1] = request.form["name"]
    return jsonify(ITEMS)

# $ route="POST /items/<int:item_id>/archive" methods=POST handler=archive_item
# $ no-route="GET /items/<int:item_id>/archive"
@app.post("/items/<int:item_id>/archive")
def archive_item(item_id):
    ITEMS.pop(item_id, None)
    return "", 204

# $ route="PATCH /items/<int:item_id>" methods=PATCH handler=rename_item
@app.patch("/items/<int:item_id>")
def rename_item(item_id):
    ITEMS[item_id] = request.form["name"]
    return "", 204

# $ route="DELETE /items/<int:item_id>" methods=DELETE handler=delete_item
@app.delete("/items/<int:item_id>")
def delete_item(item_id):
    ITEMS.pop(item_id, None)
    return "", 204

# $ route="GET /files/<path:subpath>" methods=GET handler=show_file
@app.get("/files/<path:subpath>")
def show_file(subpath):
    return subpath

# $ route="GET /about" handler=about
# $ route="GET /about-us" handler=about
@app.route("/about")
@app.route("/about-us")
def about():
    return "about"

# $ route="GET /health" methods=GET handler=health
def health():
    return "ok"

# $ route="POST /ping" methods=POST handler=ping
# $ no-route="GET /ping"
def ping():
    return "pong"

app.add_url_rule("/health", view_func=health)
app.add_url_rule("/ping", "ping", ping, methods=["POST"])

# $ routes=10
