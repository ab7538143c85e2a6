"""Every change to instruments and screenings: atomic, checked and audited.

Instruments: an editor imports a file as a draft, previews it and publishes it; a published
version never changes (and the database refuses it too). Screenings: started under a fresh
pseudonymous reference, saved a section at a time with a version check, completed with a score
that keeps its instrument version; a negative result is deleted after the retention period.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import Any

import yaml
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.agencies.models import User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Role
from qorgau.audit.services import record_event
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case
from qorgau.cases.services import PersonDetails
from qorgau.lib.references import create_with_reference
from qorgau.referrals import services as referral_services
from qorgau.referrals.services import DangerAlert, people_with_role
from qorgau.screening import scoring
from qorgau.screening.definition import Definition, DefinitionError
from qorgau.screening.models import (
    AnswerTally,
    Instrument,
    InstrumentVersion,
    ResultTally,
    Screening,
)

# --- Instruments ----------------------------------------------------------------------------


def read_instrument_file(text: str) -> tuple[dict[str, Any], Definition]:
    """The mapping of a YAML instrument file and its parsed definition; ServiceError lists
    every problem found."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ServiceError(_("The file is not valid YAML: %s") % exc) from None
    try:
        return data, Definition.parse(data)
    except DefinitionError as exc:
        raise ServiceError("\n".join(exc.problems)) from None


def digest_of(data: dict[str, Any]) -> str:
    canonical = json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def require_editor(by: User | None) -> None:
    if by is not None and not by.capability.edits_instruments:
        raise ServiceError(_("Only editors of instruments may change them."))


@transaction.atomic
def import_instrument(text: str, *, by: User | None) -> tuple[InstrumentVersion, bool]:
    """Stores a file as a draft version, or replaces the draft of that version. Importing a
    published version again changes nothing if it is the same, and is refused if it differs.
    Returns the version and whether anything was stored."""
    require_editor(by)
    data, definition = read_instrument_file(text)
    digest = digest_of(data)
    instrument, _created = Instrument.objects.get_or_create(code=definition.code)
    current = (
        InstrumentVersion.objects.select_for_update()
        .filter(instrument=instrument, version=definition.version)
        .first()
    )
    if current is not None and current.status != InstrumentVersion.Status.DRAFT:
        if current.digest == digest:
            return current, False
        raise ServiceError(
            _(
                "Version %(version)s of “%(code)s” is published and never changes: "
                "give the new text the next version number."
            )
            % {"version": definition.version, "code": definition.code}
        )
    if current is None:
        current = InstrumentVersion(instrument=instrument, version=definition.version)
    elif current.digest == digest:
        return current, False
    current.definition, current.source, current.digest = data, text, digest
    current.created_by = by
    current.save()
    _audit("instrument.import", by, current)
    return current, True


@transaction.atomic
def publish_version(
    version: InstrumentVersion, *, by: User | None
) -> InstrumentVersion:
    """A draft becomes the version new screenings use; the one published before is retired
    (its screenings keep it)."""
    require_editor(by)
    current = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != InstrumentVersion.Status.DRAFT:
        raise ServiceError(_("Only a draft can be published."))
    newer = InstrumentVersion.objects.filter(
        instrument=current.instrument, version__gt=current.version
    ).exclude(status=InstrumentVersion.Status.DRAFT)
    if newer.exists():
        raise ServiceError(_("A later version is already published."))
    now = timezone.now()
    InstrumentVersion.objects.filter(
        instrument=current.instrument, status=InstrumentVersion.Status.PUBLISHED
    ).update(status=InstrumentVersion.Status.RETIRED, retired_at=now)
    current.status = InstrumentVersion.Status.PUBLISHED
    current.published_by, current.published_at = by, now
    current.save(update_fields=["status", "published_by", "published_at"])
    _audit("instrument.publish", by, current)
    return current


@transaction.atomic
def delete_draft(version: InstrumentVersion, *, by: User | None) -> None:
    require_editor(by)
    current = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != InstrumentVersion.Status.DRAFT:
        raise ServiceError(_("Only a draft can be deleted."))
    _audit("instrument.delete_draft", by, current)
    current.delete()


def _audit(action: str, by: User | None, version: InstrumentVersion) -> None:
    record_event(
        action,
        by=by,
        object_type="instrument",
        object_id=str(version),
        details={"digest": version.digest},
    )


# --- Screenings -----------------------------------------------------------------------------


def require_screener(by: User, version: InstrumentVersion) -> None:
    if not by.capability.screens or by.organisation is None:
        raise ServiceError(_("Your role does not administer screening instruments."))
    if not version.is_published:
        raise ServiceError(
            _("Only a published version of an instrument is administered.")
        )


@transaction.atomic
def start_screening(
    version: InstrumentVersion,
    *,
    by: User,
    setting: str,
    mode: str = Screening.Mode.STANDARD,
    language: str = "ru",
    participation: list[str] | None = None,
    accommodations: list[str] | None = None,
    accommodations_note: str = "",
) -> Screening:
    require_screener(by, version)
    if mode not in Screening.Mode.values:
        raise ServiceError(
            _("Choose the standard or the easy-read wording."), field="mode"
        )
    definition = version.parsed
    if definition.settings and setting not in definition.settings:
        raise ServiceError(
            _("This instrument is not meant for that setting."), field="setting"
        )
    _check_participation(participation or [], accommodations or [])
    organisation = by.organisation
    if organisation is None:  # (require_screener refused it already)
        raise ServiceError(_("Your account belongs to no organisation."))
    screening = create_with_reference(
        Screening.objects,
        "SK",
        version=version,
        organisation=organisation,
        region_id=organisation.region_id,
        screener=by,
        setting=setting,
        mode=mode,
        language=language if language in ("kk", "ru", "en") else "ru",
        participation=sorted(set(participation or [])),
        accommodations=sorted(set(accommodations or [])),
        accommodations_note=accommodations_note.strip(),
        answers={},
        # Left unfinished, it goes as a negative result would.
        delete_after=_retention_end(timezone.now()),
    )
    if screening is None:
        raise ServiceError(_("No free reference could be drawn; try again."))
    _screening_event("screening.start", by, screening)
    return screening


def _check_participation(participation: list[str], accommodations: list[str]) -> None:
    if set(participation) - set(Screening.Participation.values):
        raise ServiceError(_("Unknown way of taking part."), field="participation")
    if set(accommodations) - set(Screening.Accommodation.values):
        raise ServiceError(_("Unknown accommodation."), field="accommodations")


def _locked(screening: Screening, expected_version: int | None, by: User) -> Screening:
    current = Screening.objects.select_for_update().get(pk=screening.pk)
    if current.screener_id != by.pk:
        raise ServiceError(_("Only the screener who started a screening continues it."))
    if expected_version is not None and current.row_version != expected_version:
        raise StaleEdit(current.row_version)
    return current


@transaction.atomic
def save_answers(
    screening: Screening,
    *,
    raw: dict[str, Any],
    items: set[str],
    expected_version: int | None,
    by: User,
    complete_section: bool = True,
) -> tuple[Screening, dict[str, str]]:
    """Saves the answers to some items (one section's); answers that became hidden are dropped.
    Returns the screening and the errors by item code; nothing is saved when there are any."""
    current = _locked(screening, expected_version, by)
    if current.status != Screening.Status.IN_PROGRESS:
        raise ServiceError(_("This screening is completed and can no longer change."))
    merged = {**(current.answers or {}), **{code: raw.get(code) for code in items}}
    answers, errors = scoring.clean(
        current.version.parsed, merged, complete=complete_section, only=items
    )
    if errors:
        return current, errors
    current.answers = answers
    current.row_version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["answers", "row_version", "updated_at"])
    return current, {}


@transaction.atomic
def complete_screening(
    screening: Screening,
    *,
    expected_version: int | None,
    by: User,
    override_band: str = "",
    override_reason: str = "",
) -> tuple[Screening, dict[str, str]]:
    """Scores the answers with the screening's own version and records the result; a negative
    result is kept for the retention period only. Returns errors by item code if any required
    answer is missing, and then changes nothing."""
    current = _locked(screening, expected_version, by)
    if current.status != Screening.Status.IN_PROGRESS:
        raise ServiceError(_("This screening is already completed."))
    definition = current.version.parsed
    answers, errors = scoring.clean(definition, current.answers or {}, complete=True)
    if errors:
        return current, errors
    result = scoring.score(definition, answers)
    if override_band and override_band not in (
        "negative",
        "positive",
        "immediate_danger",
    ):
        raise ServiceError(_("Unknown result."), field="override_band")
    if override_band == result.band:
        override_band = ""
    if override_band and len(override_reason.strip()) < 10:
        raise ServiceError(
            _("Say in a sentence why your result differs from the score."),
            field="override_reason",
        )
    now = timezone.now()
    current.answers = answers
    current.status = Screening.Status.COMPLETED
    current.band, current.score = result.band, result.score
    current.dimensions_met, current.danger = (
        list(result.dimensions_met),
        list(result.danger),
    )
    current.override_band = override_band
    current.override_reason = override_reason.strip() if override_band else ""
    current.completed_at = current.updated_at = now
    current.delete_after = _retention_end(now) if current.result == "negative" else None
    current.row_version += 1
    current.save()
    _tally(current, result.endorsed)
    _screening_event("screening.complete", by, current)
    if current.result == "immediate_danger":
        _tell_danger(current)
    return current, {}


def _tell_danger(screening: Screening) -> None:
    """An immediate-danger result is known at once beyond its screener: the supervisors of the
    organisation, or where it has none (a school, a clinic) the region's coordinators, so that
    someone makes sure the child is referred within the hour."""
    screener = screening.screener_id
    watchers = _besides(
        screener,
        people_with_role(Role.SUPERVISOR, organisation=screening.organisation_id),
    ) or _besides(
        screener,
        people_with_role(Role.REGIONAL_COORDINATOR, region=screening.region_id),
    )
    for person in watchers:
        notify(
            person,
            kind="screening_danger",
            reference=screening.reference,
            organisation=screening.organisation.name,
        )


def _besides(screener_id: Any, people: list[User]) -> list[User]:
    return [p for p in people if p.pk != screener_id]  # the screener knows


def require_referable(screening: Screening) -> None:
    if not screening.is_referable:
        raise ServiceError(_("Only a completed positive result is referred."))


@transaction.atomic
def link_case(screening: Screening, case: Any, *, by: User) -> Screening:
    """A positive or immediate-danger result referred: its child's case is now known. The
    screening is kept (no retention end) and counted as referred."""
    current = _locked(screening, None, by)
    require_referable(current)
    current.case, current.status, current.delete_after = (
        case,
        Screening.Status.REFERRED,
        None,
    )
    current.row_version += 1
    current.save(update_fields=["case", "status", "delete_after", "row_version"])
    ResultTally.objects.filter(**_result_key(current)).update(
        referred=models.F("referred") + 1
    )
    record_event(
        "screening.refer",
        by=by,
        object_type="screening",
        object_id=current.reference,
        case_id=case.pk,
    )
    return current


@transaction.atomic
def open_case_for_screening(
    screening: Screening,
    child: PersonDetails,
    *,
    by: User,
    case_type: str,
    priority: str,
    existing_child: Any = None,
    unaccompanied: bool = False,
) -> tuple[Case, DangerAlert | None]:
    """A positive result referred: opens the child's case (or a case for a child the user already
    sees) and links the screening to it, all or nothing. An immediate-danger result at once
    raises immediate-danger referrals to the police and child protection of the screening's
    region; a positive one leaves the referral for the screener to draft from the answers."""
    case = case_services.open_case(
        child,
        by=by,
        case_type=case_type,
        priority=priority,
        existing_child=existing_child,
        unaccompanied=unaccompanied,
    )
    screening = link_case(screening, case, by=by)
    # The concerns app is built on this one: imported here, not at the top, to avoid a cycle.
    from qorgau.concerns.services import close_for_referral

    close_for_referral(screening, case, by=by)
    if screening.result != "immediate_danger":
        return case, None
    alert = referral_services.raise_immediate_danger(
        case, by=by, region=screening.region, message=referral_message(screening)
    )
    return case, alert


def referral_message(screening: Screening) -> str:
    """A first draft of the referral's message: the result and the signs found, in the
    screening's language; the screener edits it before sending."""
    definition = screening.version.parsed
    language = screening.language
    result = scoring.score(definition, screening.answers or {})
    signs = []
    for code in (*result.danger, *result.endorsed):
        item_code, _sep, option = code.partition(":")
        item = definition.items_by_code.get(item_code)
        chosen = item.option(option) if item and option else None
        text = (chosen.text if chosen else item.text).get(language) if item else code
        if text not in signs:
            signs.append(text)
    head = f"{definition.title.get(language)} · {screening.reference}"
    return "\n".join([head, *(f"— {s}" for s in signs)])


def _retention_end(now: datetime) -> date:
    return timezone.localdate(now) + timedelta(
        days=settings.QORGAU_SCREENING_RETENTION_DAYS
    )


def _result_key(screening: Screening) -> dict[str, Any]:
    """The ResultTally row a completed screening is counted in."""
    return {
        "version_id": screening.version_id,
        "setting": screening.setting,
        "region_id": screening.region_id,
        "month": timezone.localdate(screening.completed_at).replace(day=1),
        "band": screening.result,
    }


def _tally(screening: Screening, endorsed: tuple[str, ...]) -> None:
    key = _result_key(screening)
    _add_one(ResultTally, **key)
    for answer in endorsed:
        _add_one(
            AnswerTally,
            version_id=key["version_id"],
            setting=key["setting"],
            month=key["month"],
            answer=answer,
        )


def _add_one(model: type[models.Model], **key: Any) -> None:
    """count + 1 on the row with this key, made if missing (two at once: one makes it)."""
    manager = model._default_manager
    if manager.filter(**key).update(count=models.F("count") + 1):
        return
    try:
        with transaction.atomic():
            manager.create(**key, count=1)
    except IntegrityError:
        manager.filter(**key).update(count=models.F("count") + 1)


def delete_expired_screenings(now: datetime | None = None, batch: int = 1000) -> int:
    """Deletes negative results, and screenings left unfinished, past their retention; never
    a referred one. The tallies stay."""
    today = timezone.localdate(now or timezone.now())
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Screening.objects.filter(
                    delete_after__lt=today, case__isnull=True
                ).values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            Screening.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    if deleted:
        record_event(
            "screening.retention_delete",
            by=None,
            object_type="screening",
            details={"deleted": deleted},
        )
    return deleted


def _screening_event(action: str, by: User, screening: Screening) -> None:
    record_event(
        action,
        by=by,
        object_type="screening",
        object_id=screening.reference,
        details={"version": str(screening.version), "band": screening.result},
    )
