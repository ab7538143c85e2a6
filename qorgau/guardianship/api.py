"""REST endpoints for age assessments and guardian appointments, under the case access layer."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from qorgau.agencies.models import Organisation
from qorgau.agencies.roles import Tier
from qorgau.api.auth import api_user
from qorgau.api.errors import FormInvalid
from qorgau.cases.access import CaseAccess, access_case
from qorgau.cases.models import CaseParticipant
from qorgau.guardianship import services
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment

router = Router(tags=["guardianship"])
ACTIONS = ("appoint", "end", "withdraw")


class AgeAssessmentIn(Schema):
    method: str
    conclusion: str
    assessing_organisation: int
    assessed_on: date
    reasons: str
    age_min: int | None = None
    age_max: int | None = None
    documented_birth_date: date | None = None


class AgeAssessmentOut(Schema):
    id: str
    method: str
    conclusion: str
    age_min: int | None
    age_max: int | None
    documented_birth_date: date | None
    assessing_organisation: int
    assessed_on: date
    reasons: str | None
    recorded_at: datetime


class AgeOut(Schema):
    minority: str
    presumed_minor: bool
    assessments: list[AgeAssessmentOut]


class RecordedAgeOut(Schema):
    minority: str
    presumed_minor: bool
    assessment: AgeAssessmentOut


class AppointmentOut(Schema):
    id: str
    kind: str
    status: str
    origin: str
    requested_at: datetime
    due_at: datetime | None
    overdue: bool
    participant: int | None
    appointee_name: str | None
    organisation: int | None
    appointing_authority: int | None
    legal_act_reference: str | None
    legal_act_date: date | None
    appointed_at: datetime | None
    end_reason: str
    ended_at: datetime | None
    withdrawn_at: datetime | None
    notes: str | None
    end_note: str | None
    withdraw_reason: str | None
    version: int


class GuardianshipOut(Schema):
    unaccompanied: bool
    guardian_missing: bool
    minority: str
    appointments: list[AppointmentOut]


class RequestIn(Schema):
    kind: str
    notes: str = ""


class StepIn(Schema):
    version: int
    participant: int | None = None
    organisation: int | None = None
    appointing_authority: int | None = None
    legal_act_reference: str = ""
    legal_act_date: date | None = None
    reason: str = ""
    note: str = ""


def _assessment_out(access: CaseAccess, a: AgeAssessment) -> AgeAssessmentOut:
    return AgeAssessmentOut(
        id=str(a.pk),
        method=a.method,
        conclusion=a.conclusion,
        age_min=a.age_min,
        age_max=a.age_max,
        documented_birth_date=a.documented_birth_date_value,
        assessing_organisation=a.assessing_organisation_id,
        assessed_on=a.assessed_on,
        reasons=a.reasons if access.sees_tier(a.reasons_tier) else None,
        recorded_at=a.recorded_at,
    )


def _appointment_out(access: CaseAccess, a: GuardianAppointment) -> AppointmentOut:
    narrative = access.sees_tier(Tier.NARRATIVE)
    return AppointmentOut(
        id=str(a.pk),
        kind=a.kind,
        status=a.status,
        origin=a.origin,
        requested_at=a.requested_at,
        due_at=a.due_at,
        overdue=a.is_overdue(),
        participant=a.participant_id,
        appointee_name=a.participant.person.full_name if a.participant else None,
        organisation=a.organisation_id,
        appointing_authority=a.appointing_authority_id,
        legal_act_reference=a.legal_act_reference or None,
        legal_act_date=a.legal_act_date,
        appointed_at=a.appointed_at,
        end_reason=a.end_reason,
        ended_at=a.ended_at,
        withdrawn_at=a.withdrawn_at,
        notes=(a.notes or "") if narrative else None,
        end_note=(a.end_note or "") if narrative else None,
        withdraw_reason=(a.withdraw_reason or "") if narrative else None,
        version=a.version,
    )


def _organisation(pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    org = Organisation.objects.filter(pk=pk, is_active=True).first()
    if org is None:
        raise FormInvalid({field: [_("Unknown organisation.")]})
    return org


def _appointment(access: CaseAccess, appointment_id: str) -> GuardianAppointment:
    try:
        pk = uuid.UUID(appointment_id)
    except ValueError:
        raise Http404 from None
    appointment = access.case.guardian_appointments.filter(pk=pk).first()
    if appointment is None:
        raise Http404
    return appointment


@router.get(
    "/cases/{number}/age-assessments",
    response=AgeOut,
    summary="The child's age assessments and whether they are presumed a minor",
)
def list_age_assessments(request: HttpRequest, number: str) -> AgeOut:
    access = access_case(api_user(request), number, audit="age.list")
    status = services.age_status(access.case.child)
    rows = access.case.age_assessments.all()
    return AgeOut(
        minority=status.minority,
        presumed_minor=status.presumed,
        assessments=[_assessment_out(access, a) for a in rows],
    )


@router.post(
    "/cases/{number}/age-assessments",
    response={201: RecordedAgeOut},
    summary="Record an age assessment (a documented age of 18 or more lifts the presumption)",
)
def record_age_assessment(
    request: HttpRequest, number: str, payload: AgeAssessmentIn
) -> Status[RecordedAgeOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    organisation = _organisation(
        payload.assessing_organisation, "assessing_organisation"
    )
    assert organisation is not None  # noqa: S101 - the id is required by the schema
    assessment = services.record_age_assessment(
        access.case,
        method=payload.method,
        conclusion=payload.conclusion,
        assessing_organisation=organisation,
        assessed_on=payload.assessed_on,
        reasons=payload.reasons,
        age_min=payload.age_min,
        age_max=payload.age_max,
        documented_birth_date=payload.documented_birth_date,
        by=user,
    )
    status = services.age_status(access.case.child)
    return Status(
        201,
        RecordedAgeOut(
            minority=status.minority,
            presumed_minor=status.presumed,
            assessment=_assessment_out(access, assessment),
        ),
    )


@router.get(
    "/cases/{number}/guardianship",
    response=GuardianshipOut,
    summary="Guardian and legal-representative appointments, requested, current and past",
)
def list_appointments(request: HttpRequest, number: str) -> GuardianshipOut:
    access = access_case(api_user(request), number, audit="guardianship.list")
    summary = services.summary(access.case)
    rows = access.case.guardian_appointments.select_related("participant__person")
    return GuardianshipOut(
        unaccompanied=summary.unaccompanied,
        guardian_missing=summary.guardian_missing,
        minority=summary.age.minority,
        appointments=[_appointment_out(access, a) for a in rows],
    )


@router.post(
    "/cases/{number}/guardianship",
    response={201: AppointmentOut},
    summary="Ask for a guardian, trustee or legal representative (due in working days)",
)
def request_appointment(
    request: HttpRequest, number: str, payload: RequestIn
) -> Status[AppointmentOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    appointment = services.request_appointment(
        access.case, kind=payload.kind, notes=payload.notes, by=user
    )
    return Status(201, _appointment_out(access, appointment))


@router.post(
    "/cases/{number}/guardianship/{appointment_id}/{action}",
    response=AppointmentOut,
    summary="One step of an appointment: appoint, end or withdraw",
)
def step(
    request: HttpRequest,
    number: str,
    appointment_id: str,
    action: str,
    payload: StepIn,
) -> AppointmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    appointment = _appointment(access, appointment_id)
    if action not in ACTIONS:
        raise Http404
    if action == "appoint":
        services.appoint(
            appointment,
            participant=_participant(access, payload.participant),
            organisation=_organisation(payload.organisation, "organisation"),
            appointing_authority=_organisation(
                payload.appointing_authority, "appointing_authority"
            ),
            legal_act_reference=payload.legal_act_reference,
            legal_act_date=payload.legal_act_date,
            by=user,
            expected_version=payload.version,
        )
    elif action == "end":
        services.end_appointment(
            appointment,
            reason=payload.reason,
            note=payload.note,
            by=user,
            expected_version=payload.version,
        )
    else:
        services.withdraw_request(
            appointment,
            reason=payload.reason,
            by=user,
            expected_version=payload.version,
        )
    current = GuardianAppointment.objects.select_related("participant__person").get(
        pk=appointment.pk
    )
    return _appointment_out(access, current)


def _participant(access: CaseAccess, pk: int | None) -> CaseParticipant | None:
    if pk is None:
        return None
    participant = access.case.participants.filter(pk=pk).first()
    if participant is None:
        raise FormInvalid({"participant": [_("Unknown linked person.")]})
    return participant
