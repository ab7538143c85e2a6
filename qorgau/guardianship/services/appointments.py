"""Guardian and legal-representative appointments.

An unaccompanied child without a guardian or legal representative gets a request for one at
once, due in QORGAU_GUARDIAN_APPOINTMENT_WORKING_DAYS working days; a request is appointed
(with the appointing authority's legal act) or withdrawn, an appointment ends for a reason,
and nothing is overwritten.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.services import record_event
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseParticipant
from qorgau.guardianship.minority import (
    Minority,
    age_on,
    guardianship_kind_for,
)
from qorgau.guardianship.models import GuardianAppointment
from qorgau.guardianship.services.age import (
    age_status,
    presume_minority,
    require_recorder,
)
from qorgau.reference.calendar import WorkingCalendar

Kind = GuardianAppointment.Kind
Status = GuardianAppointment.Status
EndReason = GuardianAppointment.EndReason
APPOINTEE_RELATIONS = (
    CaseParticipant.Relation.GUARDIAN,
    CaseParticipant.Relation.LEGAL_REPRESENTATIVE,
)
AGE_BOUND_KINDS = (Kind.GUARDIAN, Kind.TRUSTEE, Kind.TEMPORARY_GUARDIAN)
OPEN_STATUSES = (Status.REQUESTED, Status.APPOINTED)


def on_case_opened(case: Case, *, by: User) -> None:
    """What a new case starts with: the presumption when the age is uncertain, a guardian request
    when the child is unaccompanied. Called by `cases.services.open_case`."""
    if age_status(case.child).presumed:
        presume_minority(case, by=by, cause="opened")
    if case.unaccompanied:
        require_guardian(case, by=by)


@transaction.atomic
def request_appointment(
    case: Case,
    *,
    kind: str,
    by: User,
    notes: str = "",
    origin: str = GuardianAppointment.Origin.TEAM,
) -> GuardianAppointment:
    """Asks the guardianship authority for an appointment, due in working days."""
    require_write(by, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise ServiceError(_("The case is closed."))
    if kind not in Kind.values:
        raise ServiceError(_("Choose the kind of appointment."), field="kind")
    if case.guardian_appointments.requested().filter(kind=kind).exists():
        raise ServiceError(
            _("This appointment has already been asked for."), field="kind"
        )
    now = timezone.now()
    days = settings.QORGAU_GUARDIAN_APPOINTMENT_WORKING_DAYS
    appointment = GuardianAppointment.objects.create(
        case=case,
        kind=kind,
        origin=origin,
        notes=notes.strip(),
        requested_by=by,
        requested_at=now,
        due_at=WorkingCalendar.load().add_working_days(now, days),
    )
    _timeline(appointment, "requested", by, origin=origin)
    _audit(appointment, "guardianship.request", by, origin=origin)
    return appointment


def needs_guardian(case: Case) -> bool:
    """An unaccompanied child of an open case with nobody appointed and nothing asked for."""
    return (
        case.unaccompanied
        and not case.is_closed
        and not case.guardian_appointments.filter(status__in=OPEN_STATUSES).exists()
        and age_status(case.child).minority != Minority.DOCUMENTED_ADULT
    )


def require_guardian(case: Case, *, by: User) -> GuardianAppointment | None:
    """For an unaccompanied child without a guardian or legal representative, asks for one:
    guardianship or trusteeship by the child's (youngest plausible) age."""
    if not needs_guardian(case):
        return None
    age = case.child.age_on(timezone.localdate())
    return request_appointment(
        case,
        kind=guardianship_kind_for(age),
        by=by,
        origin=GuardianAppointment.Origin.UNACCOMPANIED,
    )


def _lock(
    appointment: GuardianAppointment, expected_version: int | None
) -> GuardianAppointment:
    current: GuardianAppointment = (
        GuardianAppointment.objects.select_for_update()
        .select_related("case__child")
        .get(pk=appointment.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current.version)
    return current


@transaction.atomic
def appoint(
    appointment: GuardianAppointment,
    *,
    appointing_authority: Organisation | None,
    legal_act_reference: str,
    legal_act_date: date | None,
    by: User,
    participant: CaseParticipant | None = None,
    organisation: Organisation | None = None,
    expected_version: int | None = None,
) -> GuardianAppointment:
    """Records that the authority appointed someone on a request, ending the one replaced."""
    current = _lock(appointment, expected_version)
    case = current.case
    require_write(by, case)
    require_recorder(by)
    if not current.is_requested:
        raise ServiceError(_("Only an appointment asked for can be recorded as made."))
    _check_appointee(case, participant, organisation)
    _check_legal_act(appointing_authority, legal_act_reference, legal_act_date)
    _check_kind_for_age(case, current.kind)
    now = timezone.now()
    replaced = (
        case.guardian_appointments.appointed()
        .select_for_update()
        .filter(kind=current.kind)
        .first()
    )
    if replaced is not None:
        _end(replaced, EndReason.REPLACED, "", by, now)
    current.participant, current.organisation = participant, organisation
    current.appointing_authority = appointing_authority
    current.legal_act_reference = legal_act_reference.strip()
    current.legal_act_date = legal_act_date
    current.status, current.appointed_at, current.appointed_by = (
        Status.APPOINTED,
        now,
        by,
    )
    current.version += 1
    current.save()
    appointee = "person" if participant else "organisation"
    _timeline(current, "appointed", by, appointee=appointee)
    _audit(current, "guardianship.appoint", by, appointee=appointee)
    return current


def _check_appointee(
    case: Case, participant: CaseParticipant | None, organisation: Organisation | None
) -> None:
    if (participant is None) == (organisation is None):
        raise ServiceError(
            _("Choose who is appointed: a linked person or an organisation."),
            field="participant",
        )
    if participant is not None and (
        participant.case_id != case.pk
        or participant.relation not in APPOINTEE_RELATIONS
    ):
        raise ServiceError(
            _("Link the person to the case as guardian or legal representative first."),
            field="participant",
        )
    if organisation is not None and not organisation.is_active:
        raise ServiceError(_("Choose an active organisation."), field="organisation")


def _check_legal_act(
    authority: Organisation | None, reference: str, day: date | None
) -> None:
    if authority is None or not authority.is_active:
        raise ServiceError(
            _(
                "Choose the authority that made the appointment (usually the guardianship and trusteeship body)."
            ),
            field="appointing_authority",
        )
    if not reference.strip():
        raise ServiceError(
            _("Give the number or title of the legal act."),
            field="legal_act_reference",
        )
    if day is None or day > timezone.localdate():
        raise ServiceError(
            _("Give the date of the legal act (not in the future)."),
            field="legal_act_date",
        )


def _check_kind_for_age(case: Case, kind: str) -> None:
    """Guardianship under 14, trusteeship from 14 to 18, nothing age-bound for a documented adult."""
    status = age_status(case.child)
    if status.documented_birth_date is None or status.presumed:
        return  # a presumed minor of uncertain age may have either
    age = age_on(status.documented_birth_date, timezone.localdate())
    if status.minority == Minority.DOCUMENTED_ADULT and kind in AGE_BOUND_KINDS:
        raise ServiceError(
            _("Documents show that the person is an adult: no guardian is appointed."),
            field="kind",
        )
    if kind == Kind.TRUSTEE and age < 14:
        raise ServiceError(
            _("A trustee is appointed for a child of 14 to 18: this child is younger."),
            field="kind",
        )
    if kind == Kind.GUARDIAN and age >= 14:
        raise ServiceError(
            _("A child of 14 or older has a trustee, not a guardian."), field="kind"
        )


@transaction.atomic
def end_appointment(
    appointment: GuardianAppointment,
    *,
    reason: str,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> GuardianAppointment:
    """Ends an appointment for a reason; an unaccompanied child left without one gets a new request."""
    current = _lock(appointment, expected_version)
    case = current.case
    require_write(by, case)
    require_recorder(by)
    if not current.is_active:
        raise ServiceError(_("Only a current appointment can end."))
    if reason not in EndReason.values:
        raise ServiceError(_("Choose why the appointment ends."), field="reason")
    if (
        reason == EndReason.MAJORITY
        and age_status(case.child).minority != Minority.DOCUMENTED_ADULT
    ):
        raise ServiceError(
            _(
                "Until documents show an age of 18 or more the child is presumed a minor: record a documented age assessment first."
            ),
            field="reason",
        )
    if reason == EndReason.CASE_CLOSED and not case.is_closed:
        raise ServiceError(_("The case is still open."), field="reason")
    _end(current, reason, note, by, timezone.now())
    if reason != EndReason.MAJORITY:
        require_guardian(case, by=by)
    return current


def _end(
    current: GuardianAppointment, reason: str, note: str, by: User, now: datetime
) -> None:
    current.status, current.end_reason, current.end_note = (
        Status.ENDED,
        reason,
        note.strip(),
    )
    current.ended_at, current.ended_by = now, by
    current.version += 1
    current.save()
    _timeline(current, "ended", by, reason=reason)
    _audit(current, "guardianship.end", by, reason=reason)


@transaction.atomic
def withdraw_request(
    appointment: GuardianAppointment,
    *,
    reason: str,
    by: User,
    expected_version: int | None = None,
) -> GuardianAppointment:
    """Withdraws a request, but never the last one an unaccompanied child without a guardian has."""
    current = _lock(appointment, expected_version)
    case = current.case
    require_write(by, case)
    require_recorder(by)
    if not current.is_requested:
        raise ServiceError(_("Only an appointment still asked for can be withdrawn."))
    if not reason.strip():
        raise ServiceError(_("Say why the request is withdrawn."), field="reason")
    others = case.guardian_appointments.filter(status__in=OPEN_STATUSES).exclude(
        pk=current.pk
    )
    if (
        case.unaccompanied
        and not case.is_closed
        and not others.exists()
        and age_status(case.child).minority != Minority.DOCUMENTED_ADULT
    ):
        raise ServiceError(
            _(
                "The child is unaccompanied and has no guardian: this request stays open until someone is appointed or the case no longer records the child as unaccompanied."
            )
        )
    current.status, current.withdraw_reason = Status.WITHDRAWN, reason.strip()
    current.withdrawn_at, current.withdrawn_by = timezone.now(), by
    current.version += 1
    current.save()
    _timeline(current, "withdrawn", by)
    _audit(current, "guardianship.withdraw", by)
    return current


def report_overdue_requests(now: datetime | None = None) -> int:
    """Tells the case owner and the lead organisation's supervisors, once, that a guardian has
    not been appointed in time. Returns how many requests were reported."""
    now = now or timezone.now()
    overdue = (
        GuardianAppointment.objects.overdue(now)
        .filter(overdue_reported_at__isnull=True)
        .exclude(case__status__in=Case.CLOSED_STATUSES)
        .select_related("case__owner")
    )
    reported = 0
    for appointment in overdue[:500]:
        with transaction.atomic():
            claimed = GuardianAppointment.objects.filter(
                pk=appointment.pk, overdue_reported_at__isnull=True
            ).update(overdue_reported_at=now)
            if not claimed:  # another sweep got there first
                continue
            case = appointment.case
            supervisors = User.objects.filter(
                is_active=True,
                organisation_id=case.lead_organisation_id,
                role_assignments__role=Role.SUPERVISOR,
            ).distinct()
            for user in {case.owner, *supervisors}:
                if user.is_active:
                    notify(
                        user,
                        kind="guardianship_overdue",
                        case_number=case.number,
                        appointment=appointment.kind,
                    )
            reported += 1
    return reported


def _timeline(
    appointment: GuardianAppointment, step: str, by: User | None, **params: Any
) -> None:
    CaseEvent.objects.create(
        case_id=appointment.case_id,
        kind=CaseEvent.Kind.GUARDIANSHIP,
        actor=by,
        params={
            "appointment": str(appointment.pk),
            "type": appointment.kind,
            "step": step,
            **params,
        },
    )
    Case.objects.filter(pk=appointment.case_id).update(updated_at=timezone.now())


def _audit(
    appointment: GuardianAppointment, action: str, by: User | None, **details: Any
) -> None:
    record_event(
        action,
        by=by,
        object_type="guardian_appointment",
        object_id=appointment.pk,
        case_id=appointment.case_id,
        tier=Tier.IDENTITY,
        details={"kind": appointment.kind, **details},
    )
