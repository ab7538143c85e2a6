"""REST endpoints for screening, under the same access rules and audit as the pages.

An instrument's definition is returned as stored (the file's mapping), so that a client can lay
out the questions; skip logic and scoring stay on the server: every save returns which items are
now shown, and the result comes from the server's scoring only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from qorgau.api.auth import api_user
from qorgau.api.errors import FormInvalid
from qorgau.cases.api import CaseIn, validated_case_in
from qorgau.screening import scoring, services
from qorgau.screening.access import access_instrument, access_screening, instruments_for
from qorgau.screening.models import Screening

router = Router(tags=["screening"])


class InstrumentOut(Schema):
    code: str
    version: int
    title: str
    description: str
    settings: list[str]
    about_the_child: bool
    method: str


class InstrumentDetailOut(InstrumentOut):
    definition: dict[str, Any] = Field(
        description="The instrument file's mapping (FORMAT.md)"
    )


class StartIn(Schema):
    instrument: str = Field(
        description="Instrument code; its published version is used"
    )
    setting: str
    mode: str = Field("standard", description="standard or easy_read")
    language: str = Field(
        "ru", description="kk, ru or en: the language of the questions"
    )
    participation: list[str] = []
    accommodations: list[str] = []
    accommodations_note: str = ""


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description='By item code: "yes"/"no", an option code, a list of option codes, a '
        "whole number, an ISO date or a text; null clears an answer"
    )
    version: int


class CompleteIn(Schema):
    version: int
    override_band: str = Field("", description="negative, positive or immediate_danger")
    override_reason: str = ""


class ScreeningOut(Schema):
    reference: str
    instrument: str
    version: int = Field(description="Instrument version the screening uses")
    status: str
    setting: str
    mode: str
    language: str
    participation: list[str]
    accommodations: list[str]
    answers: dict[str, Any]
    shown: list[str] = Field(description="Items the answers so far show, in order")
    started_at: datetime
    completed_at: datetime | None
    band: str = Field(description="Result from the score; empty until completed")
    result: str = Field(
        description="The result that stands (the screener's, if different)"
    )
    score: int | None
    dimensions_met: list[str]
    delete_after: date | None
    case: str | None = Field(
        None, description="The number of the case the result was referred to"
    )
    row_version: int


def _instrument_out(
    version: Any, cls: type[InstrumentOut] = InstrumentOut, **extra: Any
) -> Any:
    definition = version.parsed
    language = get_language() or "ru"
    return cls(
        code=version.instrument.code,
        version=version.version,
        title=definition.title.get(language),
        description=definition.description.get(language),
        settings=list(definition.settings),
        about_the_child=definition.about_the_child,
        method=definition.method,
        **extra,
    )


def _screening_out(s: Screening) -> ScreeningOut:
    answers = dict(s.answers or {})
    return ScreeningOut(
        reference=s.reference,
        instrument=s.version.instrument.code,
        version=s.version.version,
        status=s.status,
        setting=s.setting,
        mode=s.mode,
        language=s.language,
        participation=list(s.participation),
        accommodations=list(s.accommodations),
        answers=answers,
        shown=[i.code for i in scoring.visible_items(s.version.parsed, answers)],
        started_at=s.started_at,
        completed_at=s.completed_at,
        band=s.band,
        result=s.result,
        score=s.score,
        dimensions_met=list(s.dimensions_met),
        delete_after=s.delete_after,
        case=s.case.number if s.case is not None else None,
        row_version=s.row_version,
    )


@router.get(
    "/screening/instruments",
    response=list[InstrumentOut],
    summary="The published instruments the caller may administer",
)
def list_instruments(request: HttpRequest) -> list[Any]:
    return [_instrument_out(v) for v in instruments_for(api_user(request))]


@router.get(
    "/screening/instruments/{code}",
    response=InstrumentDetailOut,
    summary="One instrument's published version, whole",
)
def get_instrument(request: HttpRequest, code: str) -> Any:
    version = access_instrument(api_user(request), code)
    return _instrument_out(version, InstrumentDetailOut, definition=version.definition)


@router.post("/screenings", response={201: ScreeningOut}, summary="Start a screening")
def start_screening(request: HttpRequest, payload: StartIn) -> Status[ScreeningOut]:
    user = api_user(request)
    version = access_instrument(user, payload.instrument)
    screening = services.start_screening(
        version,
        by=user,
        setting=payload.setting,
        mode=payload.mode,
        language=payload.language,
        participation=payload.participation,
        accommodations=payload.accommodations,
        accommodations_note=payload.accommodations_note,
    )
    return Status(201, _screening_out(screening))


@router.get(
    "/screenings/{reference}",
    response=ScreeningOut,
    summary="A screening and its result",
)
def get_screening(request: HttpRequest, reference: str) -> ScreeningOut:
    return _screening_out(access_screening(api_user(request), reference))


@router.put(
    "/screenings/{reference}/answers",
    response=ScreeningOut,
    summary="Save answers (any items); answers that become hidden are dropped",
)
def save_answers(
    request: HttpRequest, reference: str, payload: AnswersIn
) -> ScreeningOut:
    user = api_user(request)
    screening = access_screening(user, reference, write=True, audit=False)
    screening, errors = services.save_answers(
        screening,
        raw=payload.answers,
        items=set(payload.answers),
        expected_version=payload.version,
        by=user,
        complete_section=False,
    )
    _refuse_if(errors)
    return _screening_out(screening)


@router.post(
    "/screenings/{reference}/complete",
    response=ScreeningOut,
    summary="Score the answers and record the result",
)
def complete_screening(
    request: HttpRequest, reference: str, payload: CompleteIn
) -> ScreeningOut:
    user = api_user(request)
    screening = access_screening(user, reference, write=True, audit=False)
    screening, errors = services.complete_screening(
        screening,
        expected_version=payload.version,
        by=user,
        override_band=payload.override_band,
        override_reason=payload.override_reason,
    )
    _refuse_if(errors)
    return _screening_out(screening)


class RaisedReferralOut(Schema):
    id: UUID
    to_organisation_id: int
    to_organisation: str
    urgency: str
    acknowledge_by: datetime | None


class ReferredOut(Schema):
    case: str = Field(description="The number of the case opened")
    screening: ScreeningOut
    referrals: list[RaisedReferralOut] = Field(
        description="Immediate-danger referrals sent at once (none for a positive result)"
    )
    missing: list[str] = Field(
        description="Recipient kinds (police, child_protection) the region has no "
        "organisation for: phone them"
    )


@router.post(
    "/screenings/{reference}/case",
    response={201: ReferredOut},
    summary="Refer a positive result: open the child's case and link the screening",
    description="Opens the case as POST /cases does (search /persons first: a child the "
    "caller already sees is reused with `existing_case`). An immediate-danger result at once "
    "sends immediate-danger referrals to the police and child protection of the region; for "
    "a positive one, draft the referral with POST /cases/{number}/referrals.",
)
def refer_to_case(
    request: HttpRequest, reference: str, payload: CaseIn
) -> Status[ReferredOut]:
    user = api_user(request)
    screening = access_screening(user, reference, write=True, audit=False)
    services.require_referable(screening)  # before the child's details are checked
    child, case_data, existing = validated_case_in(user, payload)
    case, alert = services.open_case_for_screening(
        screening,
        child,
        by=user,
        case_type=case_data["case_type"],
        priority=case_data["priority"],
        existing_child=existing,
        unaccompanied=case_data["unaccompanied"],
    )
    screening = access_screening(user, reference, audit=False)
    raised = alert.referrals if alert else []
    return Status(
        201,
        ReferredOut(
            case=case.number,
            screening=_screening_out(screening),
            referrals=[
                RaisedReferralOut(
                    id=r.pk,
                    to_organisation_id=r.to_organisation_id,
                    to_organisation=r.to_organisation.name,
                    urgency=r.urgency,
                    acknowledge_by=r.acknowledge_by,
                )
                for r in raised
            ],
            missing=alert.missing if alert else [],
        ),
    )


def _refuse_if(errors: dict[str, str]) -> None:
    """The answers at fault, each named as the field `answers.<item code>`."""
    if errors:
        raise FormInvalid({f"answers.{code}": [m] for code, m in errors.items()})
