"""Who may read a concern report: those who work the inbox it landed in; anyone else gets 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from qorgau.agencies.models import User
from qorgau.audit.services import record_event, record_event_after_request
from qorgau.concerns.models import ConcernReport


def concerns_visible_to(user: User) -> QuerySet[ConcernReport]:
    if (
        not user.is_active
        or user.organisation_id is None
        or not user.capability.receives_referrals
    ):
        return ConcernReport.objects.none()
    return ConcernReport.objects.filter(organisation_id=user.organisation_id)


def inbox_of(user: User, *, closed: bool) -> QuerySet[ConcernReport]:
    """The open (or closed) reports in the user's organisation's inbox; 403 for a role that
    works no inbox."""
    if not user.capability.receives_referrals:
        raise PermissionDenied
    reports = concerns_visible_to(user).select_related("region")
    if closed:
        return reports.filter(status=ConcernReport.Status.CLOSED)
    return reports.exclude(status=ConcernReport.Status.CLOSED)


def access_concern(user: User, reference: str, *, audit: bool = True) -> ConcernReport:
    """One report or 404 (audited either way)."""
    report = (
        concerns_visible_to(user)
        .select_related("region", "organisation", "screening__version__instrument")
        .filter(reference=reference)
        .first()
    )
    if report is None:
        record_event_after_request(
            "concern.denied", by=user, object_type="concern", object_id=reference[:16]
        )
        raise Http404
    if audit:
        record_event(
            "concern.read", by=user, object_type="concern", object_id=report.reference
        )
    return report
