"""REST endpoints for the concern-report inbox: the same access layer, services and audit as the
pages. The public form has no API: its flood guard is the page's proof of work."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from qorgau.api.auth import api_user
from qorgau.concerns import services
from qorgau.concerns.access import access_concern, inbox_of
from qorgau.concerns.models import ConcernReport

router = Router(tags=["concerns"])


class ConcernSummaryOut(Schema):
    reference: str
    status: str
    danger_now: str
    reporter: str
    region: str | None = Field(description="ISO 3166-2 code; null when not known")
    received_at: datetime
    closure: str


class AdditionOut(Schema):
    text: str
    added_at: datetime


class ConcernOut(ConcernSummaryOut):
    language: str
    easy_read: bool
    concern: str
    child_details: str
    place: str
    contact: str
    additions: list[AdditionOut]
    screening: str | None = Field(description="Reference of the triage screening")
    closure_note: str
    closed_at: datetime | None
    row_version: int


class TriageIn(Schema):
    version: int | None = None


class TriageOut(Schema):
    screening: str = Field(
        description="Continue it with PUT /screenings/{reference}/answers"
    )


class CloseIn(Schema):
    closure: str = Field(
        description="referred, known, passed_on, no_concern or not_enough"
    )
    note: str = ""
    version: int


def _summary(
    r: ConcernReport, cls: type[ConcernSummaryOut] = ConcernSummaryOut, **extra: object
) -> ConcernSummaryOut:
    return cls(
        reference=r.reference,
        status=r.status,
        danger_now=r.danger_now,
        reporter=r.reporter,
        region=r.region.code if r.region else None,
        received_at=r.received_at,
        closure=r.closure,
        **extra,
    )


def _whole(r: ConcernReport) -> ConcernSummaryOut:
    return _summary(
        r,
        ConcernOut,
        language=r.language,
        easy_read=r.easy_read,
        concern=r.concern,
        child_details=r.child_details or "",
        place=r.place or "",
        contact=r.contact or "",
        additions=[
            AdditionOut(text=a.text, added_at=a.added_at) for a in r.additions.all()
        ],
        screening=r.screening.reference if r.screening else None,
        closure_note=r.closure_note or "",
        closed_at=r.closed_at,
        row_version=r.row_version,
    )


@router.get(
    "/concerns",
    response=list[ConcernSummaryOut],
    summary="The concern reports in the caller's organisation's inbox, newest first",
)
def list_concerns(
    request: HttpRequest, status: str = "open"
) -> list[ConcernSummaryOut]:
    reports = inbox_of(api_user(request), closed=status == "closed")
    return [_summary(r) for r in reports.order_by("-received_at")[:200]]


@router.get("/concerns/{report_ref}", response=ConcernOut, summary="One concern report")
def get_concern(request: HttpRequest, report_ref: str) -> ConcernSummaryOut:
    return _whole(access_concern(api_user(request), report_ref))


@router.post(
    "/concerns/{report_ref}/triage",
    response=TriageOut,
    summary="Triage with the hotline instrument (a second call continues the same one)",
)
def triage_concern(
    request: HttpRequest, report_ref: str, payload: TriageIn
) -> TriageOut:
    user = api_user(request)
    report = access_concern(user, report_ref, audit=False)
    screening = services.start_triage(report, by=user, expected_version=payload.version)
    return TriageOut(screening=screening.reference)


@router.post(
    "/concerns/{report_ref}/close",
    response=ConcernOut,
    summary="Close a concern report",
)
def close_concern(
    request: HttpRequest, report_ref: str, payload: CloseIn
) -> ConcernSummaryOut:
    user = api_user(request)
    report = access_concern(user, report_ref, audit=False)
    services.close_report(
        report,
        by=user,
        closure=payload.closure,
        note=payload.note,
        expected_version=payload.version,
    )
    return _whole(access_concern(user, report_ref, audit=False))
