"""Best-interests determinations, their appeals and their reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.agencies.notifications import notify
from qorgau.best_interests.models import (
    COMMUNICATION_METHODS,
    BestInterestsOption,
)
from qorgau.best_interests.services.assessments import lock_assessment
from qorgau.best_interests.services.common import (
    Appeal,
    Assessment,
    AStatus,
    Determination,
    DStatus,
    add_to_timeline,
    audit_step,
    determination_in_force,
    set_status,
    team_members,
)
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent


def in_force_on(assessment: Assessment) -> Determination:
    """The determination in force on an assessment, for an appeal against it."""
    current = assessment.current_determination()
    if current is None:
        raise ServiceError(_("This assessment has no determination in force."))
    return current


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
    current = lock_assessment(assessment, None)
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
    panel = team_members(current.case, decision.panel, "panel")
    set_aside = current.determinations.filter(
        status=DStatus.SET_ASIDE, replaced_by__isnull=True
    ).first()
    if current.reviews_id is not None:
        set_status(
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
    add_to_timeline(
        current.case_id, by, "determined",
        determination=str(made.pk), review_date=review.isoformat(),
    )  # fmt: skip
    audit_step("best_interests.determine", current, by, determination=str(made.pk))
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
    set_status(current, DStatus.UNDER_APPEAL)
    add_to_timeline(
        current.case_id,
        by,
        "appealed",
        determination=str(current.pk),
        lodged_by=lodged_by,
    )
    audit_step(
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
    set_status(current, status)
    add_to_timeline(
        current.case_id,
        by,
        "appeal_decided",
        determination=str(current.pk),
        outcome=outcome,
    )
    audit_step(
        "best_interests.appeal_decide", current.assessment, by,
        determination=str(current.pk), outcome=outcome,
    )  # fmt: skip
    return current


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
