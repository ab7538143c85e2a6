"""Figures for the supervisor's and the regional coordinator's dashboards.

They count cases and referrals, never show a child, and read only what the user's role already
reaches: a supervisor their organisation, a coordinator their region.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qorgau.agencies.models import Organisation, User
from qorgau.cases.models import Case, CaseMember
from qorgau.protection.models import Decision
from qorgau.referrals.models import Referral
from qorgau.reviews.dashboards import overdue_by_owner

FLOW_DAYS = 90


@dataclass
class TeamLoad:
    user: User
    open_cases: int


def team_load(organisation_id: int) -> list[TeamLoad]:
    """Open cases per person of the organisation, busiest first."""
    rows = (
        CaseMember.objects.active()
        .filter(user__organisation_id=organisation_id, user__is_active=True)
        .exclude(case__status__in=Case.CLOSED_STATUSES)
        .values("user")
        .annotate(n=Count("case", distinct=True))
        .order_by("-n")
    )
    users = User.objects.in_bulk([r["user"] for r in rows])
    return [TeamLoad(users[r["user"]], r["n"]) for r in rows if r["user"] in users]


def overdue_referrals(organisation_id: int) -> QuerySet[Referral]:
    return (
        Referral.objects.overdue()
        .filter(to_organisation_id=organisation_id)
        .select_related("case", "from_organisation")
        .order_by("due_at")
    )


def decisions_due(organisation_id: int) -> QuerySet[Decision]:
    """Awaited decisions on the organisation's cases, the most urgent first."""
    return (
        Decision.objects.filter(
            outcome=Decision.Outcome.PENDING,
            case__lead_organisation_id=organisation_id,
        )
        .select_related("case")
        .order_by("due_at")
    )


@dataclass
class RegionFlow:
    flows: list[tuple[str, str, int]]  # from organisation, to organisation, referrals
    median_hours_to_acknowledge: float | None
    median_hours_to_accept: float | None
    declines: list[tuple[str, int]]
    sent: int


def region_flow(region_id: int, days: int = FLOW_DAYS) -> RegionFlow:
    """Referrals sent in the last `days` days from or to organisations of the region."""
    since = timezone.now() - timedelta(days=days)
    rows = Referral.objects.filter(sent_at__gte=since).filter(
        Q(from_organisation__region_id=region_id)
        | Q(to_organisation__region_id=region_id)
    )
    names = {
        o.pk: o.name
        for o in Organisation.objects.filter(
            Q(pk__in=rows.values("from_organisation"))
            | Q(pk__in=rows.values("to_organisation"))
        )
    }
    flows = [
        (
            names.get(r["from_organisation"], "?"),
            names.get(r["to_organisation"], "?"),
            r["n"],
        )
        for r in rows.values("from_organisation", "to_organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")[:30]
    ]
    acknowledged = _hours_between(
        rows.filter(acknowledged_at__isnull=False).values_list(
            "sent_at", "acknowledged_at"
        )
    )
    accepted = _hours_between(
        rows.filter(
            status__in=[
                Referral.Status.ACCEPTED,
                Referral.Status.IN_SERVICE,
                Referral.Status.COMPLETED,
            ],
            decided_at__isnull=False,
        ).values_list("sent_at", "decided_at")
    )
    labels = dict(Referral.DeclineReason.choices)
    declines = [
        (str(labels.get(r["decline_reason"], r["decline_reason"])), r["n"])
        for r in rows.filter(status=Referral.Status.DECLINED)
        .values("decline_reason")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    return RegionFlow(
        flows=flows,
        median_hours_to_acknowledge=_median(acknowledged),
        median_hours_to_accept=_median(accepted),
        declines=declines,
        sent=rows.count(),
    )


def _hours_between(pairs: Any) -> list[float]:
    return [
        (end - start).total_seconds() / 3600 for start, end in pairs if start and end
    ]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def dashboard_for(user: User) -> dict[str, Any]:
    """What the user's roles put on their dashboard."""
    cap = user.capability
    context: dict[str, Any] = {}
    if cap.sees_organisation_cases and user.organisation_id:
        context["team_load"] = team_load(user.organisation_id)
        context["overdue"] = list(overdue_referrals(user.organisation_id)[:50])
        context["decisions_due"] = list(decisions_due(user.organisation_id)[:50])
        context["reviews_overdue"] = overdue_by_owner(user.organisation_id)
    region = user.effective_region
    if cap.sees_region_cases and region is not None:
        context["region"] = region
        context["flow"] = region_flow(region.pk)
    return context
