"""Screening figures for editors and analysts, read from the tallies: never a screening itself.

Counts by region below `QORGAU_STATS_MIN_CELL` are shown as "fewer than" that number (small-cell
suppression, domain.md §9.3); counts by instrument and setting are national and shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import get_language

from qorgau.protection.models import Decision
from qorgau.reference.models import Region
from qorgau.screening.models import (
    AnswerTally,
    Band,
    InstrumentVersion,
    ResultTally,
    Screening,
    Setting,
)

BANDS = [b for b, _label in Band.choices]


@dataclass
class Row:
    label: str
    suppress: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[str]:
        """The count of each band, then the total, as shown."""
        return [self.shown(self.counts.get(b, 0)) for b in BANDS] + [
            self.shown(sum(self.counts.values()))
        ]

    def shown(self, n: int) -> str:
        low = settings.QORGAU_STATS_MIN_CELL
        return f"<{low}" if self.suppress and 0 < n < low else str(n)


@dataclass
class ItemRate:
    code: str
    text: str
    count: int
    rate: float  # share of completed screenings with this answer


def results_by(group: str, *, suppress: bool = False, **filters: Any) -> list[Row]:
    """Completed screenings per band, grouped by version, setting or region."""
    rows: dict[Any, Row] = {}
    tallies = (
        ResultTally.objects.filter(**filters)
        .values(group, "band")
        .annotate(n=Sum("count"))
        .order_by(group)
    )
    labels = _labels(group)
    for t in tallies:
        label = labels.get(t[group], str(t[group]))
        row = rows.setdefault(t[group], Row(label, suppress))
        row.counts[t["band"]] = row.counts.get(t["band"], 0) + int(t["n"])
    return sorted(rows.values(), key=lambda r: r.label)


def _labels(group: str) -> dict[Any, str]:
    if group == "version":
        return {v.pk: f"{v.parsed.title} v{v.version}" for v in _versions()}
    if group == "region":
        return {r.pk: r.name for r in Region.objects.all()}
    return {value: str(label) for value, label in Setting.choices}


def _versions() -> list[InstrumentVersion]:
    return list(
        InstrumentVersion.objects.exclude(
            status=InstrumentVersion.Status.DRAFT
        ).select_related("instrument")
    )


def item_rates(version: InstrumentVersion, **filters: Any) -> list[ItemRate]:
    """How often each item (or scoring option) was endorsed, most often first."""
    completed = (
        ResultTally.objects.filter(version=version, **filters).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    counts = (
        AnswerTally.objects.filter(version=version, **filters)
        .values("answer")
        .annotate(n=Sum("count"))
    )
    definition = version.parsed
    language = get_language() or "ru"
    rates = []
    for c in counts:
        code, _sep, option = c["answer"].partition(":")
        item = definition.items_by_code.get(code)
        if item is None:
            continue
        text = item.text.get(language)
        chosen = item.option(option) if option else None
        if chosen is not None:
            text = f"{text} — {chosen.text.get(language)}"
        n = int(c["n"])
        rates.append(
            ItemRate(c["answer"], text, n, n / completed if completed else 0.0)
        )
    return sorted(rates, key=lambda r: (-r.count, r.code))


# The decisions that confirm identification (domain.md §5): the competent authority's, not the
# preliminary one any first responder may take.
CONFIRMING = ("reasonable_grounds", "victim_status")


@dataclass
class Outcome:
    """From positive results to confirmed identification, for one instrument version."""

    label: str
    positive: int  # positive or immediate danger
    referred: int
    identified: int

    @property
    def of_referred(self) -> float | None:
        return self.identified / self.referred if self.referred else None

    @property
    def of_positive(self) -> float | None:
        return self.identified / self.positive if self.positive else None


def identification_outcomes() -> list[Outcome]:
    """How often a positive screen led to a confirmed identification: per version, the
    positive results, those referred to a case, and those whose child a competent authority
    then identified (a positive confirming decision on that case, taken after the screening)."""
    positive = dict(
        ResultTally.objects.exclude(band="negative")
        .values_list("version")
        .annotate(n=Sum("count"))
        .order_by()
    )
    referred = dict(
        ResultTally.objects.values_list("version")
        .annotate(n=Sum("referred"))
        .order_by()
    )
    positive_decisions = Decision.objects.filter(
        kind__in=CONFIRMING, outcome=Decision.Outcome.POSITIVE
    )
    confirmed = positive_decisions.filter(
        case=OuterRef("case"), decided_at__gte=OuterRef("completed_at")
    )
    identified = dict(  # from the decisions' cases: never a scan of every screening
        Screening.objects.filter(case_id__in=positive_decisions.values("case_id"))
        .filter(Exists(confirmed))
        .values_list("version")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = _labels("version")
    return sorted(
        (
            Outcome(
                labels.get(pk, str(pk)),
                int(n),
                int(referred.get(pk) or 0),
                int(identified.get(pk, 0)),
            )  # fmt: skip
            for pk, n in positive.items()
        ),
        key=lambda o: o.label,
    )


def most_used(versions: list[InstrumentVersion]) -> InstrumentVersion | None:
    """The version with the most completed screenings (the first, when none has any)."""
    totals = dict(
        ResultTally.objects.values_list("version").annotate(n=Sum("count")).order_by()
    )
    return max(versions, key=lambda v: totals.get(v.pk, 0), default=None)


def published_versions() -> list[InstrumentVersion]:
    return sorted(_versions(), key=lambda v: (v.instrument.code, -v.version))
