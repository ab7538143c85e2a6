"""Best-interests assessments and determinations: atomic, checked, on the timeline and audited.

Anyone who may change the case assesses; only a person holding `determines_best_interests`
(a supervisor or a regional coordinator) determines, with a panel, and decides appeals — never
an appeal against a determination they made or sat on. The assessment's states:
in progress → completed (or cancelled with a reason); the determination's: determined →
under appeal → appeal decided (or set aside, to be determined again); when its review date comes
the review is due, and a new assessment reviews it until that one's determination replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Tier
from qorgau.audit.services import record_event
from qorgau.best_interests.models import (
    COMMUNICATION_METHODS,
    FINDING_AREAS,
    Accommodation,
    BestInterestsAppeal,
    BestInterestsAssessment,
    BestInterestsDetermination,
    BestInterestsOption,
    ViewsLanguage,
    ViewsMethod,
)
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember

Assessment = BestInterestsAssessment
Determination = BestInterestsDetermination
Appeal = BestInterestsAppeal
AStatus = Assessment.Status
DStatus = Determination.Status

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


# Reads ----------------------------------------------------------------------------------------


def determination_in_force(case: Case) -> Determination | None:
    return (
        Determination.objects.filter(case=case)
        .exclude(status__in=Determination.ENDED)
        .first()
    )


def in_force_on(assessment: Assessment) -> Determination:
    """The determination in force on an assessment, for an appeal against it."""
    current = assessment.current_determination()
    if current is None:
        raise ServiceError(_("This assessment has no determination in force."))
    return current


def team_users(case: Case) -> list[User]:
    """The active case team: who may be named as having taken part or sat on the panel."""
    ids = CaseMember.objects.active().filter(case=case).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


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
        _set_status(in_force, DStatus.UNDER_REVIEW)
        _timeline(
            in_force.case_id, by, "review_started", determination=str(in_force.pk)
        )
    _timeline(case.pk, by, "started", assessment=str(assessment.pk))
    _audit("best_interests.start", assessment, by)
    return assessment


def _lock_assessment(
    assessment: Assessment, expected_version: int | None
) -> Assessment:
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
    current = _lock_assessment(assessment, expected_version)
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
        people = _team_members(
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
        _timeline(current.case_id, by, "updated", assessment=str(current.pk))
        _audit("best_interests.update", current, by, fields=sorted(changed))
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


def _team_members(case: Case, users: list[User], field: str) -> list[User]:
    team = {u.pk: u for u in team_users(case)}
    if any(u.pk not in team for u in users):
        raise ServiceError(
            _("Only members of the case team can be chosen here."), field=field
        )
    return [team[u.pk] for u in users]


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
    current = _lock_assessment(assessment, expected_version)
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
    _timeline(current.case_id, by, "option_added", assessment=str(current.pk))
    _audit("best_interests.option_add", current, by, option=str(added.pk))
    return added


@transaction.atomic
def remove_option(
    option: BestInterestsOption, *, by: User, expected_version: int | None = None
) -> Assessment:
    current = _lock_assessment(option.assessment, expected_version)
    require_write(by, current.case)
    _require_in_progress(current)
    BestInterestsOption.objects.filter(pk=option.pk).delete()
    _bump(current)
    _timeline(current.case_id, by, "option_removed", assessment=str(current.pk))
    _audit("best_interests.option_remove", current, by, option=str(option.pk))
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
    current = _lock_assessment(assessment, expected_version)
    require_write(by, current.case)
    _require_in_progress(current)
    _require_complete(current)
    current.status = AStatus.COMPLETED
    current.completed_by = by
    current.completed_at = timezone.now()
    current.version += 1
    current.updated_at = current.completed_at
    current.save()
    _timeline(current.case_id, by, "completed", assessment=str(current.pk))
    _audit("best_interests.complete", current, by)
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
    current = _lock_assessment(assessment, expected_version)
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
    _timeline(current.case_id, by, "cancelled", assessment=str(current.pk))
    _audit("best_interests.cancel", current, by)
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
    _set_status(reviewed, status)


# Determination --------------------------------------------------------------------------------


@dataclass
class Determining:
    """What a panel decides on a completed assessment."""

    option: BestInterestsOption | None
    reasons: str
    panel: list[User]
    panel_others: str = ""
    determined_on: date | None = None
    review_date: date | None = None
    explained_to_child: bool = False
    explanation_method: str = ""
    explanation_note: str = ""


def _require_determiner(user: User) -> None:
    if not user.capability.determines_best_interests:
        raise ServiceError(
            _(
                "Only a supervisor or a regional coordinator determines the child's best interests."
            )
        )


@transaction.atomic
def determine(
    assessment: Assessment, *, decision: Determining, by: User
) -> Determination:
    """Records the formal determination on a completed assessment."""
    current = _lock_assessment(assessment, None)
    require_write(by, current.case)
    _require_determiner(by)
    if current.status != AStatus.COMPLETED:
        raise ServiceError(_("Only a completed assessment can be determined."))
    if not current.awaits_determination():
        raise ServiceError(_("This assessment has been determined."))
    in_force = determination_in_force(current.case)
    if in_force is not None and in_force.pk != current.reviews_id:
        raise ServiceError(_("Another determination is in force for this child."))
    today = timezone.localdate()
    on = decision.determined_on or today
    review = decision.review_date or on + timedelta(
        days=settings.QORGAU_BEST_INTERESTS_REVIEW_DAYS
    )
    option = _check_determining(current, decision, on, review, today)
    panel = _team_members(current.case, decision.panel, "panel")
    set_aside = current.determinations.filter(
        status=DStatus.SET_ASIDE, replaced_by__isnull=True
    ).first()
    if current.reviews_id is not None:
        _set_status(
            Determination.objects.select_for_update().get(pk=current.reviews_id),
            DStatus.REPLACED,
        )
    made = Determination.objects.create(
        case_id=current.case_id,
        assessment=current,
        option=option,
        reasons=decision.reasons.strip(),
        determined_by=by,
        panel_others=decision.panel_others.strip(),
        determined_on=on,
        explained_to_child=decision.explained_to_child,
        explanation_method=decision.explanation_method
        if decision.explained_to_child
        else "",
        explanation_note=decision.explanation_note.strip(),
        review_date=review,
        replaces=set_aside,
    )
    made.panel.set(panel)
    _timeline(
        current.case_id, by, "determined",
        determination=str(made.pk), review_date=review.isoformat(),
    )  # fmt: skip
    _audit("best_interests.determine", current, by, determination=str(made.pk))
    owner = current.case.owner
    if owner.pk != by.pk and owner.is_active:
        notify(owner, kind="best_interests_determined", case_number=current.case.number)
    return made


def _check_determining(
    a: Assessment, d: Determining, on: date, review: date, today: date
) -> BestInterestsOption:
    """Refuses an incomplete or inconsistent determination; returns the option chosen."""
    option = d.option
    if option is None or option.assessment_id != a.pk:
        raise ServiceError(_("Choose one of the options considered."), field="option")
    if not d.reasons.strip():
        raise ServiceError(
            _("Give the reasons for the determination."), field="reasons"
        )
    if not d.panel and not d.panel_others.strip():
        raise ServiceError(
            _("Name the panel: a determination is never made by one person alone."),
            field="panel",
        )
    if on > today:
        raise ServiceError(
            _("The date cannot be in the future."), field="determined_on"
        )
    if a.completed_at is not None and on < timezone.localdate(a.completed_at):
        raise ServiceError(
            _("The determination cannot come before the assessment was completed."),
            field="determined_on",
        )
    if review <= on:
        raise ServiceError(
            _("The review date must come after the determination."), field="review_date"
        )
    explainable = {m.value for m in COMMUNICATION_METHODS}
    if d.explained_to_child and d.explanation_method not in explainable:
        raise ServiceError(
            _("Say how the decision was explained to the child."),
            field="explanation_method",
        )
    if not d.explained_to_child and not d.explanation_note.strip():
        raise ServiceError(
            _(
                "Say why the decision was not explained to the child, and when it will be."
            ),
            field="explanation_note",
        )
    return option


def _lock_determination(
    determination: Determination, expected_version: int | None
) -> Determination:
    current: Determination = (
        Determination.objects.select_for_update()
        .select_related("case")
        .get(pk=determination.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current.version)
    return current


@transaction.atomic
def lodge_appeal(
    determination: Determination,
    *,
    lodged_by: str,
    grounds: str,
    by: User,
    lodged_by_detail: str = "",
    lodged_on: date | None = None,
    expected_version: int | None = None,
) -> Appeal:
    """Records an appeal by the child, their legal representative or someone else."""
    current = _lock_determination(determination, expected_version)
    require_write(by, current.case)
    if current.status != DStatus.DETERMINED:
        raise ServiceError(
            _(
                "Only a determination that stands and has not been appealed can be appealed."
            )
        )
    if lodged_by not in Appeal.LodgedBy.values:
        raise ServiceError(_("Say who lodged the appeal."), field="lodged_by")
    if lodged_by == Appeal.LodgedBy.OTHER and not lodged_by_detail.strip():
        raise ServiceError(_("Say who lodged the appeal."), field="lodged_by_detail")
    today = timezone.localdate()
    on = lodged_on or today
    if on > today:
        raise ServiceError(_("The date cannot be in the future."), field="lodged_on")
    if on < current.determined_on:
        raise ServiceError(
            _("An appeal cannot come before the determination."), field="lodged_on"
        )
    if not grounds.strip():
        raise ServiceError(_("Give the grounds of the appeal."), field="grounds")
    appeal = Appeal.objects.create(
        determination=current,
        lodged_by=lodged_by,
        lodged_by_detail=lodged_by_detail.strip(),
        lodged_on=on,
        grounds=grounds.strip(),
        recorded_by=by,
    )
    _set_status(current, DStatus.UNDER_APPEAL)
    _timeline(
        current.case_id,
        by,
        "appealed",
        determination=str(current.pk),
        lodged_by=lodged_by,
    )
    _audit(
        "best_interests.appeal", current.assessment, by, determination=str(current.pk)
    )
    determiner = current.determined_by
    if determiner.pk != by.pk and determiner.is_active:
        notify(
            determiner, kind="best_interests_appealed", case_number=current.case.number
        )
    return appeal


@transaction.atomic
def decide_appeal(
    determination: Determination,
    *,
    outcome: str,
    reasons: str,
    by: User,
    option: BestInterestsOption | None = None,
    expected_version: int | None = None,
) -> Determination:
    """Upholds, changes (to another option considered) or overturns a determination under appeal.

    Whoever decides an appeal took no part in the determination appealed against.
    """
    current = _lock_determination(determination, expected_version)
    require_write(by, current.case)
    _require_determiner(by)
    if current.status != DStatus.UNDER_APPEAL:
        raise ServiceError(_("This determination is not under appeal."))
    if by.pk == current.determined_by_id or current.panel.filter(pk=by.pk).exists():
        raise ServiceError(
            _("An appeal is decided by someone who took no part in the determination.")
        )
    if outcome not in (
        Appeal.Outcome.UPHELD,
        Appeal.Outcome.CHANGED,
        Appeal.Outcome.OVERTURNED,
    ):
        raise ServiceError(_("Choose the outcome of the appeal."), field="outcome")
    if not reasons.strip():
        raise ServiceError(
            _("Give the reasons for the appeal decision."), field="reasons"
        )
    appeal = Appeal.objects.select_for_update().get(determination=current)
    if outcome == Appeal.Outcome.CHANGED:
        if option is None or option.assessment_id != current.assessment_id:
            raise ServiceError(
                _("Choose one of the options considered."), field="option"
            )
        if option.pk == current.option_id:
            raise ServiceError(
                _("A changed decision chooses another option; to keep it, uphold it."),
                field="option",
            )
        appeal.option_before_id = current.option_id
        current.option = option
    appeal.outcome = outcome
    appeal.decision_reasons = reasons.strip()
    appeal.decided_by = by
    appeal.decided_at = timezone.now()
    appeal.save()
    status = (
        DStatus.SET_ASIDE
        if outcome == Appeal.Outcome.OVERTURNED
        else DStatus.APPEAL_DECIDED
    )
    _set_status(current, status)
    _timeline(
        current.case_id,
        by,
        "appeal_decided",
        determination=str(current.pk),
        outcome=outcome,
    )
    _audit(
        "best_interests.appeal_decide", current.assessment, by,
        determination=str(current.pk), outcome=outcome,
    )  # fmt: skip
    return current


def _set_status(determination: Determination, status: str) -> None:
    determination.status = status
    determination.version += 1
    determination.save()


# Reviews --------------------------------------------------------------------------------------


def report_reviews_due(now: datetime | None = None) -> int:
    """Marks determinations whose review date has come and tells each case's owner, once.

    A determination under appeal waits for the appeal decision; closed cases are not reviewed.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Determination.objects.filter(
            status__in=Determination.SETTLED,
            review_notified_at__isnull=True,
            review_date__lte=today,
        )
        .exclude(case__status__in=Case.CLOSED_STATUSES)
        .select_related("case__owner")
    )
    reported = 0
    for determination in due[:500]:
        with transaction.atomic():
            claimed = Determination.objects.filter(
                pk=determination.pk,
                review_notified_at__isnull=True,
                status__in=Determination.SETTLED,
            ).update(
                review_notified_at=now,
                status=DStatus.REVIEW_DUE,
                version=F("version") + 1,
            )
            if not claimed:  # another sweep, or a review started meanwhile
                continue
            case = determination.case
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.BEST_INTERESTS,
                actor=None,
                params={"step": "review_due", "determination": str(determination.pk)},
            )
            if case.owner.is_active:
                notify(
                    case.owner,
                    kind="best_interests_review_due",
                    case_number=case.number,
                )
            reported += 1
    return reported


# Timeline and audit ---------------------------------------------------------------------------


def _timeline(case_id: int, by: User | None, step: str, **params: Any) -> None:
    CaseEvent.objects.create(
        case_id=case_id,
        kind=CaseEvent.Kind.BEST_INTERESTS,
        actor=by,
        params={"step": step, **params},
    )


def _audit(action: str, assessment: Assessment, by: User, **details: Any) -> None:
    record_event(
        action,
        by=by,
        object_type="best_interests_assessment",
        object_id=assessment.pk,
        case_id=assessment.case_id,
        tier=Tier.NARRATIVE,
        details=details,
    )
