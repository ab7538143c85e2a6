"""Skip logic, answer checking and scoring of one screening: pure functions of a Definition.

Answers are plain data keyed by item code: "yes" / "no", an option code, a list of option codes,
a whole number, an ISO date or a text. What is visible is worked out in file order, each condition
reading only the answers of items already found visible, so an answer to a hidden item never
counts, never shows anything else and is dropped when the answers are cleaned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from qorgau.screening.definition import (
    EXPLOITATION,
    NO,
    RECRUITMENT,
    YES,
    Definition,
    Item,
    Section,
)


def visible(
    definition: Definition, answers: dict[str, Any]
) -> list[tuple[Section, list[Item]]]:
    """The sections shown and, in each, the items shown, for these answers."""
    seen: dict[str, Any] = {}
    shown = []
    for section in definition.sections:
        if section.show_if is not None and not section.show_if.holds(seen):
            continue
        items = []
        for item in section.items:
            if item.show_if is not None and not item.show_if.holds(seen):
                continue
            items.append(item)
            if item.code in answers:
                seen[item.code] = answers[item.code]
        if items:
            shown.append((section, items))
    return shown


def visible_items(definition: Definition, answers: dict[str, Any]) -> list[Item]:
    return [item for _section, items in visible(definition, answers) for item in items]


def parse_answer(item: Item, raw: Any) -> Any:
    """One answer as stored, from a form's or an API's value; ValueError says what is wrong.
    None (or "", or an empty list) means not answered."""
    if raw is None or raw == "" or raw == []:
        return None
    if item.type == "yes_no":
        if raw in (True, YES):
            return YES
        if raw in (False, NO):
            return NO
        raise ValueError(_("Answer yes or no."))
    if item.type in ("single", "scale"):
        if item.option(str(raw)) is None:
            raise ValueError(_("Choose one of the answers offered."))
        return str(raw)
    if item.type == "multiple":
        chosen = [raw] if isinstance(raw, str) else list(raw)
        options = [item.option(str(code)) for code in chosen]
        if any(o is None for o in options):
            raise ValueError(_("Choose among the answers offered."))
        if len(options) > 1 and any(o.exclusive for o in options if o):
            raise ValueError(_("“%s” cannot be chosen with other answers.")
                             % next(str(o.text) for o in options if o and o.exclusive))  # fmt: skip
        order = [o.code for o in item.options]
        return sorted({str(c) for c in chosen}, key=order.index)
    if item.type == "number":
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
        if item.min is not None and number < item.min:
            raise ValueError(_("Enter a number from %s.") % item.min)
        if item.max is not None and number > item.max:
            raise ValueError(_("Enter a number up to %s.") % item.max)
        return number
    if item.type == "date":
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date such as 2026-03-01.")) from None
    return str(raw).strip()[:4000]


def clean(
    definition: Definition,
    raw: dict[str, Any],
    *,
    complete: bool,
    only: set[str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers, errors by item code): parsed, hidden items dropped; with `complete`, every
    visible required item must be answered. `only` limits the checks to some items (a section
    being saved) while keeping the others' answers as they are."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for code, value in raw.items():
        item = definition.items_by_code.get(code)
        if item is None:
            continue
        try:
            answer = parse_answer(item, value)
        except ValueError as exc:
            if only is None or code in only:
                errors[code] = str(exc)
            continue
        if answer is not None:
            parsed[code] = answer
    shown = visible_items(definition, parsed)
    answers = {i.code: parsed[i.code] for i in shown if i.code in parsed}
    if complete:
        for item in shown:
            needed = item.required and (only is None or item.code in only)
            if needed and item.code not in answers and item.code not in errors:
                errors[item.code] = _("Answer this question.")
    return answers, errors


@dataclass(frozen=True)
class Result:
    band: str
    score: int
    danger: tuple[str, ...] = ()  # items (or item:option) that mean immediate danger
    endorsed: tuple[
        str, ...
    ] = ()  # yes answers and chosen options, for item statistics
    dimensions: dict[str, dict[str, int]] = field(default_factory=dict)
    dimensions_met: tuple[str, ...] = ()


def score(definition: Definition, answers: dict[str, Any]) -> Result:
    """The result of these answers; only visible items count. Immediate danger comes before
    positive, positive before negative."""
    shown = visible_items(definition, answers)
    total, danger, endorsed = 0, [], []
    counts: dict[str, Counter[str]] = {}
    for item in shown:
        answer = answers.get(item.code)
        if answer is None:
            continue
        if item.type == "yes_no" and answer == YES:
            total += item.weight
            endorsed.append(item.code)
            if item.immediate_danger:
                danger.append(item.code)
            if item.indicator:
                dimension = counts.setdefault(item.indicator.dimension, Counter())
                dimension[item.indicator.strength] += 1
        elif item.type in ("single", "scale", "multiple"):
            chosen = set(answer) if isinstance(answer, list) else {answer}
            for option in (o for o in item.options if o.code in chosen):
                total += option.weight
                if option.weight:
                    endorsed.append(f"{item.code}:{option.code}")
                if option.immediate_danger:
                    danger.append(f"{item.code}:{option.code}")
    met = tuple(d for d, c in counts.items() if dimension_met(c))
    if definition.method == "ilo_child":
        total = sum(sum(c.values()) for c in counts.values())
        positive = any(d in met for d in RECRUITMENT) and all(
            d in met for d in EXPLOITATION
        )
    else:
        threshold = definition.band("positive").min_score or 1
        positive = total >= threshold
    band = "immediate_danger" if danger else "positive" if positive else "negative"
    return Result(
        band=band,
        score=total,
        danger=tuple(danger),
        endorsed=tuple(endorsed),
        dimensions={d: dict(c) for d, c in sorted(counts.items())},
        dimensions_met=tuple(sorted(met)),
    )


def dimension_met(count: Counter[str]) -> bool:
    """The ILO/EC combination rule for one dimension."""
    strong, medium, weak = count["strong"], count["medium"], count["weak"]
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )
