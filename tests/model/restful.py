# Flask model fixture: Flask-RESTful.
#
# - `Api(app, prefix="/api")` registers every resource URL with "/api" in front of it.
# - A `Resource` is a `MethodView`: it answers the HTTP methods it defines.
# - `add_resource(Resource, url, ...)` serves one resource at each URL it is given.
# - `method_decorators` wraps each method of the resource when it is dispatched, so Todo's
#   methods run behind `login_required`.

from flask import Flask, request
from flask_login import LoginManager, login_required
from flask_restful import Api, Resource

app = Flask(__name__)
login_manager = LoginManager(app)
api = Api(app, prefix="/api")
TODOS = {}


class Todo(Resource):
    method_decorators = [login_required]

    # $ route="GET /api/todos/<int:todo_id>" auth=flask-login
    def get(self, todo_id):
        return {"task": TODOS.get(todo_id)}

    # $ route="PUT /api/todos/<int:todo_id>" auth=flask-login csrf=none
    def put(self, todo_id):
        TODOS[todo_id] = request.form["task"]
        return {"task": TODOS[todo_id]}


class TodoList(Resource):
    # $ route="GET /api/todos" auth=none
    # $ route="GET /api/tasks" auth=none
    def get(self):
        return TODOS

    # $ route="POST /api/todos" auth=none csrf=none
    # $ route="POST /api/tasks" auth=none csrf=none
    def post(self):
        TODOS[len(TODOS) + 1] = request.form["task"]
        return TODOS, 201


# $ no-route="DELETE /api/todos/<int:todo_id>"
api.add_resource(Todo, "/todos/<int:todo_id>")
# $ no-route="GET /todos"
api.add_resource(TodoList, "/todos", "/tasks")
