"""Who may see a referral: the referring side through the case, the receiving side through the inbox.

A referral is itself a record about a child (its case number, reasons and message), so it is
read through here only, answers 404 to anyone else and leaves an audit event. What of the case
the recipient may then see is decided by the case access layer (`Basis.REFERRAL`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from qorgau.agencies.models import User
from qorgau.audit.services import record_event, record_event_after_request
from qorgau.cases.access import CaseAccess, effective_access
from qorgau.referrals.models import Referral
from qorgau.referrals.services import acts_for_recipient


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    case_access: CaseAccess | None  # None: the user sees the referral, not the case
    as_recipient: bool

    @property
    def sees_message(self) -> bool:
        return self.as_recipient or self.case_access is not None


def inbox_of_organisation(user: User) -> QuerySet[Referral]:
    """Referrals received by the user's organisation, if the user acts on its inbox."""
    if (
        not user.is_active
        or user.organisation_id is None
        or not user.capability.receives_referrals
    ):
        return Referral.objects.none()
    return Referral.objects.filter(to_organisation_id=user.organisation_id).exclude(
        status=Referral.Status.DRAFT
    )


def inbox_of_person(user: User) -> QuerySet[Referral]:
    if not user.is_active or user.organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        to_user=user, to_organisation_id=user.organisation_id
    ).exclude(status=Referral.Status.DRAFT)


def sent_by_organisation(user: User) -> QuerySet[Referral]:
    """Referrals of the cases the user may see, sent by the user's organisation."""
    if user.organisation_id is None:
        return Referral.objects.none()
    from qorgau.cases.models import Case

    return Referral.objects.filter(
        from_organisation_id=user.organisation_id,
        case__in=Case.objects.visible_to(user, ordered=False),
    )


def access_referral(
    user: User, pk: object, *, audit: str | None = "referral.read"
) -> ReferralAccess:
    """Loads one referral for a user or answers 404, whether it is absent or out of reach."""
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise Http404 from None
    referral = (
        Referral.objects.select_related(
            "case", "from_organisation", "to_organisation", "to_user", "created_by"
        )
        .filter(pk=key)
        .first()
    )
    if referral is None:
        record_event_after_request(
            "referral.denied", by=user, object_type="referral", object_id=key
        )
        raise Http404
    as_recipient = (
        acts_for_recipient(user, referral) and referral.status != Referral.Status.DRAFT
    )
    case_access = effective_access(user, referral.case)
    if case_access is None and not as_recipient:
        record_event_after_request(
            "referral.denied",
            by=user,
            object_type="referral",
            object_id=key,
            case_id=referral.case_id,
        )
        raise Http404
    if audit:
        record_event(
            audit,
            by=user,
            object_type="referral",
            object_id=referral.pk,
            case_id=referral.case_id,
            tier=case_access.max_tier if case_access else None,
            purpose=case_access.basis if case_access else "inbox",
        )
    return ReferralAccess(referral, case_access, as_recipient)
