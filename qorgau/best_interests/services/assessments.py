"""Best-interests assessments: started, recorded, completed or cancelled by the case team."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.agencies.roles import Tier
from qorgau.best_interests.models import (
    FINDING_AREAS,
    Accommodation,
    BestInterestsOption,
    ViewsLanguage,
    ViewsMethod,
)
from qorgau.best_interests.services.common import (
    Assessment,
    AStatus,
    Determination,
    DStatus,
    add_to_timeline,
    audit_step,
    determination_in_force,
    set_status,
    team_members,
    team_users,
)
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case

# The assessment's encrypted texts and the tier a writer must reach to change each one.
TEXT_FIELDS: dict[str, int] = {
    "other_participants": Tier.NARRATIVE,
    "views_not_obtained_reason": Tier.NARRATIVE,
    "child_views": Tier.NARRATIVE,
    "maturity_note": Tier.NARRATIVE,
    **{name: tier for name, _label, tier in FINDING_AREAS},
}
PLAIN_FIELDS = (
    "views_method",
    "accommodations",
    "views_language",
    "views_language_other",
    "maturity_considered",
)
EDITABLE = (*TEXT_FIELDS, *PLAIN_FIELDS, "team_participants")


# Assessment -----------------------------------------------------------------------------------


@transaction.atomic
def start_assessment(case: Case, *, by: User) -> Assessment:
    """Starts an assessment; while a determination is in force, the new one reviews it."""
    require_write(by, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_closed:
        raise ServiceError(_("The case is closed."))
    if locked.best_interests_assessments.filter(status=AStatus.IN_PROGRESS).exists():
        raise ServiceError(_("An assessment is already in progress."))
    if any(
        a.awaits_determination()
        for a in locked.best_interests_assessments.filter(status=AStatus.COMPLETED)
    ):
        raise ServiceError(
            _(
                "The completed assessment awaits its determination. Determine or cancel it first."
            )
        )
    in_force = determination_in_force(locked)
    if in_force is not None and in_force.status == DStatus.UNDER_APPEAL:
        raise ServiceError(
            _("The determination is under appeal: wait for the appeal decision.")
        )
    if in_force is not None and in_force.status not in (
        *Determination.SETTLED,
        DStatus.REVIEW_DUE,
    ):
        raise ServiceError(_("The determination cannot be reviewed now."))
    assessment = Assessment.objects.create(case=locked, started_by=by, reviews=in_force)
    if by.pk in {u.pk for u in team_users(locked)}:
        assessment.team_participants.add(by)
    if in_force is not None:
        set_status(in_force, DStatus.UNDER_REVIEW)
        add_to_timeline(
            in_force.case_id, by, "review_started", determination=str(in_force.pk)
        )
    add_to_timeline(case.pk, by, "started", assessment=str(assessment.pk))
    audit_step("best_interests.start", assessment, by)
    return assessment


def lock_assessment(assessment: Assessment, expected_version: int | None) -> Assessment:
    current: Assessment = (
        Assessment.objects.select_for_update()
        .select_related("case")
        .get(pk=assessment.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current.version)
    return current


def _require_in_progress(assessment: Assessment) -> None:
    if not assessment.is_in_progress:
        raise ServiceError(_("Only an assessment in progress can be changed."))


@transaction.atomic
def update_assessment(
    assessment: Assessment,
    *,
    changes: dict[str, Any],
    by: User,
    expected_version: int | None = None,
) -> Assessment:
    """Saves what was learnt so far; a writer changes only what their tier lets them read."""
    current = lock_assessment(assessment, expected_version)
    access = require_write(by, current.case)
    _require_in_progress(current)
    changes = dict(changes)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ServiceError(_("This field cannot be changed."), field=sorted(unknown)[0])
    for name in changes:
        if name in TEXT_FIELDS and TEXT_FIELDS[name] > access.max_tier:
            raise ServiceError(
                _("Your access does not reach this part of the assessment."), field=name
            )
    _check_choices(changes)
    changed: list[str] = []
    if "team_participants" in changes:
        people = team_members(
            current.case, changes.pop("team_participants"), "team_participants"
        )
        if {u.pk for u in people} != set(
            current.team_participants.values_list("pk", flat=True)
        ):
            current.team_participants.set(people)
            changed.append("team_participants")
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if name == "accommodations":
            value = sorted(set(value))
        if getattr(current, name) != value and not (
            name in TEXT_FIELDS and not value and not getattr(current, name)
        ):
            setattr(current, name, value)
            changed.append(name)
    if changed:
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        # Which fields changed is on the audit trail; the timeline only says that it changed.
        add_to_timeline(current.case_id, by, "updated", assessment=str(current.pk))
        audit_step("best_interests.update", current, by, fields=sorted(changed))
    return current


def _check_choices(changes: dict[str, Any]) -> None:
    method = changes.get("views_method")
    if method not in (None, "") and method not in ViewsMethod.values:
        raise ServiceError(
            _("Unknown way of obtaining the views."), field="views_method"
        )
    language = changes.get("views_language")
    if language not in (None, "") and language not in ViewsLanguage.values:
        raise ServiceError(_("Unknown language."), field="views_language")
    accommodations = changes.get("accommodations")
    if accommodations is not None and (
        not isinstance(accommodations, list)
        or not set(accommodations) <= set(Accommodation.values)
    ):
        raise ServiceError(_("Unknown accommodation."), field="accommodations")
    considered = changes.get("maturity_considered")
    if considered not in (None, True, False):
        raise ServiceError(_("Answer yes or no."), field="maturity_considered")


@transaction.atomic
def add_option(
    assessment: Assessment,
    *,
    option: str,
    arguments_for: str,
    arguments_against: str,
    by: User,
    expected_version: int | None = None,
) -> BestInterestsOption:
    current = lock_assessment(assessment, expected_version)
    require_write(by, current.case)
    _require_in_progress(current)
    if not option.strip():
        raise ServiceError(_("Describe the option."), field="option")
    if not arguments_for.strip() and not arguments_against.strip():
        raise ServiceError(
            _("Say what speaks for or against this option."), field="arguments_for"
        )
    added = BestInterestsOption.objects.create(
        assessment=current,
        option=option.strip(),
        arguments_for=arguments_for.strip(),
        arguments_against=arguments_against.strip(),
        added_by=by,
    )
    _bump(current)
    add_to_timeline(current.case_id, by, "option_added", assessment=str(current.pk))
    audit_step("best_interests.option_add", current, by, option=str(added.pk))
    return added


@transaction.atomic
def remove_option(
    option: BestInterestsOption, *, by: User, expected_version: int | None = None
) -> Assessment:
    current = lock_assessment(option.assessment, expected_version)
    require_write(by, current.case)
    _require_in_progress(current)
    BestInterestsOption.objects.filter(pk=option.pk).delete()
    _bump(current)
    add_to_timeline(current.case_id, by, "option_removed", assessment=str(current.pk))
    audit_step("best_interests.option_remove", current, by, option=str(option.pk))
    return current


def _bump(assessment: Assessment) -> None:
    assessment.version += 1
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["version", "updated_at"])


@transaction.atomic
def complete_assessment(
    assessment: Assessment, *, by: User, expected_version: int | None = None
) -> Assessment:
    """Closes the assessment for determination, once the child's voice and the options are in it."""
    current = lock_assessment(assessment, expected_version)
    require_write(by, current.case)
    _require_in_progress(current)
    _require_complete(current)
    current.status = AStatus.COMPLETED
    current.completed_by = by
    current.completed_at = timezone.now()
    current.version += 1
    current.updated_at = current.completed_at
    current.save()
    add_to_timeline(current.case_id, by, "completed", assessment=str(current.pk))
    audit_step("best_interests.complete", current, by)
    return current


def _require_complete(a: Assessment) -> None:
    if not a.views_method:
        raise ServiceError(
            _("Record how the child's views were obtained, or why they could not be."),
            field="views_method",
        )
    if a.views_method == ViewsMethod.NOT_OBTAINED and not a.views_not_obtained_reason:
        raise ServiceError(
            _("Say why the child's views could not be obtained."),
            field="views_not_obtained_reason",
        )
    if a.views_were_heard:
        if not a.child_views:
            raise ServiceError(_("Record the child's views."), field="child_views")
        if not a.views_language:
            raise ServiceError(
                _("Record the language the child used."), field="views_language"
            )
        if a.views_language == ViewsLanguage.OTHER and not a.views_language_other:
            raise ServiceError(_("Name the language."), field="views_language_other")
    if a.maturity_considered is None:
        raise ServiceError(
            _("Say whether the child's age and maturity were taken into account."),
            field="maturity_considered",
        )
    if a.maturity_considered is False and not a.maturity_note:
        raise ServiceError(
            _("Say why the child's age and maturity were not taken into account."),
            field="maturity_note",
        )
    if not a.findings_safety:
        raise ServiceError(
            _("Record the findings on the child's safety."), field="findings_safety"
        )
    if a.options.count() < 2:
        raise ServiceError(_("Consider at least two options."), field="options")


@transaction.atomic
def cancel_assessment(
    assessment: Assessment,
    *,
    reason: str,
    by: User,
    expected_version: int | None = None,
) -> Assessment:
    """Cancels an assessment in progress, or a completed one that was never determined."""
    current = lock_assessment(assessment, expected_version)
    require_write(by, current.case)
    if current.status == AStatus.CANCELLED:
        raise ServiceError(_("The assessment is already cancelled."))
    if not current.is_in_progress and not current.awaits_determination():
        raise ServiceError(_("A determined assessment cannot be cancelled."))
    if not reason.strip():
        raise ServiceError(_("Give the reason for cancelling."), field="reason")
    current.status = AStatus.CANCELLED
    current.cancelled_by = by
    current.cancelled_at = timezone.now()
    current.cancellation_reason = reason.strip()
    current.version += 1
    current.updated_at = current.cancelled_at
    current.save()
    if current.reviews_id is not None:
        _end_review(current.reviews_id)
    add_to_timeline(current.case_id, by, "cancelled", assessment=str(current.pk))
    audit_step("best_interests.cancel", current, by)
    return current


def _end_review(determination_id: Any) -> None:
    """A cancelled review leaves the reviewed determination as it was, its review due if passed."""
    reviewed = Determination.objects.select_for_update().get(pk=determination_id)
    if reviewed.status != DStatus.UNDER_REVIEW:
        return
    appeal = reviewed.appeal_or_none()
    status = (
        DStatus.APPEAL_DECIDED
        if appeal and not appeal.is_pending
        else DStatus.DETERMINED
    )
    # Already told the review is due: it is due again. Otherwise the sweep will tell the owner.
    if reviewed.review_notified_at is not None:
        status = DStatus.REVIEW_DUE
    set_status(reviewed, status)
