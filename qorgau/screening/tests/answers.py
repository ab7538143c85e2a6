"""Answers the tests give: the one that scores least, for any item."""

from __future__ import annotations

from typing import Any

from qorgau.screening.definition import Item


def lowest(item: Item) -> Any:
    """The answer that scores least: "no", the lowest option, "none of these", the minimum."""
    if item.type == "yes_no":
        return "no"
    if item.type in ("single", "scale"):
        return min(item.options, key=lambda o: o.weight).code
    if item.type == "multiple":
        exclusive = [o.code for o in item.options if o.exclusive]
        return exclusive[:1] or [min(item.options, key=lambda o: o.weight).code]
    if item.type == "number":
        return item.min or 0
    if item.type == "date":
        return "2026-11-02"
    return ""
