"""The one access layer for children's data: every page, endpoint, export and search goes through here.

`Case.objects.visible_to(user)` scopes lists; `access_case` and `access_person` load one record for a
user or raise. A record that does not exist and a record the user may not see both answer 404 (the
same error, so existence is never confirmed); a write by someone who may only read answers 403.
Everything fails closed: a user without an organisation, an inactive user or a role with no case
rights sees nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from qorgau.agencies.roles import Tier
from qorgau.audit.services import record_event, record_event_after_request
from qorgau.cases.models import (
    Case,
    CaseAccessGrant,
    CaseMember,
    CaseNote,
    CaseParticipant,
    Person,
)

if TYPE_CHECKING:
    from qorgau.agencies.models import User


class Basis:
    TEAM = "team"
    ORGANISATION = "organisation"
    REGION = "region"
    NATIONAL = "national"
    GRANT = "grant"
    REFERRAL = "referral"
    BREAK_GLASS = "break_glass"


@dataclass(frozen=True)
class CaseAccess:
    """A user's right to one case, as proven by the access layer."""

    case: Case
    user: User
    max_tier: int
    can_write: bool
    basis: str
    member: CaseMember | None = None
    break_glass: CaseAccessGrant | None = None

    @property
    def break_glass_id(self) -> int | None:
        return self.break_glass.pk if self.break_glass else None

    @property
    def max_tier_label(self) -> str:
        return str(Tier(self.max_tier).label)

    def sees_tier(self, tier: int) -> bool:
        return tier <= self.max_tier

    def notes(self) -> list[CaseNote]:
        return list(
            self.case.notes.filter(tier__lte=self.max_tier).select_related("author")
        )

    def participants(self) -> list[CaseParticipant]:
        rows = self.case.participants.select_related("person").order_by("added_at")
        return [p for p in rows if self.sees_tier(p.tier)]


def _is_usable(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.capability.max_tier
    )


# A user on more teams than this sees a dense slice of all cases: reading cases newest first and
# testing each is then faster than gathering their ids and sorting them (bench/: 5 ms against 190 ms
# for 21,000 of 1,000,000 cases); for a sparse slice it is the other way round.
DENSE_MEMBERSHIPS = 500


def case_scope(user: User, *, ordered: bool = True) -> Q | None:
    """The cases a user may see, as a filter; None when the user may see no case at all.

    `ordered=False` is for counting: with no newest-first order to keep, gathering a team
    member's case ids beats testing each case even when they are many.
    """
    if not _is_usable(user):
        return None
    cap = user.capability
    if cap.sees_all_cases:
        return Q()
    memberships = CaseMember.objects.active().filter(user=user)
    grants = CaseAccessGrant.objects.current().filter(
        Q(user=user) | Q(organisation_id=user.organisation_id)
    )
    referrals = referrals_open_to(user)
    org_members = CaseMember.objects.active().filter(
        user__organisation=user.organisation
    )
    region = user.effective_region
    region = region if cap.sees_region_cases else None
    wide = cap.sees_organisation_cases or region is not None
    dense = wide or (
        ordered and memberships[:DENSE_MEMBERSHIPS].count() == DENSE_MEMBERSHIPS
    )
    if dense:
        return _scope_by_test(user, memberships, grants, referrals, org_members, region)
    return _scope_by_ids(memberships, grants, referrals)


def referrals_open_to(user: User) -> QuerySet[Any]:
    """Referrals whose recipient side this user acts for, while they are open to the recipient.

    Until someone of the recipient organisation joins the case team, this is their only way
    in, and it reaches only the tiers the referral shares.
    """
    from qorgau.referrals.models import Referral

    open_ones = Referral.objects.filter(status__in=Referral.OPEN_TO_RECIPIENT)
    if user.capability.receives_referrals:
        return open_ones.filter(to_organisation_id=user.organisation_id)
    return open_ones.filter(to_user=user)


def _scope_by_test(
    user: User,
    memberships: QuerySet[Any],
    grants: QuerySet[Any],
    referrals: QuerySet[Any],
    org_members: QuerySet[Any],
    region: Any,
) -> Q:
    """Each case tested for each reason to see it (EXISTS), so the newest-first index can be read in order."""
    scope = (
        Q(Exists(memberships.filter(case=OuterRef("pk"))))
        | Q(Exists(grants.filter(case=OuterRef("pk"))))
        | Q(Exists(referrals.filter(case=OuterRef("pk"))))
    )
    if user.capability.sees_organisation_cases:
        scope |= Q(lead_organisation_id=user.organisation_id)
        scope |= Q(Exists(org_members.filter(case=OuterRef("pk"))))
    if region is not None:
        scope |= Q(region=region)
    return scope


def _scope_by_ids(
    memberships: QuerySet[Any], grants: QuerySet[Any], referrals: QuerySet[Any]
) -> Q:
    """The few cases of a sparse user, gathered into one `id IN (… UNION …)`."""
    return Q(
        pk__in=memberships.values("case_id").union(
            grants.values("case_id"), referrals.values("case_id")
        )
    )


def count_visible_cases(user: User, *, at_most: int) -> int:
    """How many cases the user may see, counted up to `at_most`.

    A caseworker on thousands of cases (their own, and those referred to their organisation)
    is told "more than 1,000" as soon as one reason alone gives that many, without the
    database gathering and de-duplicating every case id of every reason first.
    """
    scope = case_scope(user, ordered=False)
    if scope is None:
        return 0
    cap = user.capability
    if not (cap.sees_all_cases or cap.sees_organisation_cases or cap.sees_region_cases):
        reasons = (
            CaseMember.objects.active().filter(user=user),
            referrals_open_to(user),
        )
        for rows in reasons:
            if rows.values("case_id").distinct()[:at_most].count() >= at_most:
                return at_most
    return int(Case.objects.filter(scope)[:at_most].count())


def cases_on_my_teams(user: User) -> QuerySet[Any]:
    """The open cases the user is on the team of, for "My work".

    Membership is itself a reason to see a case, so each case is tested for it alone, down the
    newest-first index, without the wider scope of `visible_cases`.
    """
    if not _is_usable(user):
        return Case.objects.none()
    on_team = CaseMember.objects.active().filter(user=user, case=OuterRef("pk"))
    return Case.objects.open().filter(Exists(on_team))


def count_cases_on_my_teams(user: User, *, at_most: int) -> int:
    """How many of `cases_on_my_teams` there are, up to `at_most`, counted from the user's
    memberships (the database stops at the cap) rather than from the cases table."""
    if not _is_usable(user):
        return 0
    memberships = (
        CaseMember.objects.active()
        .filter(user=user)
        .exclude(case__status__in=Case.CLOSED_STATUSES)
    )
    return int(memberships[:at_most].count())


def visible_cases(user: User, *, ordered: bool = True) -> QuerySet[Any]:
    scope = case_scope(user, ordered=ordered)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def effective_access(user: User, case: Case) -> CaseAccess | None:
    """What the user may do with this case, or None when the case is outside their reach."""
    if not _is_usable(user):
        return None
    cap = user.capability
    options: list[CaseAccess] = []
    member = CaseMember.objects.active().filter(case=case, user=user).first()
    if member is not None:
        options.append(
            CaseAccess(
                case,
                user,
                cap.max_tier,
                cap.writes_cases and not member.is_read_only,
                Basis.TEAM,
                member,
            )
        )
    if cap.sees_organisation_cases and (
        case.lead_organisation_id == user.organisation_id
        or CaseMember.objects.active()
        .filter(case=case, user__organisation=user.organisation)
        .exists()
    ):
        options.append(
            CaseAccess(
                case, user, cap.max_tier, cap.writes_cases, Basis.ORGANISATION, member
            )
        )
    region = user.effective_region
    if cap.sees_region_cases and region is not None and case.region_id == region.pk:
        options.append(
            CaseAccess(case, user, cap.max_tier, False, Basis.REGION, member)
        )
    if cap.sees_all_cases:
        options.append(
            CaseAccess(case, user, cap.max_tier, False, Basis.NATIONAL, member)
        )
    grants = (
        CaseAccessGrant.objects.current()
        .filter(case=case)
        .filter(Q(user=user) | Q(organisation_id=user.organisation_id))
    )
    for grant in grants:
        tier = min(cap.max_tier, grant.max_tier)
        if grant.purpose == CaseAccessGrant.Purpose.BREAK_GLASS:
            options.append(
                CaseAccess(case, user, tier, False, Basis.BREAK_GLASS, member, grant)
            )
        else:
            options.append(
                CaseAccess(
                    case,
                    user,
                    tier,
                    grant.can_write and cap.writes_cases,
                    Basis.GRANT,
                    member,
                )
            )
    shared = (
        referrals_open_to(user).filter(case=case).values_list("shared_tier", flat=True)
    )
    if shared:
        tier = min(cap.max_tier, max(shared))
        options.append(CaseAccess(case, user, tier, False, Basis.REFERRAL, member))
    if not options:
        return None
    # The widest right wins; emergency access counts only when nothing else grants the case.
    return max(
        options, key=lambda a: (a.basis != Basis.BREAK_GLASS, a.can_write, a.max_tier)
    )


def _deny(
    user: User, action: str, object_type: str, object_id: object, case_id: int | None
) -> None:
    record_event_after_request(
        action + ".denied",
        by=user,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
    )


def access_case(
    user: User, number: str, *, write: bool = False, audit: str | None = "case.read"
) -> CaseAccess:
    """Loads one case for a user or raises 404 (absent or not visible) or 403 (visible, read-only).

    `audit` names the read event written when access is granted; writes leave their own event in
    the service that performs them, so a write passes `audit=None`.
    """
    case = (
        Case.objects.select_related("child", "region", "lead_organisation", "owner")
        .filter(number=number)
        .first()
    )
    access = effective_access(user, case) if case is not None else None
    if case is None or access is None:
        _deny(user, "case", "case", number, case.pk if case else None)
        raise Http404
    if write and not access.can_write:
        _deny(user, "case.write", "case", number, case.pk)
        raise PermissionDenied
    if audit:
        record_event(
            audit,
            by=user,
            object_type="case",
            object_id=case.number,
            case_id=case.pk,
            tier=access.max_tier,
            purpose=access.basis,
            break_glass_id=access.break_glass_id,
        )
    return access


def require_write(user: User, case: Case) -> CaseAccess:
    """The services' own check, so no caller can change a case it may not change."""
    access = effective_access(user, case)
    if access is None:
        raise Http404
    if not access.can_write:
        raise PermissionDenied
    return access


def visible_persons(user: User) -> QuerySet[Any]:
    scope = case_scope(user)
    if scope is None:
        return Person.objects.none()
    cases = Case.objects.filter(scope)
    linked = Q(cases_as_child__in=cases)
    relations = CaseParticipant.objects.filter(case__in=cases)
    if user.capability.max_tier < Tier.CRIMINAL:
        relations = relations.exclude(
            relation__in=[
                CaseParticipant.Relation.SUSPECTED_TRAFFICKER,
                CaseParticipant.Relation.RECRUITER,
            ]
        )
    linked |= Q(pk__in=relations.values("person_id"))
    return Person.objects.filter(linked).distinct()


def access_person(
    user: User,
    person_id: str,
    *,
    write: bool = False,
    audit: str | None = "person.read",
) -> Person:
    """Loads one person through a case the user may see (and change, with `write`), or raises."""
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        raise Http404 from None
    person = visible_persons(user).filter(pk=pk).first()
    if person is None:
        _deny(user, "person", "person", pk, None)
        raise Http404
    cases = list(
        Case.objects.filter(Q(child=person) | Q(participants__person=person)).distinct()
    )
    accesses = [a for a in (effective_access(user, c) for c in cases) if a is not None]
    if write and not any(a.can_write for a in accesses):
        _deny(user, "person.write", "person", pk, None)
        raise PermissionDenied
    if audit:
        best = max(accesses, key=lambda a: a.max_tier)
        record_event(
            audit,
            by=user,
            object_type="person",
            object_id=person.pk,
            case_id=best.case.pk,
            tier=Tier.IDENTITY,
            purpose=best.basis,
            break_glass_id=best.break_glass_id,
        )
    return cast(Person, person)
