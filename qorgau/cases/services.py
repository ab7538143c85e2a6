"""Every change to children and cases: atomic, checked against the access layer, on the timeline and audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.services import record_event
from qorgau.cases.access import require_write
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import (
    Case,
    CaseAccessGrant,
    CaseEvent,
    CaseMember,
    CaseNote,
    CaseNumberCounter,
    CaseParticipant,
    Person,
    PersonNameToken,
)
from qorgau.cases.search import iin_blind_index, person_name_tokens
from qorgau.reference.models import Region
from qorgau.reviews import services as reviews

if TYPE_CHECKING:
    from qorgau.cases.access import CaseAccess

PERSON_FIELDS = (
    "kind",
    "given_name",
    "family_name",
    "patronymic",
    "other_spellings",
    "birth_date",
    "birth_year",
    "age_assessment",
    "sex",
    "citizenship",
    "iin",
    "languages",
    "communication_needs",
    "disability_status",
    "disability_types",
    "support_needs",
    "phone",
    "email",
    "address",
    "region",
    "district",
)
CASE_FIELDS = ("type", "priority", "region", "unaccompanied")


@dataclass
class PersonDetails:
    """What is known of a person, as validated by a form or an API schema."""

    given_name: str = ""
    family_name: str = ""
    patronymic: str = ""
    other_spellings: list[str] = field(default_factory=list)
    kind: str = Person.Kind.CHILD
    birth_date: date | None = None
    birth_year: int | None = None
    age_assessment: str = Person.AgeAssessment.DOCUMENTED
    sex: str = Person.Sex.UNKNOWN
    citizenship: list[str] = field(default_factory=list)
    iin: str = ""
    languages: list[str] = field(default_factory=list)
    communication_needs: list[str] = field(default_factory=list)
    disability_status: str = Person.Disability.NONE
    disability_types: list[str] = field(default_factory=list)
    support_needs: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    region: Region | None = None
    district: Any = None

    def values(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in PERSON_FIELDS}
        values["birth_date"] = self.birth_date.isoformat() if self.birth_date else ""
        if self.birth_date:
            values["birth_year"] = self.birth_date.year
        return values


def _same(stored: Any, given: Any) -> bool:
    """Equal values; an encrypted field stores empty text as NULL, so None, "" and [] are all empty."""
    empty: tuple[Any, ...] = (None, "", [])
    return (stored in empty and given in empty) or stored == given


def _apply_person(person: Person, details: PersonDetails) -> list[str]:
    changed = []
    for name, value in details.values().items():
        if not _same(getattr(person, name), value):
            setattr(person, name, value)
            changed.append(name)
    person.iin_index = iin_blind_index(person.iin) if person.iin else ""
    return changed


def _save_person(person: Person) -> None:
    person.updated_at = timezone.now()
    person.save()
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=t) for t in person_name_tokens(person)
    )


def _event(case: Case, kind: str, *, by: User | None, **params: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=by, params=params)


def _next_case_number(region: Region, year: int) -> str:
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
        region=region, year=year
    )
    CaseNumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"KZ{region.short_code}-{year}-{counter.last:05d}"


@transaction.atomic
def open_case(
    child: PersonDetails,
    *,
    by: User,
    case_type: str = Case.Type.CHILD_PROTECTION_RISK,
    priority: str = Case.Priority.NORMAL,
    region: Region | None = None,
    existing_child: Person | None = None,
    unaccompanied: bool = False,
) -> Case:
    """Registers a child (or takes one the user already sees) and opens a case led by the user's organisation."""
    if not by.capability.opens_cases or by.organisation is None:
        raise ServiceError(_("Your role does not allow opening cases."))
    region = region or child.region or by.organisation.region
    if existing_child is None:
        person = Person(created_by_organisation=by.organisation)
        _apply_person(person, child)
        _save_person(person)
        record_event(
            "person.create",
            by=by,
            object_type="person",
            object_id=person.pk,
            tier=Tier.IDENTITY,
        )
    else:
        person = existing_child
    now = timezone.now()
    case = Case.objects.create(
        number=_next_case_number(region, timezone.localdate(now).year),
        type=case_type,
        priority=priority,
        region=region,
        lead_organisation=by.organisation,
        owner=by,
        child=person,
        unaccompanied=unaccompanied,
        opened_at=now,
        updated_at=now,
    )
    CaseMember.objects.create(
        case=case, user=by, role=CaseMember.Role.LEAD, added_by=by
    )
    _event(case, CaseEvent.Kind.OPENED, by=by, number=case.number)
    reviews.schedule_first_review(case)
    record_event(
        "case.create",
        by=by,
        object_type="case",
        object_id=case.number,
        case_id=case.pk,
        tier=Tier.IDENTITY,
    )
    from qorgau.guardianship.services import on_case_opened

    on_case_opened(
        case, by=by
    )  # presumption of minority; guardian for an unaccompanied child
    return case


def _lock_version(model: type[Any], pk: Any, expected_version: int) -> Any:
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != expected_version:
        raise StaleEdit(current.version)
    return current


@transaction.atomic
def update_case(
    case: Case, *, changes: dict[str, Any], expected_version: int, by: User
) -> Case:
    """Changes a case's type, priority or region; refused without saving when the case changed meanwhile."""
    require_write(by, case)
    current: Case = _lock_version(Case, case.pk, expected_version)
    changed = [
        name
        for name in CASE_FIELDS
        if name in changes and getattr(current, name) != changes[name]
    ]
    for name in changed:
        setattr(current, name, changes[name])
    if changed:
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        _event(current, CaseEvent.Kind.UPDATED, by=by, fields=changed)
        record_event(
            "case.update",
            by=by,
            object_type="case",
            object_id=current.number,
            case_id=current.pk,
            details={"fields": changed},
        )
        if "priority" in changed:
            reviews.reschedule_for_priority(current, by=by)
    if "unaccompanied" in changed:
        from qorgau.guardianship.services import require_guardian

        require_guardian(current, by=by)
    return current


@transaction.atomic
def change_case_status(
    case: Case, *, status: str, by: User, reason: str = "", detail: str = ""
) -> Case:
    """Moves a case along the NRM path (`Case.next_statuses`); closing needs a reason code
    (`reviews.models.ClosureReason`), with a detail for "other"."""
    require_write(by, case)
    current: Case = Case.objects.select_for_update().get(pk=case.pk)
    if status not in Case.Status.values:
        raise ServiceError(_("Unknown status."), field="status")
    if status not in Case.next_statuses(current.status):
        raise ServiceError(
            _("A case that is “%(old)s” cannot become “%(new)s”.")
            % {"old": current.get_status_display(), "new": Case.Status(status).label},
            field="status",
        )
    closing = status in Case.CLOSED_STATUSES
    if closing:
        reviews.check_closure(status, reason.strip(), detail)
    old = current.status
    current.status = status
    current.closed_at = timezone.now() if closing else None
    current.closure_reason = reason.strip() if closing else ""
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    closed = {"reason": current.closure_reason} if closing else {}
    _event(current, CaseEvent.Kind.STATUS_CHANGED, by=by, old=old, new=status, **closed)
    record_event(
        "case.status",
        by=by,
        object_type="case",
        object_id=current.number,
        case_id=current.pk,
        details={"old": old, "new": status},
    )
    if closing:
        reviews.record_closure(
            current, reason=current.closure_reason, detail=detail, by=by
        )
    return current


@transaction.atomic
def update_person(
    person: Person,
    *,
    details: PersonDetails,
    expected_version: int,
    by: User,
    case: Case,
) -> Person:
    """Changes a person's details through a case the user may change; stale edits are refused."""
    require_write(by, case)
    if not (
        case.child_id == person.pk or case.participants.filter(person=person).exists()
    ):
        raise ServiceError(_("This person is not linked to the case."))
    current: Person = _lock_version(Person, person.pk, expected_version)
    changed = _apply_person(current, details)
    if changed:
        current.version += 1
        _save_person(current)
        kind = (
            CaseEvent.Kind.CHILD_UPDATED
            if case.child_id == person.pk
            else CaseEvent.Kind.UPDATED
        )
        _event(case, kind, by=by, fields=changed)
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        record_event(
            "person.update",
            by=by,
            object_type="person",
            object_id=current.pk,
            case_id=case.pk,
            tier=Tier.IDENTITY,
            details={"fields": changed},
        )
    return current


@transaction.atomic
def link_person(
    case: Case,
    *,
    details: PersonDetails,
    relation: str,
    by: User,
    has_parental_responsibility: bool = False,
) -> CaseParticipant:
    require_write(by, case)
    if relation not in CaseParticipant.Relation.values:
        raise ServiceError(_("Unknown relation."), field="relation")
    person = Person(created_by_organisation=by.organisation)
    _apply_person(person, details)
    _save_person(person)
    participant = CaseParticipant.objects.create(
        case=case,
        person=person,
        relation=relation,
        has_parental_responsibility=has_parental_responsibility,
    )
    _event(case, CaseEvent.Kind.PERSON_LINKED, by=by, relation=relation)
    record_event(
        "case.link_person",
        by=by,
        object_type="person",
        object_id=person.pk,
        case_id=case.pk,
        tier=participant.tier,
        details={"relation": relation},
    )
    return participant


@transaction.atomic
def add_team_member(case: Case, *, user: User, role: str, by: User) -> CaseMember:
    require_write(by, case)
    if role not in CaseMember.Role.values:
        raise ServiceError(_("Unknown role on the case."), field="role")
    if (
        not user.is_active
        or user.organisation_id is None
        or not user.capability.max_tier
    ):
        raise ServiceError(_("This user cannot join a case team."), field="user")
    if CaseMember.objects.active().filter(case=case, user=user).exists():
        raise ServiceError(_("This user is already on the case team."), field="user")
    member = CaseMember.objects.create(case=case, user=user, role=role, added_by=by)
    _event(
        case, CaseEvent.Kind.MEMBER_ADDED, by=by, user=user.get_username(), role=role
    )
    record_event(
        "case.team_add",
        by=by,
        object_type="user",
        object_id=user.pk,
        case_id=case.pk,
        details={"role": role},
    )
    return member


@transaction.atomic
def remove_team_member(member: CaseMember, *, by: User) -> CaseMember:
    case = member.case
    require_write(by, case)
    if member.user_id == case.owner_id:
        raise ServiceError(
            _("The case owner cannot leave the team; transfer ownership first.")
        )
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at"])
    _event(case, CaseEvent.Kind.MEMBER_REMOVED, by=by, user=member.user.get_username())
    record_event(
        "case.team_remove",
        by=by,
        object_type="user",
        object_id=member.user_id,
        case_id=case.pk,
    )
    return member


@transaction.atomic
def add_note(access: CaseAccess, *, text: str, tier: int, by: User) -> CaseNote:
    """Adds a note no more sensitive than the author's own access to the case."""
    case = access.case
    require_write(by, case)
    if not text.strip():
        raise ServiceError(_("Write the note before saving it."), field="text")
    if tier not in Tier.values or tier > access.max_tier:
        raise ServiceError(
            _("You cannot write a note at this sensitivity level."), field="tier"
        )
    note = CaseNote.objects.create(case=case, author=by, tier=tier, text=text.strip())
    _event(case, CaseEvent.Kind.NOTE_ADDED, by=by, tier=tier)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    record_event(
        "case.note_add",
        by=by,
        object_type="note",
        object_id=note.pk,
        case_id=case.pk,
        tier=tier,
    )
    return note


def _supervisors_of(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            organisation=organisation,
            is_active=True,
            role_assignments__role=Role.SUPERVISOR,
        )
    )


@transaction.atomic
def invoke_break_glass(
    case: Case, *, reason_code: str, reason: str, by: User
) -> CaseAccessGrant:
    """Time-boxed, read-only emergency access to one case, announced at once to its owner and supervisors."""
    if not by.capability.break_glass:
        raise ServiceError(_("Your role does not allow emergency access."))
    if reason_code not in CaseAccessGrant.Reason.values or len(reason.strip()) < 20:
        raise ServiceError(
            _("Choose a reason and explain it in at least 20 characters."),
            field="reason",
        )
    hours = settings.QORGAU_BREAK_GLASS_HOURS
    grant = CaseAccessGrant.objects.create(
        case=case,
        user=by,
        purpose=CaseAccessGrant.Purpose.BREAK_GLASS,
        max_tier=min(by.capability.max_tier, Tier.HEALTH),
        reason_code=reason_code,
        reason=reason.strip(),
        granted_by=by,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    _event(
        case,
        CaseEvent.Kind.BREAK_GLASS,
        by=by,
        user=by.get_username(),
        reason=reason_code,
        hours=hours,
    )
    record_event(
        "case.break_glass",
        by=by,
        object_type="case",
        object_id=case.number,
        case_id=case.pk,
        break_glass_id=grant.pk,
        purpose=reason_code,
    )
    recipients = {case.owner, *_supervisors_of(case.lead_organisation)}
    for recipient in recipients:
        notify(
            recipient,
            kind="break_glass",
            case_number=case.number,
            actor=by.get_username(),
        )
    return grant


@transaction.atomic
def review_break_glass(
    grant: CaseAccessGrant, *, outcome: str, note: str, by: User
) -> CaseAccessGrant:
    if not by.capability.reviews_break_glass:
        raise ServiceError(_("Your role does not review emergency access."))
    if grant.user_id == by.pk:
        raise ServiceError(_("You cannot review your own emergency access."))
    if outcome not in CaseAccessGrant.ReviewOutcome.values:
        raise ServiceError(_("Choose an outcome."), field="outcome")
    locked = CaseAccessGrant.objects.select_for_update().get(pk=grant.pk)
    if locked.reviewed_at is not None:
        raise ServiceError(_("This emergency access has already been reviewed."))
    locked.reviewed_by, locked.reviewed_at = by, timezone.now()
    locked.review_outcome, locked.review_note = outcome, note.strip()
    locked.save()
    record_event(
        "grant.review",
        by=by,
        object_type="grant",
        object_id=locked.pk,
        case_id=locked.case_id,
        break_glass_id=locked.pk,
        details={"outcome": outcome},
    )
    return locked


@transaction.atomic
def open_to_oversight(
    case: Case,
    *,
    organisation: Organisation,
    max_tier: int,
    reason: str,
    by: User,
    expires_at: datetime | None = None,
) -> CaseAccessGrant:
    """Opens a case, read-only, to a prosecutor's office or the ombudsman."""
    require_write(by, case)
    if organisation.ministry not in ("prosecutor_general", "ombudsman"):
        raise ServiceError(
            _("Cases are opened only to oversight bodies."), field="organisation"
        )
    if not reason.strip():
        raise ServiceError(
            _("Give the reason for opening access to the case."), field="reason"
        )
    grant = CaseAccessGrant.objects.create(
        case=case,
        organisation=organisation,
        purpose=CaseAccessGrant.Purpose.OVERSIGHT,
        max_tier=max_tier,
        reason=reason.strip(),
        granted_by=by,
        expires_at=expires_at,
    )
    _event(
        case,
        CaseEvent.Kind.ACCESS_GRANTED,
        by=by,
        organisation=organisation.pk,
        tier=max_tier,
    )
    record_event(
        "case.grant",
        by=by,
        object_type="grant",
        object_id=grant.pk,
        case_id=case.pk,
        tier=max_tier,
    )
    return grant


@transaction.atomic
def revoke_grant(grant: CaseAccessGrant, *, by: User) -> CaseAccessGrant:
    require_write(by, grant.case)
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    _event(grant.case, CaseEvent.Kind.ACCESS_REVOKED, by=by, grant=grant.pk)
    record_event(
        "case.grant_revoke",
        by=by,
        object_type="grant",
        object_id=grant.pk,
        case_id=grant.case_id,
    )
    return grant
