"""REST endpoints for case reviews and follow-ups, under the case access layer and audit.

Summaries, details and notes are case narrative: they are returned only to callers whose access
to the case reaches tier 2, and are null for the others.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from qorgau.agencies.roles import Tier
from qorgau.api.auth import api_user
from qorgau.cases.access import CaseAccess, access_case
from qorgau.reviews import services
from qorgau.reviews.models import CaseClosure, CaseReview, FollowUp
from qorgau.reviews.schedule import interval_days

router = Router(tags=["reviews"])


class ReviewOut(Schema):
    id: str
    status: str
    due_on: date
    overdue: bool
    responsible: str = Field(description="Username of who convenes the review")
    held_on: date | None
    outcome: str
    participants: list[str]
    other_participants: str | None
    summary: str | None
    next_due_on: date | None
    recorded_by: str | None
    recorded_at: datetime | None
    version: int


class ReviewsOut(Schema):
    interval_days: int = Field(
        description="Days between reviews at the case's priority"
    )
    next: ReviewOut | None
    history: list[ReviewOut]


class HoldReviewIn(Schema):
    summary: str
    outcome: str = Field(description="continue, change_plan, escalate, propose_closure")
    participants: list[str] = Field([], description="Usernames of team members")
    other_participants: str = ""
    held_on: date | None = Field(None, description="Default: today")
    next_due_on: date | None = Field(
        None, description="Default: one interval after the review; earlier is allowed"
    )
    version: int | None = Field(None, description="Version of the scheduled review")


class ClosureOut(Schema):
    status: str
    reason: str
    detail: str | None
    closed_by: str
    closed_at: datetime


class FollowUpOut(Schema):
    id: str
    months: int
    status: str
    due_on: date
    overdue: bool
    responsible: str = Field(description="Username of who makes the follow-up")
    done_on: date | None
    contact_made: bool | None
    contact_method: str
    situation: str
    notes: str | None
    new_case: str | None
    version: int


class FollowUpsOut(Schema):
    closure: ClosureOut | None
    follow_ups: list[FollowUpOut]


class FollowUpIn(Schema):
    contact_made: bool
    situation: str = Field(description="safe, needs_support, at_risk, lost_contact")
    contact_method: str = ""
    notes: str = ""
    done_on: date | None = Field(None, description="Default: today")
    version: int


class NewCaseOut(Schema):
    number: str


def _narrative(access: CaseAccess, text: str | None) -> str | None:
    return (text or "") if access.max_tier >= Tier.NARRATIVE else None


def _review_out(access: CaseAccess, r: CaseReview) -> ReviewOut:
    return ReviewOut(
        id=str(r.pk),
        status=r.status,
        due_on=r.due_on,
        overdue=r.is_overdue(),
        responsible=r.responsible.username,
        held_on=r.held_on,
        outcome=r.outcome,
        participants=sorted(u.username for u in r.participants.all()),
        other_participants=_narrative(access, r.other_participants),
        summary=_narrative(access, r.summary),
        next_due_on=r.next_due_on,
        recorded_by=r.recorded_by.username if r.recorded_by else None,
        recorded_at=r.recorded_at,
        version=r.version,
    )


def _follow_up_out(access: CaseAccess, f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=str(f.pk),
        months=f.months,
        status=f.status,
        due_on=f.due_on,
        overdue=f.is_overdue(),
        responsible=f.responsible.username,
        done_on=f.done_on,
        contact_made=f.contact_made,
        contact_method=f.contact_method,
        situation=f.situation,
        notes=_narrative(access, f.notes),
        new_case=f.new_case.number if f.new_case else None,
        version=f.version,
    )


def _closure_out(access: CaseAccess, c: CaseClosure) -> ClosureOut:
    return ClosureOut(
        status=c.status,
        reason=c.reason,
        detail=_narrative(access, c.detail),
        closed_by=c.closed_by.username,
        closed_at=c.closed_at,
    )


def _follow_up(access: CaseAccess, follow_up_id: str) -> FollowUp:
    try:
        pk = uuid.UUID(follow_up_id)
    except ValueError:
        raise Http404 from None
    follow_up = access.case.follow_ups.filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


@router.get(
    "/cases/{number}/reviews",
    response=ReviewsOut,
    summary="The case's next review and the reviews held",
)
def list_reviews(request: HttpRequest, number: str) -> ReviewsOut:
    access = access_case(api_user(request), number, audit="case.reviews.read")
    reviews = list(
        access.case.reviews.exclude(status=CaseReview.Status.CANCELLED)
        .select_related("recorded_by", "responsible")
        .prefetch_related("participants")
        .order_by("-due_on", "-recorded_at")
    )
    scheduled = next((r for r in reviews if r.is_scheduled), None)
    return ReviewsOut(
        interval_days=interval_days(access.case.priority),
        next=_review_out(access, scheduled) if scheduled else None,
        history=[_review_out(access, r) for r in reviews if not r.is_scheduled],
    )


@router.post(
    "/cases/{number}/reviews",
    response={201: ReviewOut},
    summary="Record the review held and schedule the next",
)
def hold_review(
    request: HttpRequest, number: str, payload: HoldReviewIn
) -> Status[ReviewOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    review = services.hold_review(
        access.case,
        held_on=payload.held_on,
        participants=services.team_members_named(access.case, payload.participants),
        other_participants=payload.other_participants,
        summary=payload.summary,
        outcome=payload.outcome,
        next_due_on=payload.next_due_on,
        by=user,
        expected_version=payload.version,
    )
    return Status(201, _review_out(access, review))


@router.get(
    "/cases/{number}/follow-ups",
    response=FollowUpsOut,
    summary="How the case was closed and its follow-ups",
)
def list_follow_ups(request: HttpRequest, number: str) -> FollowUpsOut:
    access = access_case(api_user(request), number, audit="case.reviews.read")
    closure = access.case.closures.select_related("closed_by").first()
    rows = access.case.follow_ups.select_related("new_case", "responsible")
    return FollowUpsOut(
        closure=_closure_out(access, closure) if closure else None,
        follow_ups=[_follow_up_out(access, f) for f in rows],
    )


@router.post(
    "/cases/{number}/follow-ups/{follow_up_id}",
    response=FollowUpOut,
    summary="Record a follow-up after closure",
)
def record_follow_up(
    request: HttpRequest, number: str, follow_up_id: str, payload: FollowUpIn
) -> FollowUpOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    follow_up = services.record_follow_up(
        _follow_up(access, follow_up_id),
        done_on=payload.done_on,
        contact_made=payload.contact_made,
        contact_method=payload.contact_method,
        situation=payload.situation,
        notes=payload.notes,
        by=user,
        expected_version=payload.version,
    )
    return _follow_up_out(access, follow_up)


@router.post(
    "/cases/{number}/follow-ups/{follow_up_id}/new-case",
    response={201: NewCaseOut},
    summary="Open a new case for the child after a follow-up found them at risk again",
)
def new_case_after_follow_up(
    request: HttpRequest, number: str, follow_up_id: str
) -> Status[NewCaseOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    case = services.open_case_after_follow_up(_follow_up(access, follow_up_id), by=user)
    return Status(201, NewCaseOut(number=case.number))
