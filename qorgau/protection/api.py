"""REST endpoints for identification decisions, under the case access layer and audit."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from qorgau.api.auth import api_user
from qorgau.cases.access import CaseAccess, access_case
from qorgau.protection import services
from qorgau.protection.models import Decision

router = Router(tags=["decisions"])


class DecisionOut(Schema):
    id: str
    kind: str
    outcome: str
    reasons: str | None
    requested_at: datetime
    due_at: datetime | None
    overdue: bool
    decided_at: datetime | None
    deciding_organisation: int | None
    reconsideration_of: str | None
    version: int


class DecisionRequestIn(Schema):
    kind: str


class DecisionRecordIn(Schema):
    outcome: str
    reasons: str
    version: int


class ReconsiderIn(Schema):
    reason: str


def _out(access: CaseAccess, d: Decision) -> DecisionOut:
    return DecisionOut(
        id=str(d.pk),
        kind=d.kind,
        outcome=d.outcome,
        reasons=d.reasons if access.max_tier >= 2 else None,
        requested_at=d.requested_at,
        due_at=d.due_at,
        overdue=d.is_overdue(),
        decided_at=d.decided_at,
        deciding_organisation=d.deciding_organisation_id,
        reconsideration_of=str(d.reconsideration_of_id)
        if d.reconsideration_of_id
        else None,
        version=d.version,
    )


def _decision(access: CaseAccess, decision_id: str) -> Decision:
    decision = (
        access.case.decisions.filter(pk=decision_id).first()
        if _is_uuid(decision_id)
        else None
    )
    if decision is None:
        raise Http404
    return decision


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@router.get(
    "/cases/{number}/decisions",
    response=list[DecisionOut],
    summary="The case's identification decisions",
)
def list_decisions(request: HttpRequest, number: str) -> list[DecisionOut]:
    access = access_case(api_user(request), number, audit="decision.list")
    return [_out(access, d) for d in access.case.decisions.all()]


@router.post(
    "/cases/{number}/decisions",
    response={201: DecisionOut},
    summary="Ask for a decision (reasonable grounds: due in working days)",
)
def request_decision(
    request: HttpRequest, number: str, payload: DecisionRequestIn
) -> Status[DecisionOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    decision = services.request_decision(access.case, kind=payload.kind, by=user)
    return Status(201, _out(access, decision))


@router.post(
    "/cases/{number}/decisions/{decision_id}",
    response=DecisionOut,
    summary="Record the outcome of an awaited decision",
)
def record_decision(
    request: HttpRequest, number: str, decision_id: str, payload: DecisionRecordIn
) -> DecisionOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    decision = services.record_decision(
        _decision(access, decision_id),
        outcome=payload.outcome,
        reasons=payload.reasons,
        by=user,
        expected_version=payload.version,
    )
    return _out(access, decision)


@router.post(
    "/cases/{number}/decisions/{decision_id}/reconsider",
    response={201: DecisionOut},
    summary="Ask for a negative decision to be reconsidered",
)
def reconsider(
    request: HttpRequest, number: str, decision_id: str, payload: ReconsiderIn
) -> Status[DecisionOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    again = services.request_reconsideration(
        _decision(access, decision_id), reason=payload.reason, by=user
    )
    return Status(201, _out(access, again))
