"""Reviews and follow-ups on the caseworker's "My work" page and the supervisor's dashboard.

Both name cases by number only; a caseworker sees the reviews and follow-ups they are
responsible for (those they are reminded of), a supervisor counts what their organisation leads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.audit.services import record_event
from qorgau.reviews.models import CaseReview, FollowUp

SHOWN = 10


def my_work(user: User, today: date | None = None) -> dict[str, Any]:
    """The user's reviews due soon or overdue and follow-ups due, overdue first, with their
    counts: one range of each kind's index on (responsible, due date), at any caseload."""
    if not user.capability.max_tier:
        return {}
    today = today or timezone.localdate()
    reviews = CaseReview.objects.filter(
        status=CaseReview.Status.SCHEDULED,
        responsible=user,
        due_on__lte=today + timedelta(days=settings.QORGAU_REVIEW_REMINDER_DAYS),
    )
    follow_ups = FollowUp.objects.filter(
        status=FollowUp.Status.SCHEDULED,
        responsible=user,
        due_on__lte=today + timedelta(days=settings.QORGAU_FOLLOW_UP_REMINDER_DAYS),
    )
    # Counted in the index on (responsible, due date); only the rows shown are read.
    review_rows = list(reviews.select_related("case").order_by("due_on")[:SHOWN])
    follow_up_rows = list(follow_ups.select_related("case").order_by("due_on")[:SHOWN])
    numbers = sorted(
        {r.case.number for r in review_rows} | {f.case.number for f in follow_up_rows}
    )
    if numbers:
        record_event(
            "review.list", by=user, object_type="case", details={"cases": numbers}
        )
    return {
        "reviews_due": review_rows,
        "reviews_due_count": _count(reviews, review_rows),
        "reviews_overdue_count": _count(reviews.filter(due_on__lt=today), None),
        "follow_ups_due": follow_up_rows,
        "follow_ups_due_count": _count(follow_ups, follow_up_rows),
        "follow_ups_overdue_count": _count(follow_ups.filter(due_on__lt=today), None),
        "today": today,
    }


def _count(rows: QuerySet[Any], shown: list[Any] | None) -> int:
    """How many rows; none asked of the database when fewer than a page were shown."""
    if shown is not None and len(shown) < SHOWN:
        return len(shown)
    return int(rows.count())


@dataclass
class OverdueRow:
    user: User
    reviews: int
    oldest_review: date | None
    follow_ups: int


def overdue_by_responsible(
    organisation_id: int, today: date | None = None
) -> list[OverdueRow]:
    """Overdue reviews and follow-ups of the organisation's cases, per person responsible for
    them, most first."""
    today = today or timezone.localdate()
    reviews = (
        CaseReview.objects.filter(
            status=CaseReview.Status.SCHEDULED,
            due_on__lt=today,
            case__lead_organisation_id=organisation_id,
        )
        .values("responsible")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
    )
    follow_ups = (
        FollowUp.objects.filter(
            status=FollowUp.Status.SCHEDULED,
            due_on__lt=today,
            case__lead_organisation_id=organisation_id,
        )
        .values("responsible")
        .annotate(n=Count("pk"))
    )
    late: dict[int, list[Any]] = {}
    for r in reviews:
        late[r["responsible"]] = [r["n"], r["oldest"], 0]
    for f in follow_ups:
        late.setdefault(f["responsible"], [0, None, 0])[2] = f["n"]
    users = User.objects.in_bulk(list(late))
    rows = [
        OverdueRow(users[pk], n, oldest, f)
        for pk, (n, oldest, f) in late.items()
        if pk in users
    ]
    return sorted(rows, key=lambda r: (-r.reviews, -r.follow_ups, r.user.username))
