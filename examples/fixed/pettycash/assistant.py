"""Category suggestions: a short Bedrock prompt that maps an expense description to one of
the categories the expense form offers."""

import boto3
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from .expenses import CATEGORIES
from .extensions import limiter

assistant_bp = Blueprint("assistant", __name__)

PROMPT = (
    "Answer with exactly one word from this list: {choices}. "
    "Which category fits this expense best? Expense: {description}"
)


# Each call costs money: signed-in users only, and at most 20 calls an hour per user.
@assistant_bp.post("/categorize")
@login_required
@limiter.limit("20 per hour", key_func=lambda: current_user.get_id())
def suggest_category():
    description = str((request.get_json(silent=True) or {}).get("description", ""))[:500]
    choices = ", ".join(value for value, _ in CATEGORIES)
    bedrock = boto3.client("bedrock-runtime", region_name=current_app.config["AWS_REGION"])
    reply = bedrock.converse(
        modelId=current_app.config["BEDROCK_MODEL_ID"],
        messages=[
            {
                "role": "user",
                "content": [{"text": PROMPT.format(choices=choices, description=description)}],
            }
        ],
        inferenceConfig={"maxTokens": 10, "temperature": 0},
    )
    answer = reply["output"]["message"]["content"][0]["text"].strip().lower()
    return jsonify(category=answer if answer in dict(CATEGORIES) else "other")
