"""What the best-interests services share: lookups, the timeline, the audit trail."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.agencies.roles import Tier
from qorgau.audit.services import record_event
from qorgau.best_interests.models import (
    BestInterestsAppeal,
    BestInterestsAssessment,
    BestInterestsDetermination,
)
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseEvent, CaseMember

Assessment = BestInterestsAssessment
Determination = BestInterestsDetermination
Appeal = BestInterestsAppeal
AStatus = Assessment.Status
DStatus = Determination.Status


# Reads ----------------------------------------------------------------------------------------


def determination_in_force(case: Case) -> Determination | None:
    return (
        Determination.objects.filter(case=case)
        .exclude(status__in=Determination.ENDED)
        .first()
    )


def team_users(case: Case) -> list[User]:
    """The active case team: who may be named as having taken part or sat on the panel."""
    ids = CaseMember.objects.active().filter(case=case).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def team_members(case: Case, users: list[User], field: str) -> list[User]:
    team = {u.pk: u for u in team_users(case)}
    if any(u.pk not in team for u in users):
        raise ServiceError(
            _("Only members of the case team can be chosen here."), field=field
        )
    return [team[u.pk] for u in users]


def set_status(determination: Determination, status: str) -> None:
    determination.status = status
    determination.version += 1
    determination.save()


# Timeline and audit ---------------------------------------------------------------------------


def add_to_timeline(case_id: int, by: User | None, step: str, **params: Any) -> None:
    CaseEvent.objects.create(
        case_id=case_id,
        kind=CaseEvent.Kind.BEST_INTERESTS,
        actor=by,
        params={"step": step, **params},
    )


def audit_step(action: str, assessment: Assessment, by: User, **details: Any) -> None:
    record_event(
        action,
        by=by,
        object_type="best_interests_assessment",
        object_id=assessment.pk,
        case_id=assessment.case_id,
        tier=Tier.NARRATIVE,
        details=details,
    )
