"""Drive an example app in-process and report what Flask itself enforces on each write route.

Usage: python3 examples/tools/probe_routes.py examples/vulnerable

The app is built with its production configuration inside moto's mock_aws, so every AWS
call lands in an in-memory fake and nothing leaves the process; requests go through
Flask's test client, not a socket. For every POST/PUT/PATCH/DELETE rule (and every GET
rule whose path ends in /delete) it sends two requests without a sign-in: one with no CSRF
token, one with a valid token. The first shows whether Flask-WTF checks a token there, the
second whether the handler runs for an anonymous caller. A few signed-in scenarios follow
(another user's expense, an admin-only action by a plain member). This is a way to check
the claims in EXPECTED.md against the real libraries; it is not part of the test suite.
"""

import os
import sys
from pathlib import Path

import boto3
from moto import mock_aws

sys.path.insert(0, str(Path(__file__).parent))
from list_routes import load_factory  # noqa: E402

CSRF_MESSAGE = b"The form expired"
# The apps set Secure session cookies in production, so every request goes over https; an
# https request also needs a same-origin Referer to pass Flask-WTF's strict check.
HTTPS = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/"}}
SAMPLE_VALUES = {"<expense_id>": "e-bob", "<user_id>": "u-bob"}


def create_tables(region):
    dynamodb = boto3.client("dynamodb", region_name=region)

    def table(name, key, indexes=()):
        attributes = {key, *indexes}
        spec = {
            "TableName": name,
            "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": attr, "AttributeType": "S"} for attr in sorted(attributes)
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if indexes:
            spec["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": f"by-{attr.split('_')[0]}",
                    "KeySchema": [{"AttributeName": attr, "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
                for attr in indexes
            ]
        dynamodb.create_table(**spec)

    table("pettycash-users", "user_id", ("email",))
    table("pettycash-expenses", "expense_id", ("owner_id", "team_id"))
    table("pettycash-teams", "team_id")
    table("pettycash-api-tokens", "token_hash")

    resource = boto3.resource("dynamodb", region_name=region)
    users = resource.Table("pettycash-users")
    for user_id, team_id in (("u-alice", "t-red"), ("u-bob", "t-blue")):
        users.put_item(
            Item={
                "user_id": user_id,
                "email": f"{user_id}@example.test",
                "team_id": team_id,
                "role": "member",
                "password_hash": "unused",
            }
        )
    expenses = resource.Table("pettycash-expenses")
    for expense_id, owner_id, team_id in (("e-alice", "u-alice", "t-red"), ("e-bob", "u-bob", "t-blue")):
        expenses.put_item(
            Item={
                "expense_id": expense_id,
                "owner_id": owner_id,
                "team_id": team_id,
                "amount": 12,
                "category": "meals",
                "note": "lunch",
                "status": "draft",
            }
        )
    return expenses


def csrf_token_for(app, client):
    """A valid Flask-WTF token, with its raw half planted in the client's session."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context():
        token = generate_csrf()
        raw = session["csrf_token"]
    with client.session_transaction(base_url="https://localhost") as client_session:
        client_session["csrf_token"] = raw
    return token


def with_token(token):
    return {**HTTPS, "headers": {**HTTPS["headers"], "X-CSRFToken": token}}


def outcome(response):
    location = response.headers.get("Location", "")
    if response.status_code == 400 and CSRF_MESSAGE in response.data:
        return "rejected: CSRF token"
    if response.status_code in (401, 403) or "/auth/login" in location:
        return f"rejected: {response.status_code} (not signed in / not allowed)"
    return f"handler ran: {response.status_code}"


def concrete(rule):
    for placeholder, value in SAMPLE_VALUES.items():
        rule = rule.replace(placeholder, value)
    return rule


def probe_anonymous(app):
    print("Anonymous requests, first without and then with a valid CSRF token:")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        unsafe = sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})
        if rule.rule.endswith("/delete") and "GET" in rule.methods:
            unsafe.append("GET")
        for method in unsafe:
            path = concrete(rule.rule)
            client = app.test_client()
            bare = client.open(path, method=method, data={"body": "x"}, **HTTPS)
            token = csrf_token_for(app, client)
            signed = client.open(path, method=method, data={"body": "x"}, **with_token(token))
            print(f"  {method:6} {rule.rule:42} {outcome(bare):52} | {outcome(signed)}")


def signed_in_client(app, user_id):
    client = app.test_client()
    with client.session_transaction(base_url="https://localhost") as client_session:
        client_session["_user_id"] = user_id
        client_session["_fresh"] = True
    return client, csrf_token_for(app, client)


def probe_signed_in(app, expenses):
    print("Signed in as u-alice (a member of team t-red):")
    client, token = signed_in_client(app, "u-alice")
    form = {"amount": "999.00", "category": "other", "note": "changed by alice"}
    response = client.post("/portal/expenses/e-bob/edit", data=form, **with_token(token))
    amount = expenses.get_item(Key={"expense_id": "e-bob"})["Item"]["amount"]
    print(f"  edit bob's expense e-bob:            {response.status_code}, its amount is now {amount}")
    response = client.get("/portal/expenses/e-alice/delete", **HTTPS)
    still_there = "Item" in expenses.get_item(Key={"expense_id": "e-alice"})
    print(f"  GET .../e-alice/delete, no token:    {response.status_code}, item still there: {still_there}")
    response = client.post("/admin/expenses/purge", **with_token(token))
    print(f"  member posts to /admin/expenses/purge: {outcome(response)}")


def main(argv):
    root = Path(argv[1]).resolve()
    region = "eu-west-1"
    os.environ.update(
        PETTYCASH_SECRET_KEY="probe-only-secret",
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    with mock_aws():
        expenses = create_tables(region)
        app = load_factory(root)("production")
        app.logger.disabled = True
        probe_anonymous(app)
        probe_signed_in(app, expenses)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
