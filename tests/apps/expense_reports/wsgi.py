from expenses import create_app

app = create_app()
