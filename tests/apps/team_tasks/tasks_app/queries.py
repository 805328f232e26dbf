"""Projection lists for task listings."""
CARD_COLUMNS = ("task_id", "title", "task_status")


def projection(columns):
    return ", ".join(columns)
