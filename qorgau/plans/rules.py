"""Pure calculations for risk and support plans: no database, tested with SimpleTestCase."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

# Risk levels from lowest to highest; "not assessed" ranks below every assessed level.
LEVEL_ORDER = ("not_assessed", "low", "medium", "high")

# Sessions a frequency gives over a period (per day); "as needed" has no target.
SESSIONS_PER_DAY = {
    "daily": 1.0,
    "several_weekly": 3 / 7,
    "weekly": 1 / 7,
    "fortnightly": 1 / 14,
    "monthly": 1 / 30,
}


def overall_level(levels: Iterable[str]) -> str:
    """The highest level among the areas; "not_assessed" when none was assessed."""
    ranked = [LEVEL_ORDER.index(level) for level in levels if level in LEVEL_ORDER]
    return LEVEL_ORDER[max(ranked, default=0)]


def review_due(assessed_on: date, level: str, days_by_level: Mapping[str, int]) -> date:
    """When an assessment at `level` is to be reviewed: the higher the risk, the sooner."""
    days = days_by_level.get(level)
    if (
        days is None
    ):  # "not assessed" overall never reaches here; be safe and review soon
        days = min(days_by_level.values(), default=7)
    return assessed_on + timedelta(days=int(days))


def planned_sessions(frequency: str, start: date, end: date | None) -> int | None:
    """How many sessions a service at `frequency` from `start` to `end` (inclusive) plans.

    Once is one session; an open-ended or "as needed" service has no target to count against.
    """
    if frequency == "once":
        return 1
    per_day = SESSIONS_PER_DAY.get(frequency)
    if per_day is None or end is None or end < start:
        return None
    days = (end - start).days + 1
    return max(1, round(days * per_day))
