"""Category suggestions: a short Bedrock prompt that maps an expense description to one of
the categories the expense form offers."""

import boto3
from flask import Blueprint, current_app, jsonify, request

from .expenses import CATEGORIES

assistant_bp = Blueprint("assistant", __name__)

PROMPT = (
    "Answer with exactly one word from this list: {choices}. "
    "Which category fits this expense best? Expense: {description}"
)


# The public expense-policy page calls this too, so it takes no sign-in.
@assistant_bp.post("/categorize")
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
