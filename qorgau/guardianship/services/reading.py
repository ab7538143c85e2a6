"""What the case page and the home page show of a case's age and guardianship."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.audit.services import record_event
from qorgau.cases.models import Case
from qorgau.guardianship.minority import Minority
from qorgau.guardianship.models import GuardianAppointment
from qorgau.guardianship.services.age import AgeStatus, age_status
from qorgau.guardianship.services.appointments import OPEN_STATUSES


@dataclass(frozen=True)
class Summary:
    """What the case page says about the child's age and guardianship."""

    age: AgeStatus
    unaccompanied: bool
    closed: bool
    active: list[GuardianAppointment]
    requests: list[GuardianAppointment]

    @property
    def guardian_missing(self) -> bool:
        """An unaccompanied child (not shown to be an adult) with nobody appointed yet."""
        return (
            self.unaccompanied
            and not self.closed
            and not self.active
            and self.age.minority != Minority.DOCUMENTED_ADULT
        )

    @property
    def next_request(self) -> GuardianAppointment | None:
        dated = [r for r in self.requests if r.due_at is not None]
        return min(dated, key=lambda r: r.due_at or timezone.now()) if dated else None


def summary(case: Case) -> Summary:
    rows = list(
        case.guardian_appointments.filter(status__in=OPEN_STATUSES).select_related(
            "participant__person", "organisation", "appointing_authority"
        )
    )
    return Summary(
        age=age_status(case.child),
        unaccompanied=case.unaccompanied,
        closed=case.is_closed,
        active=[r for r in rows if r.is_active],
        requests=[r for r in rows if r.is_requested],
    )


def requests_for_owner(user: User, *, limit: int = 10) -> list[GuardianAppointment]:
    """Guardian requests awaited on the open cases the user owns, earliest deadline first."""
    # Read from the requests still awaited across the country (the overdue sweep reads the
    # same few rows), not from the owner's cases, which may be thousands.
    waiting = dict(
        GuardianAppointment.objects.requested()
        .filter(due_at__isnull=False)
        .values_list("pk", "case_id")
    )
    owned = set(
        Case.objects.filter(pk__in=set(waiting.values()), owner=user)
        .exclude(status__in=Case.CLOSED_STATUSES)
        .values_list("pk", flat=True)
    )
    awaited = list(
        GuardianAppointment.objects.filter(
            pk__in=[pk for pk, case_id in waiting.items() if case_id in owned]
        )
        .select_related("case")
        .order_by("due_at")[: limit * 3]
    )
    # Few requests, each checked for visibility, rather than all the owner's cases gathered.
    visible = set(
        Case.objects.visible_to(user)
        .filter(pk__in={r.case_id for r in awaited})
        .values_list("pk", flat=True)
    )
    rows = [r for r in awaited if r.case_id in visible][:limit]
    if rows:
        record_event(
            "guardianship.list",
            by=user,
            object_type="guardian_appointment",
            details={"appointments": [str(r.pk) for r in rows]},
        )
    return rows
