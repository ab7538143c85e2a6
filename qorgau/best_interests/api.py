"""REST endpoints for best-interests assessments and determinations, under the case access layer.

Narrative (the child's views, findings, options, reasons, grounds) is null for a reader whose
access does not reach its tier, exactly as the page leaves it out.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from qorgau.agencies.models import User
from qorgau.api.auth import api_user
from qorgau.api.errors import FormInvalid
from qorgau.best_interests import services
from qorgau.best_interests.models import (
    FINDING_AREAS,
    BestInterestsAppeal,
    BestInterestsAssessment,
    BestInterestsDetermination,
    BestInterestsOption,
)
from qorgau.cases.access import CaseAccess, access_case

router = Router(tags=["best interests"])
READ = "best_interests.read"


class OptionOut(Schema):
    id: str
    option: str | None
    arguments_for: str | None
    arguments_against: str | None


class AppealOut(Schema):
    lodged_by: str
    lodged_by_detail: str | None
    lodged_on: date
    grounds: str | None
    outcome: str
    option_before: str | None
    decision_reasons: str | None
    decided_by: str | None
    decided_at: datetime | None


class DeterminationOut(Schema):
    id: str
    status: str
    option: str
    reasons: str | None
    determined_by: str
    panel: list[str]
    panel_others: str | None
    determined_on: date
    recorded_at: datetime
    explained_to_child: bool
    explanation_method: str
    explanation_note: str | None
    review_date: date
    replaces: str | None
    appeal: AppealOut | None
    version: int


class AssessmentOut(Schema):
    id: str
    status: str
    reviews: str | None
    started_by: str
    started_at: datetime
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str | None
    team_participants: list[str]
    other_participants: str | None
    views_method: str
    views_not_obtained_reason: str | None
    accommodations: list[str]
    views_language: str
    views_language_other: str
    maturity_considered: bool | None
    maturity_note: str | None
    child_views: str | None
    findings: dict[str, str | None]
    options: list[OptionOut]
    determinations: list[DeterminationOut]
    version: int


class AssessmentPatch(Schema):
    """Only the fields given change; text left out of the writer's tier is refused."""

    version: int
    team_participants: list[str] | None = None
    other_participants: str | None = None
    views_method: str | None = None
    views_not_obtained_reason: str | None = None
    accommodations: list[str] | None = None
    views_language: str | None = None
    views_language_other: str | None = None
    child_views: str | None = None
    maturity_considered: bool | None = None
    maturity_note: str | None = None
    findings_safety: str | None = None
    findings_family: str | None = None
    findings_health: str | None = None
    findings_education: str | None = None
    findings_identity: str | None = None
    findings_wishes: str | None = None


class VersionIn(Schema):
    version: int


class OptionIn(Schema):
    option: str
    arguments_for: str = ""
    arguments_against: str = ""
    version: int


class CancelIn(Schema):
    reason: str
    version: int


class DetermineIn(Schema):
    option: str
    reasons: str
    panel: list[str] = []
    panel_others: str = ""
    determined_on: date | None = None
    review_date: date | None = None
    explained_to_child: bool
    explanation_method: str = ""
    explanation_note: str = ""


class AppealIn(Schema):
    lodged_by: str
    lodged_by_detail: str = ""
    lodged_on: date | None = None
    grounds: str
    version: int


class DecideAppealIn(Schema):
    outcome: str
    reasons: str
    option: str | None = None
    version: int


# Output -----------------------------------------------------------------------------------


def _text(access: CaseAccess, value: str | None, tier: int = 2) -> str | None:
    return (value or "") if access.max_tier >= tier else None


def _option_out(access: CaseAccess, o: BestInterestsOption) -> OptionOut:
    return OptionOut(
        id=str(o.pk),
        option=_text(access, o.option),
        arguments_for=_text(access, o.arguments_for),
        arguments_against=_text(access, o.arguments_against),
    )


def _appeal_out(access: CaseAccess, a: BestInterestsAppeal) -> AppealOut:
    return AppealOut(
        lodged_by=a.lodged_by,
        lodged_by_detail=_text(access, a.lodged_by_detail),
        lodged_on=a.lodged_on,
        grounds=_text(access, a.grounds),
        outcome=a.outcome,
        option_before=str(a.option_before_id) if a.option_before_id else None,
        decision_reasons=_text(access, a.decision_reasons),
        decided_by=a.decided_by.username if a.decided_by else None,
        decided_at=a.decided_at,
    )


def _determination_out(
    access: CaseAccess, d: BestInterestsDetermination
) -> DeterminationOut:
    appeal = d.appeal_or_none()
    return DeterminationOut(
        id=str(d.pk),
        status=d.status,
        option=str(d.option_id),
        reasons=_text(access, d.reasons),
        determined_by=d.determined_by.username,
        panel=sorted(u.username for u in d.panel.all()),
        panel_others=_text(access, d.panel_others),
        determined_on=d.determined_on,
        recorded_at=d.recorded_at,
        explained_to_child=d.explained_to_child,
        explanation_method=d.explanation_method,
        explanation_note=_text(access, d.explanation_note),
        review_date=d.review_date,
        replaces=str(d.replaces_id) if d.replaces_id else None,
        appeal=_appeal_out(access, appeal) if appeal else None,
        version=d.version,
    )


def _assessment_out(access: CaseAccess, a: BestInterestsAssessment) -> AssessmentOut:
    return AssessmentOut(
        id=str(a.pk),
        status=a.status,
        reviews=str(a.reviews_id) if a.reviews_id else None,
        started_by=a.started_by.username,
        started_at=a.started_at,
        completed_at=a.completed_at,
        cancelled_at=a.cancelled_at,
        cancellation_reason=_text(access, a.cancellation_reason),
        team_participants=sorted(u.username for u in a.team_participants.all()),
        other_participants=_text(access, a.other_participants),
        views_method=a.views_method,
        views_not_obtained_reason=_text(access, a.views_not_obtained_reason),
        accommodations=list(a.accommodations),
        views_language=a.views_language,
        views_language_other=a.views_language_other,
        maturity_considered=a.maturity_considered,
        maturity_note=_text(access, a.maturity_note),
        child_views=_text(access, a.child_views),
        findings={
            name.removeprefix("findings_"): _text(access, getattr(a, name), tier)
            for name, _label, tier in FINDING_AREAS
        },
        options=[_option_out(access, o) for o in a.options.all()],
        determinations=[
            _determination_out(access, d)
            for d in a.determinations.select_related("determined_by")
        ],
        version=a.version,
    )


# Lookups ----------------------------------------------------------------------------------


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise Http404 from None


def _assessment(access: CaseAccess, assessment_id: str) -> BestInterestsAssessment:
    found = access.case.best_interests_assessments.filter(
        pk=_uuid(assessment_id)
    ).first()
    if found is None:
        raise Http404
    return found


def _option(
    assessment: BestInterestsAssessment, option_id: str | None, field: str
) -> BestInterestsOption | None:
    if not option_id:
        return None
    try:
        pk = uuid.UUID(option_id)
    except ValueError:
        raise FormInvalid({field: [_unknown_option()]}) from None
    found = assessment.options.filter(pk=pk).first()
    if found is None:
        raise FormInvalid({field: [_unknown_option()]})
    return found


def _unknown_option() -> str:
    from django.utils.translation import gettext as _

    return _("Not one of the options considered in this assessment.")


def _users(usernames: list[str], field: str) -> list[User]:
    users = list(User.objects.filter(username__in=usernames))
    if len(users) != len(set(usernames)):
        from django.utils.translation import gettext as _

        raise FormInvalid({field: [_("Unknown user.")]})
    return users


def _written(user: User, number: str, assessment_id: str) -> AssessmentOut:
    access = access_case(user, number, audit=None)
    return _assessment_out(access, _assessment(access, assessment_id))


# Endpoints --------------------------------------------------------------------------------


@router.get(
    "/cases/{number}/best-interests",
    response=list[AssessmentOut],
    summary="The case's best-interests assessments, with their determinations and appeals",
)
def list_assessments(request: HttpRequest, number: str) -> list[AssessmentOut]:
    access = access_case(api_user(request), number, audit=READ)
    rows = access.case.best_interests_assessments.select_related("started_by")
    return [_assessment_out(access, a) for a in rows]


@router.post(
    "/cases/{number}/best-interests",
    response={201: AssessmentOut},
    summary="Start a best-interests assessment (a review, while a determination is in force)",
)
def start_assessment(request: HttpRequest, number: str) -> Status[AssessmentOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    started = services.start_assessment(access.case, by=user)
    return Status(201, _assessment_out(access, started))


@router.patch(
    "/cases/{number}/best-interests/{assessment_id}",
    response=AssessmentOut,
    summary="Record the assessment: participants, the child's views and how, findings",
)
def update_assessment(
    request: HttpRequest, number: str, assessment_id: str, payload: AssessmentPatch
) -> AssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = _assessment(access, assessment_id)
    changes: dict[str, Any] = {
        k: v
        for k, v in payload.dict(exclude_unset=True).items()
        if k != "version" and (v is not None or k == "maturity_considered")
    }
    if "team_participants" in changes:
        changes["team_participants"] = _users(
            changes["team_participants"], "team_participants"
        )
    services.update_assessment(
        assessment, changes=changes, by=user, expected_version=payload.version
    )
    return _written(user, number, assessment_id)


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/options",
    response={201: OptionOut},
    summary="Add an option considered, with what speaks for and against it",
)
def add_option(
    request: HttpRequest, number: str, assessment_id: str, payload: OptionIn
) -> Status[OptionOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    added = services.add_option(
        _assessment(access, assessment_id),
        option=payload.option,
        arguments_for=payload.arguments_for,
        arguments_against=payload.arguments_against,
        by=user,
        expected_version=payload.version,
    )
    return Status(201, _option_out(access, added))


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/options/{option_id}/remove",
    response=AssessmentOut,
    summary="Remove an option from an assessment in progress",
)
def remove_option(
    request: HttpRequest,
    number: str,
    assessment_id: str,
    option_id: str,
    payload: VersionIn,
) -> AssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = _assessment(access, assessment_id)
    option = assessment.options.filter(pk=_uuid(option_id)).first()
    if option is None:
        raise Http404
    services.remove_option(option, by=user, expected_version=payload.version)
    return _written(user, number, assessment_id)


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/complete",
    response=AssessmentOut,
    summary="Complete the assessment for determination",
)
def complete_assessment(
    request: HttpRequest, number: str, assessment_id: str, payload: VersionIn
) -> AssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    services.complete_assessment(
        _assessment(access, assessment_id), by=user, expected_version=payload.version
    )
    return _written(user, number, assessment_id)


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/cancel",
    response=AssessmentOut,
    summary="Cancel an assessment not yet determined, with the reason",
)
def cancel_assessment(
    request: HttpRequest, number: str, assessment_id: str, payload: CancelIn
) -> AssessmentOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    services.cancel_assessment(
        _assessment(access, assessment_id),
        reason=payload.reason,
        by=user,
        expected_version=payload.version,
    )
    return _written(user, number, assessment_id)


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/determine",
    response={201: DeterminationOut},
    summary="Determine the child's best interests (supervisor or regional coordinator)",
)
def determine(
    request: HttpRequest, number: str, assessment_id: str, payload: DetermineIn
) -> Status[DeterminationOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = _assessment(access, assessment_id)
    made = services.determine(
        assessment,
        decision=services.Determining(
            option=_option(assessment, payload.option, "option"),
            reasons=payload.reasons,
            panel=_users(payload.panel, "panel"),
            panel_others=payload.panel_others,
            determined_on=payload.determined_on,
            review_date=payload.review_date,
            explained_to_child=payload.explained_to_child,
            explanation_method=payload.explanation_method,
            explanation_note=payload.explanation_note,
        ),
        by=user,
    )
    return Status(201, _determination_out(access, made))


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/appeal",
    response={201: DeterminationOut},
    summary="Record an appeal against the determination in force",
)
def appeal(
    request: HttpRequest, number: str, assessment_id: str, payload: AppealIn
) -> Status[DeterminationOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    current = services.in_force_on(_assessment(access, assessment_id))
    services.lodge_appeal(
        current,
        lodged_by=payload.lodged_by,
        lodged_by_detail=payload.lodged_by_detail,
        lodged_on=payload.lodged_on,
        grounds=payload.grounds,
        by=user,
        expected_version=payload.version,
    )
    current.refresh_from_db()
    return Status(201, _determination_out(access, current))


@router.post(
    "/cases/{number}/best-interests/{assessment_id}/decide-appeal",
    response=DeterminationOut,
    summary="Uphold, change or overturn the determination under appeal",
)
def decide_appeal(
    request: HttpRequest, number: str, assessment_id: str, payload: DecideAppealIn
) -> DeterminationOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    assessment = _assessment(access, assessment_id)
    decided = services.decide_appeal(
        services.in_force_on(assessment),
        outcome=payload.outcome,
        reasons=payload.reasons,
        option=_option(assessment, payload.option, "option"),
        by=user,
        expected_version=payload.version,
    )
    return _determination_out(access, decided)
