"""Figures for the supervisor's and the regional coordinator's dashboards.

They count cases and referrals, never show a child, and read only what the user's role already
reaches: a supervisor their organisation, a coordinator their region.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import roles_with
from qorgau.cases.models import Case, CaseMember
from qorgau.protection.models import Decision
from qorgau.referrals.models import Referral, RegionFlowSnapshot, TeamLoadSnapshot
from qorgau.reviews.dashboards import overdue_by_responsible

FLOW_DAYS = 90


@dataclass
class TeamLoad:
    user: User
    open_cases: int


def team_load(organisation_id: int) -> tuple[list[TeamLoad], datetime]:
    """Open cases per person of the organisation, busiest first, and when they were counted."""
    snapshot = TeamLoadSnapshot.objects.filter(organisation_id=organisation_id).first()
    if snapshot is None or snapshot.computed_at < _oldest_kept():
        snapshot = refresh_team_load(organisation_id)
    rows = snapshot.figures["rows"]
    users = User.objects.in_bulk([user for user, _ in rows])
    return [TeamLoad(users[u], n) for u, n in rows if u in users], snapshot.computed_at


def refresh_team_load(organisation_id: int) -> TeamLoadSnapshot:
    rows = (
        CaseMember.objects.active()
        .filter(user__organisation_id=organisation_id, user__is_active=True)
        .exclude(case__status__in=Case.CLOSED_STATUSES)
        .values("user")
        .annotate(n=Count("case", distinct=True))
        .order_by("-n")
    )
    snapshot, _ = TeamLoadSnapshot.objects.update_or_create(
        organisation_id=organisation_id,
        defaults={
            "computed_at": timezone.now(),
            "figures": {"rows": [[r["user"], r["n"]] for r in rows]},
        },
    )
    return snapshot


def _oldest_kept() -> datetime:
    """Figures older than this were left behind by a stopped schedule: the page counts anew."""
    return timezone.now() - timedelta(seconds=settings.QORGAU_DASHBOARD_MAX_AGE_SECONDS)


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
    computed_at: datetime


ACCEPTED = {
    Referral.Status.ACCEPTED,
    Referral.Status.IN_SERVICE,
    Referral.Status.COMPLETED,
}


def region_flow(region_id: int, days: int = FLOW_DAYS) -> RegionFlow:
    """The region's figures as last computed; computed now if the schedule has fallen behind."""
    snapshot = RegionFlowSnapshot.objects.filter(region_id=region_id, days=days).first()
    if snapshot is None or snapshot.computed_at < _oldest_kept():
        snapshot = refresh_region_flow(region_id, days)
    return _readable(snapshot)


def refresh_region_flow(region_id: int, days: int = FLOW_DAYS) -> RegionFlowSnapshot:
    snapshot, _ = RegionFlowSnapshot.objects.update_or_create(
        region_id=region_id,
        defaults={
            "days": days,
            "computed_at": timezone.now(),
            "figures": count_region_flow(region_id, days),
        },
    )
    return snapshot


def refresh_dashboard_figures() -> int:
    """Recomputes the supervisors' team loads and the regions' referral flows; run by the
    schedule every few minutes. Returns how many sets of figures were computed."""
    supervised = (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=roles_with("sees_organisation_cases"),
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    organisations = [pk for pk in supervised if pk is not None]
    for organisation_id in organisations:
        refresh_team_load(organisation_id)
    return len(organisations) + refresh_region_flows()


def refresh_region_flows() -> int:
    """Recomputes the figures of every region with organisations."""
    regions = (
        Organisation.objects.values_list("region_id", flat=True)
        .distinct()
        .order_by("region_id")
    )
    for region_id in regions:
        refresh_region_flow(region_id)
    return len(regions)


def count_region_flow(region_id: int, days: int) -> dict[str, Any]:
    """Referrals sent in the last `days` days from or to organisations of the region, in one
    pass over one query: flows between organisations, medians, declines by reason."""
    since = timezone.now() - timedelta(days=days)
    in_region = list(
        Organisation.objects.filter(region_id=region_id).values_list("pk", flat=True)
    )
    rows = Referral.objects.filter(sent_at__gte=since).filter(
        Q(from_organisation_id__in=in_region) | Q(to_organisation_id__in=in_region)
    )
    flows: Counter[tuple[int, int]] = Counter()
    declines: Counter[str] = Counter()
    to_acknowledge: list[float] = []
    to_accept: list[float] = []
    for source, target, status, sent, acknowledged, decided, reason in rows.values_list(
        "from_organisation_id",
        "to_organisation_id",
        "status",
        "sent_at",
        "acknowledged_at",
        "decided_at",
        "decline_reason",
    ).iterator(chunk_size=5000):
        flows[(source, target)] += 1
        if sent is None:  # sent_at__gte excludes it; for the type checker
            continue
        if acknowledged:
            to_acknowledge.append((acknowledged - sent).total_seconds() / 3600)
        if decided and status in ACCEPTED:
            to_accept.append((decided - sent).total_seconds() / 3600)
        if status == Referral.Status.DECLINED:
            declines[reason] += 1
    return {
        "flows": [[s, t, n] for (s, t), n in flows.most_common(30)],
        "median_hours_to_acknowledge": _median(to_acknowledge),
        "median_hours_to_accept": _median(to_accept),
        "declines": declines.most_common(),
        "sent": flows.total(),
    }


def _readable(snapshot: RegionFlowSnapshot) -> RegionFlow:
    """The stored figures with organisation names and reasons in the reader's language."""
    figures = snapshot.figures
    ids = {pk for s, t, _ in figures["flows"] for pk in (s, t)}
    names = {o.pk: o.name for o in Organisation.objects.filter(pk__in=ids)}
    labels = dict(Referral.DeclineReason.choices)
    return RegionFlow(
        flows=[
            (names.get(s, "?"), names.get(t, "?"), n) for s, t, n in figures["flows"]
        ],
        median_hours_to_acknowledge=figures["median_hours_to_acknowledge"],
        median_hours_to_accept=figures["median_hours_to_accept"],
        declines=[(str(labels.get(r, r)), n) for r, n in figures["declines"]],
        sent=figures["sent"],
        computed_at=snapshot.computed_at,
    )


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def dashboard_for(user: User) -> dict[str, Any]:
    """What the user's roles put on their dashboard."""
    cap = user.capability
    context: dict[str, Any] = {}
    if cap.sees_organisation_cases and user.organisation_id:
        context["team_load"], context["team_load_at"] = team_load(user.organisation_id)
        context["overdue"] = list(overdue_referrals(user.organisation_id)[:50])
        context["decisions_due"] = list(decisions_due(user.organisation_id)[:50])
        context["reviews_overdue"] = overdue_by_responsible(user.organisation_id)
    region = user.effective_region
    if cap.sees_region_cases and region is not None:
        context["region"] = region
        context["flow"] = region_flow(region.pk)
    return context
