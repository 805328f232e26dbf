"""Small builders for DynamoDB filter expressions."""
ACTIVE_STATES = ("booked", "confirmed")


def in_clause(attribute, values):
    """`attribute IN (:v0, :v1, ...)` with each value bound to a placeholder."""
    placeholders = [f":v{i}" for i in range(len(values))]
    expression = f"{attribute} IN ({', '.join(placeholders)})"
    return expression, dict(zip(placeholders, values))
