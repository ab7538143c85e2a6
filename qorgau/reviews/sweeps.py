"""The periodic work of the review schedule, run by `run_schedule` through `tasks.py`.

Each sweep reads only what is due, through partial indexes that rows leave once handled, and
a fixed amount of it per run, so a run costs the same at 10,000 cases or at 1,000,000.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.agencies.notifications import notify
from qorgau.audit.services import record_event
from qorgau.cases.models import Case
from qorgau.reviews.models import CaseReview, FollowUp, SweepCursor
from qorgau.reviews.schedule import next_review_on
from qorgau.reviews.services import supervisors_of

SCHEDULED = CaseReview.Status.SCHEDULED
NOTIFY_BATCH = 500  # rows claimed per transaction
NOTIFY_BATCHES = 40  # per run and kind (20,000 rows); the next run takes the rest
SWEEP_BATCH = 2000  # case ids read per query by the scheduling sweep
SWEEP_BATCHES = 10  # queries per run: 20,000 cases, so 1,000,000 are covered in 50 runs
CURSOR = "review_schedule"


def _today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def schedule_missing_reviews(
    now: datetime | None = None,
    *,
    batch: int = SWEEP_BATCH,
    batches: int = SWEEP_BATCHES,
) -> int:
    """Gives each open case found without a scheduled review one, an interval from today.

    Each run reads `batches` slices of `batch` case ids from where the last one stopped and
    starts again from the first case after the last, so a run costs the same at any number of
    cases. An interval from today, not from the opening, so that switching the schedule on (or
    loading cases in bulk) does not make every older case overdue at once.
    """
    now = now or timezone.now()
    today = _today(now)
    cursor, _created = SweepCursor.objects.get_or_create(name=CURSOR)
    last_id = Case.objects.aggregate(last=Max("pk"))["last"] or 0
    position = cursor.position
    made = 0
    for _step in range(batches):
        upper = position + batch
        missing = (
            Case.objects.filter(pk__gt=position, pk__lte=upper)
            .open()
            .filter(
                ~Exists(
                    CaseReview.objects.filter(case=OuterRef("pk"), status=SCHEDULED)
                )
            )
            .values_list("pk", "priority", "owner_id")
        )
        rows = [
            CaseReview(
                case_id=pk,
                due_on=next_review_on(today, priority),
                responsible_id=owner_id,
            )
            for pk, priority, owner_id in missing
        ]
        if rows:
            CaseReview.objects.bulk_create(rows, ignore_conflicts=True)
            made += len(rows)
        position = upper
        if position >= last_id:
            position = 0
            break
    SweepCursor.objects.filter(name=CURSOR).update(position=position, updated_at=now)
    if made:
        record_event(
            "review.schedule_missing",
            by=None,
            object_type="case_review",
            details={"reviews": made},
        )
    return made


class _People:
    """Who is told, looked up once per sweep: supervisors per organisation."""

    def __init__(self) -> None:
        self.cache: dict[int, list[User]] = {}

    def supervisors(self, organisation_id: int) -> list[User]:
        if organisation_id not in self.cache:
            self.cache[organisation_id] = supervisors_of(organisation_id)
        return self.cache[organisation_id]

    def responsible_or_supervisors(self, row: CaseReview | FollowUp) -> list[User]:
        """Who is responsible, or, when they have left, the lead organisation's supervisors."""
        if row.responsible.is_active:
            return [row.responsible]
        return self.supervisors(row.case.lead_organisation_id)


def _sweep(
    rows: models.QuerySet[Any], column: str, now: datetime, tell: Callable[[Any], int]
) -> int:
    """Claims rows for one notification each and tells, a batch per transaction.

    The claim is a conditional UPDATE that stamps `column` with this sweep's own time; the
    rows read back with that stamp are this sweep's, so overlapping sweeps never tell twice.
    Every row read leaves the partial index the query reads, claimed by this sweep or by
    another, so each batch reads new rows. Returns how many rows someone was told about.
    """
    model = rows.model
    told = 0
    for _batch in range(NOTIFY_BATCHES):
        batch = list(rows[:NOTIFY_BATCH])
        if not batch:
            break
        pks = [row.pk for row in batch]
        with transaction.atomic():
            model.objects.filter(
                pk__in=pks, status=SCHEDULED, **{f"{column}__isnull": True}
            ).update(**{column: now})
            mine = set(
                model.objects.filter(pk__in=pks, **{column: now}).values_list(
                    "pk", flat=True
                )
            )
            told += sum(tell(row) for row in batch if row.pk in mine)
        if len(batch) < NOTIFY_BATCH:
            break
    return told


def send_review_reminders(now: datetime | None = None) -> int:
    """Before a review is due, whoever is responsible is reminded; once it is missed, told;
    some days later, the supervisors are told. Each once. Returns how many reviews someone was
    told about."""
    now = now or timezone.now()
    today = _today(now)
    soon = today + timedelta(days=settings.QORGAU_REVIEW_REMINDER_DAYS)
    late = today - timedelta(days=settings.QORGAU_REVIEW_ESCALATION_DAYS)
    scheduled = (
        CaseReview.objects.filter(status=SCHEDULED)
        .select_related("case__owner", "responsible")
        .order_by("due_on")
    )
    people = _People()

    def remind(review: CaseReview) -> int:
        if review.due_on < today:  # already late: the overdue notice says more
            return 0
        return _tell(people.responsible_or_supervisors(review), "review_due", review)

    def report(review: CaseReview) -> int:
        return _tell(
            people.responsible_or_supervisors(review), "review_overdue", review
        )

    def escalate(review: CaseReview) -> int:
        supervisors = people.supervisors(review.case.lead_organisation_id)
        return _tell(supervisors, "review_overdue_supervisor", review)

    told = _sweep(
        scheduled.filter(reminded_at__isnull=True, due_on__lte=soon),
        "reminded_at",
        now,
        remind,
    )
    told += _sweep(
        scheduled.filter(overdue_notified_at__isnull=True, due_on__lt=today),
        "overdue_notified_at",
        now,
        report,
    )
    told += _sweep(
        scheduled.filter(escalated_at__isnull=True, due_on__lt=late),
        "escalated_at",
        now,
        escalate,
    )
    return told


def send_follow_up_reminders(now: datetime | None = None) -> int:
    """Before a follow-up is due, whoever is responsible is reminded; when it is overdue by the
    grace period, the supervisors are told. Each once."""
    now = now or timezone.now()
    today = _today(now)
    soon = today + timedelta(days=settings.QORGAU_FOLLOW_UP_REMINDER_DAYS)
    late = today - timedelta(days=settings.QORGAU_FOLLOW_UP_GRACE_DAYS)
    scheduled = (
        FollowUp.objects.filter(status=SCHEDULED)
        .select_related("case__owner", "responsible")
        .order_by("due_on")
    )
    people = _People()
    told = _sweep(
        scheduled.filter(reminded_at__isnull=True, due_on__lte=soon),
        "reminded_at",
        now,
        lambda f: _tell(people.responsible_or_supervisors(f), "follow_up_due", f),
    )
    told += _sweep(
        scheduled.filter(escalated_at__isnull=True, due_on__lt=late),
        "escalated_at",
        now,
        lambda f: _tell(
            people.supervisors(f.case.lead_organisation_id), "follow_up_overdue", f
        ),
    )
    return told


def _tell(people: list[User], kind: str, row: CaseReview | FollowUp) -> int:
    params: dict[str, Any] = {
        "case_number": row.case.number,
        "due": row.due_on.isoformat(),
        "owner": row.case.owner.get_username(),
    }
    if isinstance(row, FollowUp):
        params["months"] = row.months
    for person in people:
        notify(person, kind=kind, **params)
    return 1
