"""Start pettycash with Flask's built-in server for a quick local look.

Deployments run the WSGI app `pettycash:create_app()` under gunicorn instead. The debugger
stays off here: turn it on for yourself with `flask --app pettycash run --debug`.
"""

import os

from pettycash import create_app

app = create_app()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
