"""Demo screenings: teachers, doctors and caseworkers screening with the shipped instruments.

Each is taken through the services: started under a reference, answered section by section on
a path the skip logic allows, and completed; most results are negative, some positive, a few
immediate danger, with the ways children took part and the accommodations used.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.screening import scoring, services
from qorgau.screening.definition import Item
from qorgau.screening.models import InstrumentVersion, Screening

PARTICIPATION = (
    ["speech"], ["speech"], ["easy_read", "pictograms"], ["sign_language"],
    ["aac", "caregiver"], ["writing"], ["observation"],
)  # fmt: skip
ACCOMMODATIONS: tuple[list[str], ...] = (
    [],
    [],
    ["quiet_room"],
    ["interpreter", "extra_time"],
    ["breaks", "trusted_adult"],
)
# How often an item is endorsed: most children screened show no sign.
ENDORSE = 0.06


def add_screenings(rng: random.Random, count: int) -> dict[str, int]:
    versions = list(
        InstrumentVersion.objects.filter(status="published").select_related(
            "instrument"
        )
    )
    screeners = [
        u
        for u in User.objects.filter(is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("pk")
        if u.capability.screens
    ]
    bands: dict[str, int] = {}
    for n in range(count):
        version = versions[n % len(versions)]
        allowed = set(version.parsed.administered_by)
        candidates = [u for u in screeners if not allowed or u.roles & allowed]
        if not candidates:
            continue
        screening = _screen(rng, version, rng.choice(candidates))
        bands[screening.result] = bands.get(screening.result, 0) + 1
    return bands


def _screen(rng: random.Random, version: InstrumentVersion, user: User) -> Screening:
    definition = version.parsed
    child = definition.about_the_child
    screening = services.start_screening(
        version,
        by=user,
        setting=rng.choice(definition.settings or ("social_services",)),
        mode=rng.choice((Screening.Mode.STANDARD,) * 3 + (Screening.Mode.EASY_READ,)),
        language=user.preferred_language if user.preferred_language == "kk" else "ru",
        participation=rng.choice(PARTICIPATION) if child else [],
        accommodations=rng.choice(ACCOMMODATIONS) if child else [],
    )
    answers: dict[str, Any] = {}
    for section in definition.sections:  # each as the answers so far show it
        for item in section.items:
            if item in scoring.visible_items(definition, answers):
                answers[item.code] = answer_for(rng, item)
        screening, _errors = services.save_answers(
            screening,
            raw=answers,
            items={i.code for i in section.items},
            expected_version=screening.row_version,
            by=user,
            complete_section=False,
        )
    screening, _errors = services.complete_screening(
        screening, expected_version=screening.row_version, by=user
    )
    return screening


def answer_for(rng: random.Random, item: Item, rate: float = ENDORSE) -> Any:
    """A plausible answer, endorsing a sign with probability `rate` (a fifth of it for a sign
    of immediate danger)."""
    rare = item.immediate_danger or any(o.immediate_danger for o in item.options)
    endorse = rng.random() < (rate / 5 if rare else rate)
    if item.type == "yes_no":
        return "yes" if endorse else "no"
    if item.type in ("single", "scale"):
        ordered = sorted(item.options, key=lambda o: (o.immediate_danger, o.weight))
        return (rng.choice(ordered[1:]) if endorse else ordered[0]).code
    if item.type == "multiple":
        exclusive = [o.code for o in item.options if o.exclusive]
        plain = [o.code for o in item.options if not o.exclusive]
        return [rng.choice(plain)] if endorse or not exclusive else exclusive[:1]
    if item.type == "number":
        low = item.min or 0
        return rng.randint(low, min(item.max or low + 20, low + 20))
    if item.type == "date":
        return (timezone.localdate() - timedelta(days=rng.randint(1, 60))).isoformat()
    return None  # free text: left empty in the demo
