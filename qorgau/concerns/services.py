"""Every change to a concern report: received from the public form, added to, triaged, closed.

Atomic, checked and audited. The public side never learns more than the reference and whether
the report is being looked at.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Role
from qorgau.audit.services import record_event
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.concerns.models import ConcernAddition, ConcernReport
from qorgau.lib.references import create_with_reference
from qorgau.reference.models import Region
from qorgau.screening import services as screening_services
from qorgau.screening.models import InstrumentVersion, Screening

MAX_TEXT = 5000


def normalised_reference(text: str) -> str:
    """What a person typed, as stored: case, spaces, dashes and the prefix forgiven."""
    raw = "".join(c for c in text.upper() if c.isalnum())
    if len(raw) == 10 and raw.startswith("QR"):
        raw = raw[2:]
    return f"QR-{raw[:4]}-{raw[4:]}" if len(raw) == 8 else ""


# --- where a report goes ---------------------------------------------------------------------


def inbox_for(region: Region | None) -> Organisation | None:
    """The region's hotline; else the organisation of the region's coordinator; else a national
    hotline. A report with no region goes to a national hotline."""
    # Services are a JSON list, which SQLite cannot search inside: a handful per region.
    active = Organisation.objects.filter(is_active=True).order_by("pk")
    if region is not None:
        local = _first_hotline(active.filter(region=region))
        if local is not None:
            return local
        coordinator = (
            User.objects.filter(
                is_active=True,
                role_assignments__role=Role.REGIONAL_COORDINATOR,
                organisation__is_active=True,
                organisation__region=region,
            )
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if coordinator is not None:
            return coordinator.organisation
    return _first_hotline(active)


def _first_hotline(organisations: Any) -> Organisation | None:
    return next((o for o in organisations if "hotline" in o.services), None)


def triage_staff(organisation: Organisation) -> list[User]:
    """Who works an organisation's inboxes."""
    staff = User.objects.filter(organisation=organisation, is_active=True).distinct()
    return [u for u in staff if u.capability.receives_referrals]


# --- the public side -------------------------------------------------------------------------


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("Please write what worries you."), field=field)
    if len(value) > MAX_TEXT:
        raise ServiceError(
            _("Please write at most %(n)d characters.") % {"n": MAX_TEXT}, field=field
        )
    return value


@transaction.atomic
def submit_report(
    *,
    region: Region | None,
    reporter: str,
    danger_now: str,
    concern: str,
    child_details: str = "",
    place: str = "",
    contact: str = "",
    language: str = "ru",
    easy_read: bool = False,
) -> ConcernReport:
    if reporter not in ConcernReport.Reporter.values:
        raise ServiceError(_("Say who you are."), field="reporter")
    if danger_now not in ConcernReport.Danger.values:
        raise ServiceError(_("Say if the child is in danger now."), field="danger_now")
    fields: dict[str, Any] = {
        "region": region,
        "organisation": inbox_for(region),
        "language": language if language in ("kk", "ru", "en") else "ru",
        "easy_read": easy_read,
        "reporter": reporter,
        "danger_now": danger_now,
        "concern": _text(concern, "concern", required=True),
        "child_details": _text(child_details, "child_details"),
        "place": _text(place, "place"),
        "contact": _text(contact, "contact"),
    }
    report = create_with_reference(ConcernReport.objects, "QR", **fields)
    if report is None:
        raise ServiceError(_("The report could not be stored; please try again."))
    _tell_inbox(report, "concern_received")
    _audit("concern.report", None, report, danger=report.danger_now)
    return report


def find_report(reference: str) -> ConcernReport | None:
    """The report a reporter names by its reference, for the public pages."""
    normalised = normalised_reference(reference)
    if not normalised:
        return None
    report = ConcernReport.objects.filter(reference=normalised).first()
    if report is not None:
        _audit("concern.lookup", None, report)
    return report


@transaction.atomic
def add_information(report: ConcernReport, text: str) -> ConcernAddition:
    """The reporter adds to the report; a closed report opens again for someone to read it."""
    current = ConcernReport.objects.select_for_update().get(pk=report.pk)
    addition = ConcernAddition.objects.create(
        report=current, text=_text(text, "text", required=True)
    )
    if current.status == ConcernReport.Status.CLOSED:
        current.status = ConcernReport.Status.NEW
        current.closure, current.closed_by, current.closed_at = "", None, None
    current.updated_at = timezone.now()
    current.row_version += 1
    current.save()
    _tell_inbox(current, "concern_added")
    _audit("concern.add", None, current)
    return addition


# --- the inbox side --------------------------------------------------------------------------


def _locked(report: ConcernReport, expected_version: int | None) -> ConcernReport:
    current = ConcernReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and current.row_version != expected_version:
        raise StaleEdit(current.row_version)
    return current


def triage_version() -> InstrumentVersion:
    version = InstrumentVersion.objects.filter(
        instrument__code=settings.QORGAU_CONCERN_TRIAGE_INSTRUMENT,
        status=InstrumentVersion.Status.PUBLISHED,
    ).first()
    if version is None:
        raise ServiceError(_("The hotline triage instrument is not published."))
    return version


@transaction.atomic
def start_triage(
    report: ConcernReport, *, by: User, expected_version: int | None = None
) -> Screening:
    """Triage with the hotline instrument: a screening under its own reference, in the
    report's language, tied to the report. A triage already started is continued."""
    current = _locked(report, expected_version)
    if current.screening is not None:
        return current.screening
    if not current.is_open:
        raise ServiceError(_("This report is closed."))
    screening = screening_services.start_screening(
        triage_version(), by=by, setting="hotline", language=current.language
    )
    current.screening, current.status = screening, ConcernReport.Status.TRIAGE
    current.updated_at = timezone.now()
    current.row_version += 1
    current.save()
    _audit("concern.triage", by, current, screening=screening.reference)
    return screening


@transaction.atomic
def close_report(
    report: ConcernReport,
    *,
    by: User,
    closure: str,
    note: str = "",
    expected_version: int | None = None,
) -> ConcernReport:
    current = _locked(report, expected_version)
    if not current.is_open:
        raise ServiceError(_("This report is already closed."))
    if closure not in ConcernReport.Closure.values:
        raise ServiceError(_("Say why the report is closed."), field="closure")
    now = timezone.now()
    current.status, current.closure = ConcernReport.Status.CLOSED, closure
    current.closure_note = _text(note, "note")
    current.closed_by, current.closed_at, current.updated_at = by, now, now
    current.row_version += 1
    current.save()
    _audit("concern.close", by, current, closure=closure)
    return current


def close_for_referral(screening: Screening, case: Any, *, by: User) -> None:
    """The report a triage screening was done for is closed once its child is referred."""
    report = ConcernReport.objects.filter(screening=screening).first()
    if report is not None and report.is_open:
        close_report(
            report,
            by=by,
            closure=ConcernReport.Closure.REFERRED,
            note=_("Case %(number)s") % {"number": case.number},
        )


def delete_expired_reports(now: Any = None, batch: int = 1000) -> int:
    """Deletes reports closed without a referral, and what was added to them, once their
    retention period has passed since closing."""
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.QORGAU_CONCERN_RETENTION_DAYS
    )
    expired = ConcernReport.objects.filter(
        status=ConcernReport.Status.CLOSED, closed_at__lt=cutoff
    ).exclude(closure=ConcernReport.Closure.REFERRED)
    deleted = 0
    while ids := list(expired.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            ConcernAddition.objects.filter(report_id__in=ids).delete()
            ConcernReport.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    if deleted:
        record_event(
            "concern.retention_delete",
            by=None,
            object_type="concern",
            details={"deleted": deleted},
        )
    return deleted


def _tell_inbox(report: ConcernReport, kind: str) -> None:
    if report.organisation is None:
        return
    danger = report.danger_now == ConcernReport.Danger.YES
    for user in triage_staff(report.organisation):
        notify(user, kind=kind, reference=report.reference, danger=danger)


def _audit(action: str, by: User | None, report: ConcernReport, **details: Any) -> None:
    record_event(
        action,
        by=by,
        object_type="concern",
        object_id=report.reference,
        details=details,
    )
