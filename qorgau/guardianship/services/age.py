"""The child's age: assessments and the presumption of minority (minority.py).

A child whose age is uncertain is presumed a minor from the moment the case is opened;
recorded assessments can confirm the presumption or, when documents show an age of 18 or
more, lift it. Assessments are never edited: a new one is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.services import record_event
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseEvent, Person
from qorgau.guardianship.minority import (
    Minority,
    minority,
)
from qorgau.guardianship.models import AgeAssessment

Conclusion = AgeAssessment.Conclusion
# Assessing a child's age and recording legal acts of appointment is for the professionals
# who run cases; a screener (a teacher, a nurse) may still ask for a guardian.
RECORDING_ROLES = (
    Role.CASEWORKER,
    Role.SUPERVISOR,
    Role.POLICE_INVESTIGATOR,
    Role.REGIONAL_COORDINATOR,
)


def may_record(user: User) -> bool:
    return user.has_role(*RECORDING_ROLES)


def require_recorder(user: User) -> None:
    if not may_record(user):
        raise ServiceError(
            _(
                "Your role does not record age assessments or appointments: ask the child's caseworker."
            )
        )


@dataclass(frozen=True)
class AgeStatus:
    """What is known of a child's age, and whether they are presumed a minor."""

    minority: Minority
    latest: AgeAssessment | None
    documented_birth_date: date | None

    @property
    def presumed(self) -> bool:
        return self.minority == Minority.PRESUMED

    @property
    def label(self) -> str:
        return str(self.minority.label)


def age_status(person: Person, *, today: date | None = None) -> AgeStatus:
    """The presumption rule applied to a child's record and every assessment of their age."""
    assessments = list(AgeAssessment.objects.filter(person=person))  # newest first
    latest = assessments[0] if assessments else None
    documented = next(
        (a for a in assessments if a.conclusion == Conclusion.DOCUMENTED), None
    )
    born = documented.documented_birth_date_value if documented else None
    if documented is None and person.age_assessment == Person.AgeAssessment.DOCUMENTED:
        born = person.birth_date_value
    state = minority(
        documented_birth_date=born,
        latest=latest.finding if latest else None,
        today=today or timezone.localdate(),
    )
    return AgeStatus(state, latest, born)


def presume_minority(case: Case, *, by: User | None, cause: str) -> None:
    """Records that the child is treated as a child, on the record, the timeline and the audit."""
    person = Person.objects.select_for_update().get(pk=case.child_id)
    if person.age_assessment != Person.AgeAssessment.PRESUMED_MINOR:
        person.age_assessment = Person.AgeAssessment.PRESUMED_MINOR
        _save_person(person, ["age_assessment"])
        case.child.age_assessment, case.child.version = (
            person.age_assessment,
            person.version,
        )
    _event(case, CaseEvent.Kind.AGE_ASSESSMENT, by, step="presumed", cause=cause)
    record_event(
        "age.presume",
        by=by,
        object_type="person",
        object_id=person.pk,
        case_id=case.pk,
        tier=Tier.IDENTITY,
        details={"cause": cause},
    )


def _save_person(person: Person, fields: list[str]) -> None:
    person.version += 1
    person.updated_at = timezone.now()
    person.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def record_age_assessment(
    case: Case,
    *,
    method: str,
    conclusion: str,
    assessing_organisation: Organisation,
    assessed_on: date,
    reasons: str,
    by: User,
    age_min: int | None = None,
    age_max: int | None = None,
    documented_birth_date: date | None = None,
) -> AgeAssessment:
    """Records an assessment of the case child's age and applies what follows from it."""
    require_write(by, case)
    require_recorder(by)
    age_min, age_max = _check_assessment(
        method,
        conclusion,
        assessed_on,
        reasons,
        age_min,
        age_max,
        documented_birth_date,
    )
    if not assessing_organisation.is_active:
        raise ServiceError(
            _("Choose an active organisation."), field="assessing_organisation"
        )
    before = age_status(case.child)
    assessment = AgeAssessment.objects.create(
        case=case,
        person_id=case.child_id,
        method=method,
        conclusion=conclusion,
        documented_birth_date=documented_birth_date.isoformat()
        if documented_birth_date
        else "",
        age_min=age_min,
        age_max=age_max,
        assessing_organisation=assessing_organisation,
        assessed_on=assessed_on,
        reasons=reasons.strip(),
        recorded_by=by,
    )
    after = age_status(case.child)
    _event(
        case,
        CaseEvent.Kind.AGE_ASSESSMENT,
        by,
        step="recorded",
        method=method,
        conclusion=conclusion,
        age_min=age_min,
        age_max=age_max,
        minority=after.minority,
    )
    record_event(
        "age.assess",
        by=by,
        object_type="age_assessment",
        object_id=assessment.pk,
        case_id=case.pk,
        tier=assessment.reasons_tier,
        details={"conclusion": conclusion, "minority": str(after.minority)},
    )
    _follow_assessment(case, assessment, before, after, by)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return assessment


def _check_assessment(
    method: str,
    conclusion: str,
    assessed_on: date,
    reasons: str,
    age_min: int | None,
    age_max: int | None,
    born: date | None,
) -> tuple[int | None, int | None]:
    if method not in AgeAssessment.Method.values:
        raise ServiceError(_("Choose how the age was assessed."), field="method")
    if conclusion not in Conclusion.values:
        raise ServiceError(_("Choose the conclusion."), field="conclusion")
    if assessed_on > timezone.localdate():
        raise ServiceError(
            _("The assessment cannot be dated in the future."), field="assessed_on"
        )
    if not reasons.strip():
        raise ServiceError(
            _("Say what the assessment rests on (documents seen, findings)."),
            field="reasons",
        )
    if conclusion == Conclusion.DOCUMENTED:
        if method != AgeAssessment.Method.DOCUMENTS:
            raise ServiceError(
                _("Only documents establish a documented age."), field="method"
            )
        if born is None or born > assessed_on:
            raise ServiceError(
                _("Give the date of birth the documents show."),
                field="documented_birth_date",
            )
        return None, None  # the date itself says the age
    if (age_min is None) != (age_max is None) or (
        conclusion == Conclusion.ESTIMATED and age_min is None
    ):
        raise ServiceError(
            _("Give the estimated age range: the youngest and the oldest age."),
            field="age_min",
        )
    if (
        age_min is not None
        and age_max is not None
        and not 0 <= age_min <= age_max <= 30
    ):
        raise ServiceError(
            _("The youngest age must not be above the oldest, and neither above 30."),
            field="age_min",
        )
    return age_min, age_max


def _follow_assessment(
    case: Case,
    assessment: AgeAssessment,
    before: AgeStatus,
    after: AgeStatus,
    by: User,
) -> None:
    """Brings the child's record in line with the assessment, and notes any change of presumption."""
    person = Person.objects.select_for_update().get(pk=case.child_id)
    fields: list[str] = []
    born = after.documented_birth_date
    if (
        assessment.conclusion == Conclusion.DOCUMENTED
        and born is not None
        and person.birth_date != born.isoformat()
    ):
        # The latest documents decide the date of birth on the child's record.
        person.birth_date, person.birth_year = born.isoformat(), born.year
        fields += ["birth_date", "birth_year"]
    elif assessment.age_min is not None and not person.birth_date:
        # Benefit of the doubt: the record carries the youngest plausible age.
        person.birth_year = assessment.assessed_on.year - assessment.age_min
        fields.append("birth_year")
    wanted = (
        Person.AgeAssessment.PRESUMED_MINOR
        if after.presumed
        else Person.AgeAssessment.DOCUMENTED
    )
    if person.age_assessment != wanted:
        person.age_assessment = wanted
        fields.append("age_assessment")
    if fields:
        _save_person(person, fields)
    if after.presumed and not before.presumed:
        presume_minority(case, by=by, cause="assessment")
    elif before.presumed and after.minority == Minority.DOCUMENTED_ADULT:
        _event(case, CaseEvent.Kind.AGE_ASSESSMENT, by, step="lifted")
        record_event(
            "age.presumption_lift",
            by=by,
            object_type="person",
            object_id=person.pk,
            case_id=case.pk,
            tier=Tier.IDENTITY,
        )


def _event(case: Case, kind: str, by: User | None, **params: Any) -> None:
    CaseEvent.objects.create(case=case, kind=kind, actor=by, params=params)
