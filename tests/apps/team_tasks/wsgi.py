from tasks_app import create_app

app = create_app()
