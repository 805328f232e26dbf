"""Start pettycash with Flask's built-in server (the container's entry point runs this file)."""

import os

from pettycash import create_app

app = create_app()

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")), debug=True)
