"""What the plan services share: the timeline entry, the audit event and the tier checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.audit.services import record_event
from qorgau.cases.access import CaseAccess, require_write
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseEvent

if TYPE_CHECKING:
    from qorgau.agencies.models import User


def require_writer(
    by: User, case: Case, *, tier: int, refusal: Any = None
) -> CaseAccess:
    """A change by someone who may change the case and read what they write (`tier`)."""
    access = require_write(by, case)
    if access.max_tier < tier:
        raise ServiceError(
            refusal
            or _("Your access to this case does not reach what this record holds.")
        )
    return access


def timeline(case_id: int, step: str, by: User | None, **params: Any) -> None:
    """A plan event on the case's timeline; its parameters are codes, never personal data."""
    CaseEvent.objects.create(
        case_id=case_id,
        kind=CaseEvent.Kind.PLAN,
        actor=by,
        params={"step": step, **params},
    )
    Case.objects.filter(pk=case_id).update(updated_at=timezone.now())


def audit(
    action: str,
    *,
    by: User | None,
    object_type: str,
    object_id: object,
    case_id: int,
    tier: int | None = None,
    **details: Any,
) -> None:
    record_event(
        action,
        by=by,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        tier=tier,
        details=details,
    )


def check_version(current_version: int, expected: int | None) -> None:
    from qorgau.cases.errors import StaleEdit

    if expected is not None and current_version != expected:
        raise StaleEdit(current_version)
