"""REST endpoints for referrals: the same access layer, services and audit as the pages."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from qorgau.agencies.models import Organisation, User
from qorgau.api.auth import api_user
from qorgau.api.errors import FormInvalid
from qorgau.cases.access import access_case
from qorgau.lib.pagination import CappedPaginator
from qorgau.referrals import services
from qorgau.referrals.access import (
    access_referral,
    inbox_of_organisation,
    inbox_of_person,
)
from qorgau.referrals.models import Consent, Referral

router = Router(tags=["referrals"])


class ReferralIn(Schema):
    to_organisation: int
    to_user: str = ""
    reasons: list[str]
    urgency: str = Referral.Urgency.ROUTINE
    legal_basis: str = Referral.LegalBasis.CHILD_PROTECTION
    shared_tier: int = 2
    consent: int | None = None
    override_reason: str = ""
    message: str = ""
    send: bool = True


class ReferralOut(Schema):
    id: str
    case_number: str
    status: str
    urgency: str
    reasons: list[str]
    legal_basis: str
    shared_tier: int
    from_organisation: int
    to_organisation: int
    to_user: str | None
    message: str | None
    version: int
    sent_at: datetime | None
    acknowledge_by: datetime | None
    decide_by: datetime | None
    due_at: datetime | None
    overdue: bool
    decline_reason: str
    redirected_from: str | None
    escalation_level: int
    allowed_actions: list[str]


class StepIn(Schema):
    version: int
    reason: str = ""
    detail: str = ""
    to_organisation: int | None = None
    message: str = ""


def _out(user: User, referral: Referral, *, sees_message: bool) -> ReferralOut:
    return ReferralOut(
        id=str(referral.pk),
        case_number=referral.case.number,
        status=referral.status,
        urgency=referral.urgency,
        reasons=list(referral.reasons),
        legal_basis=referral.legal_basis,
        shared_tier=referral.shared_tier,
        from_organisation=referral.from_organisation_id,
        to_organisation=referral.to_organisation_id,
        to_user=referral.to_user.username if referral.to_user else None,
        message=referral.message if sees_message else None,
        version=referral.version,
        sent_at=referral.sent_at,
        acknowledge_by=referral.acknowledge_by,
        decide_by=referral.decide_by,
        due_at=referral.due_at,
        overdue=referral.is_overdue(),
        decline_reason=referral.decline_reason,
        redirected_from=str(referral.redirected_from_id)
        if referral.redirected_from_id
        else None,
        escalation_level=referral.escalation_level,
        allowed_actions=services.allowed_actions(user, referral),
    )


def _organisation(pk: int | None, field: str) -> Organisation:
    org = Organisation.objects.filter(pk=pk, is_active=True).first() if pk else None
    if org is None:
        raise FormInvalid({field: [_("Unknown organisation.")]})
    return org


@router.post(
    "/cases/{number}/referrals",
    response={201: ReferralOut},
    summary="Refer a case to an organisation's inbox",
)
def create_referral(
    request: HttpRequest, number: str, payload: ReferralIn
) -> Status[ReferralOut]:
    user = api_user(request)
    case = access_case(user, number, write=True, audit=None).case
    to_org = _organisation(payload.to_organisation, "to_organisation")
    to_user = None
    if payload.to_user:
        to_user = User.objects.filter(username=payload.to_user, is_active=True).first()
        if to_user is None:
            raise FormInvalid({"to_user": [_("Unknown person.")]})
    consent = None
    if payload.consent is not None:
        consent = Consent.objects.filter(pk=payload.consent, case=case).first()
        if consent is None:
            raise FormInvalid({"consent": [_("No such consent on this case.")]})
    referral = services.create_referral(
        case,
        by=user,
        to_organisation=to_org,
        to_user=to_user,
        reasons=payload.reasons,
        urgency=payload.urgency,
        legal_basis=payload.legal_basis,
        shared_tier=payload.shared_tier,
        consent=consent,
        override_reason=payload.override_reason,
        message=payload.message,
        send=payload.send,
    )
    return Status(201, _out(user, referral, sees_message=True))


@router.get(
    "/referrals/inbox",
    response=list[ReferralOut],
    summary="Referrals awaiting action in the organisation's inbox, or addressed to me",
)
def inbox(request: HttpRequest, mine: bool = False, page: int = 1) -> list[ReferralOut]:
    user = api_user(request)
    rows = inbox_of_person(user) if mine else inbox_of_organisation(user)
    rows = rows.filter(due_at__isnull=False).order_by("due_at")
    paginator = CappedPaginator(rows.select_related("case", "to_user"), 25)
    items = list(paginator.get_page(page).object_list)
    from qorgau.audit.services import record_event

    if items:
        record_event(
            "referral.list",
            by=user,
            object_type="referral",
            details={"referrals": [str(r.pk) for r in items]},
        )
    return [_out(user, r, sees_message=True) for r in items]


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
def get_referral(request: HttpRequest, referral_id: str) -> ReferralOut:
    user = api_user(request)
    access = access_referral(user, referral_id)
    return _out(user, access.referral, sees_message=access.sees_message)


ACTIONS = {
    "acknowledge",
    "accept",
    "decline",
    "redirect",
    "start_service",
    "complete",
    "withdraw",
    "send",
}


@router.post(
    "/referrals/{referral_id}/{action}",
    response=ReferralOut,
    summary="One step of the referral: acknowledge, accept, decline, redirect, start_service, complete, withdraw or send",
)
def step(
    request: HttpRequest, referral_id: str, action: str, payload: StepIn
) -> ReferralOut:
    user = api_user(request)
    referral = access_referral(user, referral_id, audit=None).referral
    if action not in ACTIONS:
        raise Http404
    kwargs: dict[str, Any] = {"by": user, "expected_version": payload.version}
    if action == "decline":
        services.decline_referral(
            referral, reason=payload.reason, detail=payload.detail, **kwargs
        )
    elif action == "redirect":
        org = _organisation(payload.to_organisation, "to_organisation")
        services.redirect_referral(
            referral, to_organisation=org, message=payload.message, **kwargs
        )
    elif action == "withdraw":
        services.withdraw_referral(referral, reason=payload.reason, **kwargs)
    else:
        {
            "acknowledge": services.acknowledge_referral,
            "accept": services.accept_referral,
            "start_service": services.start_service,
            "complete": services.complete_referral,
            "send": services.send_referral,
        }[action](referral, **kwargs)
    access = access_referral(user, referral_id, audit=None)
    return _out(user, access.referral, sees_message=access.sees_message)


class ConsentIn(Schema):
    purpose: str
    given_by: str
    max_tier: int = 2
    how_obtained: str
    organisation: int | None = None


class ConsentOut(Schema):
    id: int
    purpose: str
    given_by: str
    max_tier: int
    how_obtained: str
    organisation: int | None
    given_at: datetime
    withdrawn_at: datetime | None


def _consent_out(c: Consent) -> ConsentOut:
    return ConsentOut(
        id=c.pk,
        purpose=c.purpose,
        given_by=c.given_by,
        max_tier=c.max_tier,
        how_obtained=c.how_obtained,
        organisation=c.organisation_id,
        given_at=c.given_at,
        withdrawn_at=c.withdrawn_at,
    )


@router.get(
    "/cases/{number}/consents",
    response=list[ConsentOut],
    summary="Consents and assent recorded on the case",
)
def list_consents(request: HttpRequest, number: str) -> list[ConsentOut]:
    case = access_case(api_user(request), number, audit="consent.list").case
    return [_consent_out(c) for c in case.consents.all()]


@router.post(
    "/cases/{number}/consents",
    response={201: ConsentOut},
    summary="Record consent or assent to one purpose",
)
def add_consent(
    request: HttpRequest, number: str, payload: ConsentIn
) -> Status[ConsentOut]:
    user = api_user(request)
    case = access_case(user, number, write=True, audit=None).case
    org = (
        _organisation(payload.organisation, "organisation")
        if payload.organisation
        else None
    )
    consent = services.record_consent(
        case,
        by=user,
        purpose=payload.purpose,
        given_by=payload.given_by,
        max_tier=payload.max_tier,
        how_obtained=payload.how_obtained,
        organisation=org,
    )
    return Status(201, _consent_out(consent))


@router.post(
    "/cases/{number}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent",
)
def withdraw_consent(request: HttpRequest, number: str, consent_id: int) -> ConsentOut:
    user = api_user(request)
    case = access_case(user, number, write=True, audit=None).case
    consent = case.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    return _consent_out(services.withdraw_consent(consent, by=user))
