"""Risk assessments and safety plans: atomic, checked, on the timeline and audited.

Risk is assessed by staff whose access reaches health details (tier 3), because one of the
areas is the child's own health and safety. A finalised assessment is never changed; the next
one supersedes it and sets the date of the one after (QORGAU_RISK_REVIEW_DAYS by level). A high
overall risk raises the case's priority to at least high. The safety plan follows the latest
finalised assessment and is saved as a new version each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Tier
from qorgau.cases import services as case_services
from qorgau.cases.access import CaseAccess
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case
from qorgau.plans.models import (
    AREA_TIER,
    Area,
    Level,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
    factors_field,
    level_field,
)
from qorgau.plans.rules import review_due
from qorgau.plans.services.common import audit, check_version, require_writer, timeline

ASSESSOR_REFUSAL = _(
    "Risk is assessed by staff whose access reaches health details (caseworkers, "
    "supervisors, investigators)."
)


@dataclass(frozen=True)
class Rating:
    """One area's level and the factors behind it."""

    level: str = Level.NOT_ASSESSED
    factors: str = ""


def _require_assessor(by: User, case: Case) -> CaseAccess:
    return require_writer(by, case, tier=Tier.HEALTH, refusal=ASSESSOR_REFUSAL)


def _apply_ratings(
    assessment: RiskAssessment, ratings: Mapping[str, Rating], access: CaseAccess
) -> None:
    for area, rating in ratings.items():
        if area not in Area.values:
            raise ServiceError(_("Unknown risk area."), field="ratings")
        if rating.level not in Level.values:
            raise ServiceError(
                _("Choose a level for each risk area."), field=level_field(area)
            )
        factors = rating.factors.strip()
        if factors and not access.sees_tier(AREA_TIER[area]):
            raise ServiceError(
                _("You cannot write factors at this sensitivity level."),
                field=factors_field(area),
            )
        setattr(assessment, level_field(area), rating.level)
        if access.sees_tier(AREA_TIER[area]):
            setattr(assessment, factors_field(area), factors)
    assessment.overall_level = assessment.derive_overall()


@transaction.atomic
def start_risk_assessment(
    case: Case,
    *,
    ratings: Mapping[str, Rating],
    by: User,
    finalise: bool = False,
    review_date: date | None = None,
) -> RiskAssessment:
    """Writes a new assessment, as a draft or finalised at once."""
    access = _require_assessor(by, case)
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one writer at a time
    if case.risk_assessments.filter(status=RiskAssessment.Status.DRAFT).exists():
        raise ServiceError(
            _("A draft risk assessment is already open: continue it or discard it.")
        )
    now = timezone.now()
    assessment = RiskAssessment(
        case=case, created_by=by, created_at=now, updated_at=now
    )
    _apply_ratings(assessment, ratings, access)
    assessment.save()
    audit(
        "risk.create",
        by=by,
        object_type="risk_assessment",
        object_id=assessment.pk,
        case_id=case.pk,
        tier=Tier.HEALTH,
    )
    if finalise:
        return finalise_risk_assessment(assessment, by=by, review_date=review_date)
    timeline(case.pk, "risk_draft", by)
    return assessment


def _lock(assessment: RiskAssessment, expected_version: int | None) -> RiskAssessment:
    current: RiskAssessment = (
        RiskAssessment.objects.select_for_update()
        .select_related("case")
        .get(pk=assessment.pk)
    )
    check_version(current.version, expected_version)
    return current


def _require_draft(assessment: RiskAssessment) -> None:
    if not assessment.is_draft:
        raise ServiceError(
            _("A finalised risk assessment is never changed: write a new one.")
        )


@transaction.atomic
def update_risk_assessment(
    assessment: RiskAssessment,
    *,
    ratings: Mapping[str, Rating],
    by: User,
    expected_version: int | None,
) -> RiskAssessment:
    """Changes a draft; refused when someone saved it meanwhile."""
    current = _lock(assessment, expected_version)
    access = _require_assessor(by, current.case)
    _require_draft(current)
    _apply_ratings(current, ratings, access)
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    audit(
        "risk.update",
        by=by,
        object_type="risk_assessment",
        object_id=current.pk,
        case_id=current.case_id,
        tier=Tier.HEALTH,
    )
    return current


def _check_complete(assessment: RiskAssessment) -> None:
    if assessment.derive_overall() == Level.NOT_ASSESSED:
        raise ServiceError(
            _("Assess at least one risk area before finalising."),
            field=level_field(Area.RE_TRAFFICKING),
        )
    for area in Area.values:
        if assessment.level_of(area) in (Level.MEDIUM, Level.HIGH) and not (
            assessment.factors_of(area).strip()
        ):
            raise ServiceError(
                _("Describe the factors behind each medium or high risk: %(area)s.")
                % {"area": Area(area).label},
                field=factors_field(area),
            )


@transaction.atomic
def finalise_risk_assessment(
    assessment: RiskAssessment,
    *,
    by: User,
    expected_version: int | None = None,
    review_date: date | None = None,
) -> RiskAssessment:
    """Finalises a draft: it supersedes the case's previous assessment and can no longer change.

    The next review is due QORGAU_RISK_REVIEW_DAYS[level] days later; an assessor may set an
    earlier date, never a later one. A high overall risk raises the case's priority.
    """
    current = _lock(assessment, expected_version)
    _require_assessor(by, current.case)
    _require_draft(current)
    _check_complete(current)
    now = timezone.now()
    today = timezone.localdate(now)
    overall = current.derive_overall()
    latest = review_due(today, overall, settings.QORGAU_RISK_REVIEW_DAYS)
    if review_date is not None and not today <= review_date <= latest:
        raise ServiceError(
            _("The review date must be between today and %(latest)s.")
            % {"latest": formats.date_format(latest, "SHORT_DATE_FORMAT")},
            field="review_date",
        )
    RiskAssessment.objects.current().filter(case_id=current.case_id).update(
        superseded_at=now
    )
    current.status = RiskAssessment.Status.FINAL
    current.overall_level = overall
    current.assessed_by, current.assessed_at = by, now
    current.next_review_date = review_date or latest
    current.updated_at = now
    current.version += 1
    current.save()
    raised = overall == Level.HIGH and _raise_priority(current.case, by)
    timeline(
        current.case_id,
        "risk_finalised",
        by,
        level=overall,
        priority_raised=raised,
        review=current.next_review_date.isoformat(),
    )
    audit(
        "risk.finalise",
        by=by,
        object_type="risk_assessment",
        object_id=current.pk,
        case_id=current.case_id,
        tier=Tier.HEALTH,
        level=overall,
    )
    case = current.case
    if overall == Level.HIGH and case.owner_id != by.pk:
        notify(case.owner, kind="risk_high", case_number=case.number)
    return current


def _raise_priority(case: Case, by: User) -> bool:
    """Raises the case's priority to high unless it is already high or urgent."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    rank = Case.PRIORITY_RANK
    if rank[Case.Priority(locked.priority)] <= rank[Case.Priority.HIGH]:
        return False
    case_services.update_case(
        locked,
        changes={"priority": Case.Priority.HIGH},
        expected_version=locked.version,
        by=by,
    )
    return True


@transaction.atomic
def discard_risk_assessment(
    assessment: RiskAssessment, *, by: User, expected_version: int | None = None
) -> RiskAssessment:
    """Sets a draft aside; it stays on record, marked discarded."""
    current = _lock(assessment, expected_version)
    _require_assessor(by, current.case)
    _require_draft(current)
    current.status = RiskAssessment.Status.DISCARDED
    current.updated_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "updated_at", "version"])
    timeline(current.case_id, "risk_discarded", by)
    audit(
        "risk.discard",
        by=by,
        object_type="risk_assessment",
        object_id=current.pk,
        case_id=current.case_id,
    )
    return current


def report_overdue_risk_reviews(now: datetime | None = None) -> int:
    """Tells each case's owner, once, that its current risk assessment is past its review
    date. Returns how many assessments were reported."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        RiskAssessment.objects.current()
        .filter(next_review_date__lt=today, review_reported_at__isnull=True)
        .exclude(case__status__in=Case.CLOSED_STATUSES)
        .select_related("case__owner")
    )
    reported = 0
    for assessment in due[:500]:
        with transaction.atomic():
            claimed = RiskAssessment.objects.filter(
                pk=assessment.pk, review_reported_at__isnull=True
            ).update(review_reported_at=now)
            if not claimed:  # another sweep got there first
                continue
            case = assessment.case
            timeline(case.pk, "risk_review_overdue", None)
            if case.owner.is_active:
                notify(case.owner, kind="risk_review_overdue", case_number=case.number)
            reported += 1
    return reported


# --- safety plans ---------------------------------------------------------------------------


@dataclass
class MeasureDetails:
    action: str
    area: str
    responsible_organisation: Organisation
    responsible_person: User | None = None
    due_date: date | None = None
    status: str = SafetyMeasure.Status.PLANNED


@dataclass
class SafetyPlanDetails:
    emergency_contacts: str
    safe_places: str = ""
    review_date: date | None = None
    measures: list[MeasureDetails] = field(default_factory=list)


def _check_measure(n: int, measure: MeasureDetails) -> None:
    where = f"measures.{n}"
    if not measure.action.strip():
        raise ServiceError(_("Say what each measure is."), field=f"{where}.action")
    if measure.area not in Area.values:
        raise ServiceError(
            _("Choose the risk each measure addresses."), field=f"{where}.area"
        )
    if measure.status not in SafetyMeasure.Status.values:
        raise ServiceError(_("Unknown status."), field=f"{where}.status")
    if not measure.responsible_organisation.is_active:
        raise ServiceError(
            _("The responsible organisation is no longer active."),
            field=f"{where}.responsible_organisation",
        )
    person = measure.responsible_person
    if person is not None and (
        not person.is_active
        or person.organisation_id != measure.responsible_organisation.pk
    ):
        raise ServiceError(
            _("The responsible person must work for the responsible organisation."),
            field=f"{where}.responsible_person",
        )


@transaction.atomic
def save_safety_plan(
    case: Case, *, details: SafetyPlanDetails, by: User, expected_version: int
) -> SafetyPlan:
    """Saves the next version of the case's safety plan, superseding the current one.

    `expected_version` is the version the editor started from (0 for the first plan); a plan
    saved by someone else meanwhile makes this one stale.
    """
    require_writer(by, case, tier=Tier.NARRATIVE)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    current = case.safety_plans.current().first()
    check_version(current.version if current else 0, expected_version)
    assessment = RiskAssessment.objects.current().filter(case=case).first()
    if assessment is None:
        raise ServiceError(
            _(
                "A safety plan follows a finalised risk assessment: assess the risks first."
            )
        )
    if not details.emergency_contacts.strip():
        raise ServiceError(
            _("Write at least one emergency contact."), field="emergency_contacts"
        )
    if not details.measures:
        raise ServiceError(_("Plan at least one measure."), field="measures")
    for n, measure in enumerate(details.measures):
        _check_measure(n, measure)
    now = timezone.now()
    today = timezone.localdate(now)
    # By default the plan is reviewed with the risks, or today if that review is already late.
    review_date = details.review_date or max(
        assessment.next_review_date or today, today
    )
    if review_date < today:
        raise ServiceError(
            _("The review date cannot be in the past."), field="review_date"
        )
    if current is not None:
        SafetyPlan.objects.filter(pk=current.pk).update(superseded_at=now)
    plan = SafetyPlan.objects.create(
        case=case,
        version=(current.version if current else 0) + 1,
        risk_assessment=assessment,
        emergency_contacts=details.emergency_contacts.strip(),
        safe_places=details.safe_places.strip(),
        review_date=review_date,
        created_by=by,
        created_at=now,
    )
    for n, measure in enumerate(details.measures):
        SafetyMeasure.objects.create(
            plan=plan,
            position=n,
            action=measure.action.strip(),
            area=measure.area,
            responsible_organisation=measure.responsible_organisation,
            responsible_person=measure.responsible_person,
            due_date=measure.due_date,
            status=measure.status,
            status_changed_at=now,
        )
    timeline(
        case.pk,
        "safety_plan_saved",
        by,
        version=plan.version,
        measures=len(details.measures),
    )
    audit(
        "safety_plan.save",
        by=by,
        object_type="safety_plan",
        object_id=plan.pk,
        case_id=case.pk,
        tier=Tier.NARRATIVE,
        version=plan.version,
    )
    return plan


@transaction.atomic
def change_measure_status(
    measure: SafetyMeasure,
    *,
    status: str,
    by: User,
    expected_version: int | None = None,
) -> SafetyMeasure:
    """Moves a measure of the current plan on: planned → in place → ended (or planned → ended)."""
    current: SafetyMeasure = (
        SafetyMeasure.objects.select_for_update()
        .select_related("plan__case")
        .get(pk=measure.pk)
    )
    check_version(current.version, expected_version)
    require_writer(by, current.plan.case, tier=Tier.NARRATIVE)
    if not current.plan.is_current:
        raise ServiceError(_("This safety plan was replaced by a newer version."))
    if status not in SafetyMeasure.NEXT[current.status]:
        raise ServiceError(
            _("A measure that is “%(old)s” cannot become “%(new)s”.")
            % {
                "old": current.get_status_display(),
                "new": SafetyMeasure.Status(status).label
                if status in SafetyMeasure.Status.values
                else status,
            },
            field="status",
        )
    current.status = status
    current.status_changed_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "status_changed_at", "version"])
    case_id = current.plan.case_id
    timeline(case_id, "measure_status", by, area=current.area, status=status)
    audit(
        "safety_measure.status",
        by=by,
        object_type="safety_measure",
        object_id=current.pk,
        case_id=case_id,
        status=status,
    )
    return current
