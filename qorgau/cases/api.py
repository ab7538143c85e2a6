"""REST endpoints for persons and cases: typed input → access → service → output, as the pages do."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from qorgau.agencies.models import User
from qorgau.api.auth import api_user
from qorgau.api.errors import FormInvalid
from qorgau.audit.models import AuditEvent
from qorgau.audit.services import record_event
from qorgau.cases import services
from qorgau.cases.access import CaseAccess, access_case, access_person, visible_persons
from qorgau.cases.forms import (
    CaseFilterForm,
    NewCaseForm,
    NoteForm,
    PersonEditForm,
    PersonForm,
    StatusForm,
    TeamMemberForm,
)
from qorgau.cases.models import Case, CaseMember, CaseNote, CaseParticipant, Person
from qorgau.cases.search import (
    case_list_page,
    name_really_matches,
    persons_matching_name,
)
from qorgau.cases.views.records import _can_see_access_log

router = Router(tags=["cases"])


class PersonIn(Schema):
    given_name: str
    family_name: str = ""
    patronymic: str = ""
    other_spellings: list[str] = []
    birth_date: date | None = None
    birth_year: int | None = None
    age_assessment: str = Person.AgeAssessment.DOCUMENTED
    sex: str = Person.Sex.UNKNOWN
    iin: str = ""
    citizenship: list[str] = []
    languages: list[str] = []
    communication_needs: list[str] = []
    disability_status: str = Person.Disability.NONE
    disability_types: list[str] = []
    support_needs: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    region: str = Field("", description="ISO 3166-2 code, e.g. KZ-75")


class PersonOut(Schema):
    id: str
    kind: str
    given_name: str
    family_name: str
    patronymic: str
    other_spellings: list[str]
    birth_date: str
    birth_year: int | None
    age_assessment: str
    sex: str
    iin: str
    citizenship: list[str]
    languages: list[str]
    communication_needs: list[str]
    disability_status: str
    disability_types: list[str]
    phone: str
    email: str
    address: str
    region: str | None
    version: int

    @staticmethod
    def of(p: Person) -> "PersonOut":
        return PersonOut(
            id=str(p.pk),
            kind=p.kind,
            given_name=p.given_name or "",
            family_name=p.family_name or "",
            patronymic=p.patronymic or "",
            other_spellings=p.other_spellings or [],
            birth_date=p.birth_date or "",
            birth_year=p.birth_year,
            age_assessment=p.age_assessment,
            sex=p.sex,
            iin=p.iin or "",
            citizenship=p.citizenship,
            languages=p.languages,
            communication_needs=p.communication_needs,
            disability_status=p.disability_status,
            disability_types=p.disability_types,
            phone=p.phone or "",
            email=p.email or "",
            address=p.address or "",
            region=p.region.code if p.region else None,
            version=p.version,
        )


class MemberOut(Schema):
    id: int
    username: str
    organisation_id: int | None
    role: str

    @staticmethod
    def of(m: CaseMember) -> "MemberOut":
        return MemberOut(
            id=m.pk,
            username=m.user.username,
            organisation_id=m.user.organisation_id,
            role=m.role,
        )


class ParticipantOut(Schema):
    relation: str
    has_parental_responsibility: bool
    person: PersonOut


class CaseSummaryOut(Schema):
    number: str
    type: str
    status: str
    priority: str
    region: str
    lead_organisation_id: int
    owner: str
    child_name: str
    child_birth_year: int | None
    updated_at: datetime


class CaseOut(Schema):
    number: str
    type: str
    status: str
    priority: str
    region: str
    lead_organisation_id: int
    owner: str
    unaccompanied: bool
    opened_at: datetime
    closed_at: datetime | None
    closure_reason: str
    version: int
    child: PersonOut
    team: list[MemberOut]
    linked_persons: list[ParticipantOut]
    access: dict[str, Any]


class CaseListOut(Schema):
    count: int = Field(description="Exact up to 1,000; 1,001 means more than 1,000")
    count_is_capped: bool
    page: int
    pages: int
    results: list[CaseSummaryOut]


class CaseIn(Schema):
    child: PersonIn
    case_type: str = Case.Type.CHILD_PROTECTION_RISK
    priority: str = Case.Priority.NORMAL
    unaccompanied: bool = Field(
        False, description="No parent or legal carer is with the child"
    )
    existing_case: str = Field(
        "", description="Open a new case for the child of this (visible) case"
    )


class CasePatch(Schema):
    version: int
    type: str | None = None
    priority: str | None = None
    region: str | None = None
    unaccompanied: bool | None = None


class PersonPatch(PersonIn):
    version: int
    case_number: str = Field(description="The case through which the change is made")


class NoteIn(Schema):
    text: str
    tier: int = 2


class NoteOut(Schema):
    id: str
    tier: int
    text: str
    author: str
    created_at: datetime


class MemberIn(Schema):
    username: str
    role: str


class StatusIn(Schema):
    status: str
    reason: str = Field("", description="Closure reason code, required when closing")
    detail: str = Field("", description="Details of the reason, required for other")


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    organisation_id: int | None
    role: str
    action: str
    object_type: str
    object_id: str
    tier: int | None
    purpose: str
    break_glass_id: int | None
    request_id: str
    ip: str


def _validated(form_class: type, data: dict[str, Any], **kwargs: Any) -> Any:
    form = form_class(data=data, **kwargs)
    if not form.is_valid():
        raise FormInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form


def _person_form_data(p: PersonIn) -> dict[str, Any]:
    from qorgau.reference.models import Region

    data = p.dict()
    data["other_spellings"] = "\n".join(p.other_spellings)
    data["citizenship"] = ", ".join(p.citizenship)
    data["birth_date"] = p.birth_date.isoformat() if p.birth_date else ""
    data["birth_year"] = p.birth_year or ""
    region = Region.objects.filter(code=p.region).first() if p.region else None
    if p.region and region is None:
        raise FormInvalid({"region": [str(_unknown_region())]})
    data["region"] = region.pk if region else ""
    data["district"] = ""
    return data


def _unknown_region() -> str:
    from django.utils.translation import gettext as _

    return _("Unknown region code.")


def _case_out(access: CaseAccess) -> CaseOut:
    case = access.case
    members = case.members.active().select_related("user")
    return CaseOut(
        number=case.number,
        type=case.type,
        status=case.status,
        priority=case.priority,
        region=case.region.code,
        lead_organisation_id=case.lead_organisation_id,
        owner=case.owner.username,
        unaccompanied=case.unaccompanied,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        closure_reason=case.closure_reason,
        version=case.version,
        child=PersonOut.of(case.child),
        team=[MemberOut.of(m) for m in members],
        linked_persons=[_participant_out(p) for p in access.participants()],
        access={
            "basis": access.basis,
            "max_tier": access.max_tier,
            "can_write": access.can_write,
            "break_glass_id": access.break_glass_id,
        },
    )


def _participant_out(p: CaseParticipant) -> ParticipantOut:
    return ParticipantOut(
        relation=p.relation,
        has_parental_responsibility=p.has_parental_responsibility,
        person=PersonOut.of(p.person),
    )


def _summary(case: Case) -> CaseSummaryOut:
    return CaseSummaryOut(
        number=case.number,
        type=case.type,
        status=case.status,
        priority=case.priority,
        region=case.region.code,
        lead_organisation_id=case.lead_organisation_id,
        owner=case.owner.username,
        child_name=case.child.full_name,
        child_birth_year=case.child.birth_year,
        updated_at=case.updated_at,
    )


@router.get(
    "/cases",
    response=CaseListOut,
    summary="Cases visible to the caller, searched and filtered",
)
def list_cases(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    priority: str = "",
    region: str = "",
    organisation: int | None = None,
    page: int = 1,
) -> CaseListOut:
    from qorgau.reference.models import Region

    region_pk = (
        Region.objects.filter(code=region).values_list("pk", flat=True).first()
        if region
        else None
    )
    if region and region_pk is None:
        raise FormInvalid({"region": [_unknown_region()]})
    filters = {
        "q": q,
        "status": status,
        "priority": priority,
        "region": region_pk or "",
        "organisation": organisation or "",
    }
    form = _validated(CaseFilterForm, filters)
    listing = case_list_page(api_user(request), form.cleaned_data, page)
    paginator, paginated, rows = listing.paginator, listing.page, listing.rows
    return CaseListOut(
        count=paginator.count,
        count_is_capped=paginator.is_capped,
        page=paginated.number,
        pages=paginator.num_pages,
        results=[_summary(c) for c in rows],
    )


@router.post(
    "/cases",
    response={201: CaseOut},
    summary="Register a child (or reuse a visible one) and open a case",
)
def create_case(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    user = api_user(request)
    child, case_data, existing = validated_case_in(user, payload)
    case = services.open_case(
        child,
        by=user,
        case_type=case_data["case_type"],
        priority=case_data["priority"],
        existing_child=existing,
        unaccompanied=case_data["unaccompanied"],
    )
    return Status(201, _case_out(access_case(user, case.number, audit=None)))


def validated_case_in(
    user: User, payload: CaseIn
) -> tuple[services.PersonDetails, dict[str, Any], Any]:
    """The child's details, the case's fields and the existing child chosen, all checked;
    403 for a role that does not open cases."""
    if not user.capability.opens_cases:
        raise PermissionDenied
    child = _validated(PersonForm, _person_form_data(payload.child)).details()
    case_form = _validated(
        NewCaseForm,
        {
            "case_type": payload.case_type,
            "priority": payload.priority,
            "unaccompanied": payload.unaccompanied,
        },
    )
    existing = None
    if payload.existing_case:
        existing = access_case(user, payload.existing_case, audit=None).case.child
    return child, case_form.cleaned_data, existing


@router.get(
    "/cases/{number}",
    response=CaseOut,
    summary="One case with its child, team and linked persons",
)
def get_case(request: HttpRequest, number: str) -> CaseOut:
    return _case_out(access_case(api_user(request), number))


@router.patch(
    "/cases/{number}",
    response=CaseOut,
    summary="Change type, priority or region (optimistic locking)",
)
def patch_case(request: HttpRequest, number: str, payload: CasePatch) -> CaseOut:
    from qorgau.reference.models import Region

    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    case = access.case
    data = {
        "version": payload.version,
        "type": payload.type or case.type,
        "priority": payload.priority or case.priority,
        "unaccompanied": case.unaccompanied
        if payload.unaccompanied is None
        else payload.unaccompanied,
    }
    region = (
        Region.objects.filter(code=payload.region).first()
        if payload.region
        else case.region
    )
    if region is None:
        raise FormInvalid({"region": [_unknown_region()]})
    data["region"] = region.pk
    from qorgau.cases.forms import CaseEditForm

    form = _validated(CaseEditForm, data)
    services.update_case(
        case, changes=form.cleaned_data, expected_version=payload.version, by=user
    )
    return _case_out(access_case(user, number, audit=None))


@router.post(
    "/cases/{number}/status", response=CaseOut, summary="Change the case status"
)
def post_status(request: HttpRequest, number: str, payload: StatusIn) -> CaseOut:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    form = _validated(StatusForm, payload.dict(), case=access.case)
    services.change_case_status(
        access.case,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
        detail=form.cleaned_data["detail"],
        by=user,
    )
    return _case_out(access_case(user, number, audit=None))


@router.get("/cases/{number}/team", response=list[MemberOut], summary="The case team")
def list_team(request: HttpRequest, number: str) -> list[MemberOut]:
    access = access_case(api_user(request), number, audit="case.team.read")
    members = access.case.members.active().select_related("user")
    return [MemberOut.of(m) for m in members]


@router.post(
    "/cases/{number}/team",
    response={201: MemberOut},
    summary="Add a member to the case team",
)
def add_member(
    request: HttpRequest, number: str, payload: MemberIn
) -> Status[MemberOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    form = _validated(TeamMemberForm, payload.dict())
    m = services.add_team_member(
        access.case,
        user=form.cleaned_data["username"],
        role=form.cleaned_data["role"],
        by=user,
    )
    return Status(201, MemberOut.of(m))


@router.delete(
    "/cases/{number}/team/{member_id}",
    response={204: None},
    summary="Remove a member from the case team",
)
def remove_member(request: HttpRequest, number: str, member_id: int) -> Status[None]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    member = CaseMember.objects.active().filter(case=access.case, pk=member_id).first()
    if member is None:
        raise Http404
    services.remove_team_member(member, by=user)
    return Status(204, None)


@router.get(
    "/cases/{number}/notes",
    response=list[NoteOut],
    summary="Notes up to the caller's sensitivity tier",
)
def list_notes(request: HttpRequest, number: str) -> list[NoteOut]:
    access = access_case(api_user(request), number, audit="case.notes.read")
    return [_note_out(n) for n in access.notes()]


def _note_out(n: CaseNote) -> NoteOut:
    return NoteOut(
        id=str(n.pk),
        tier=n.tier,
        text=n.text or "",
        author=n.author.username,
        created_at=n.created_at,
    )


@router.post("/cases/{number}/notes", response={201: NoteOut}, summary="Add a note")
def add_note(request: HttpRequest, number: str, payload: NoteIn) -> Status[NoteOut]:
    user = api_user(request)
    access = access_case(user, number, write=True, audit=None)
    form = _validated(NoteForm, payload.dict(), max_tier=access.max_tier)
    note = services.add_note(
        access, text=form.cleaned_data["text"], tier=form.cleaned_data["tier"], by=user
    )
    return Status(201, _note_out(note))


@router.get(
    "/cases/{number}/audit",
    response=list[AuditOut],
    summary="Who accessed the case (owner, supervisors, oversight)",
)
def case_audit(request: HttpRequest, number: str, page: int = 1) -> list[AuditOut]:
    access = access_case(api_user(request), number, audit="case.access_log.read")
    if not _can_see_access_log(access):
        raise PermissionDenied
    events = AuditEvent.objects.for_case(access.case.pk).order_by("-id")
    rows = Paginator(events, 100).get_page(page).object_list
    return [
        AuditOut(
            id=e.pk,
            at=e.at,
            actor=e.actor_username,
            organisation_id=e.organisation_id,
            role=e.role,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            tier=e.tier,
            purpose=e.purpose,
            break_glass_id=e.break_glass_id,
            request_id=e.request_id,
            ip=e.ip,
        )
        for e in rows
    ]


@router.get(
    "/persons",
    response=list[PersonOut],
    summary="Persons visible to the caller, by name in any spelling",
)
def list_persons(request: HttpRequest, q: str) -> list[PersonOut]:
    user = api_user(request)
    rows = persons_matching_name(q).filter(pk__in=visible_persons(user).values("pk"))[
        : settings.QORGAU_PAGE_SIZE
    ]
    people = [p for p in rows if name_really_matches(p, q)]
    record_event(
        "person.list",
        by=user,
        object_type="person",
        details={"persons": [str(p.pk) for p in people]},
    )
    return [PersonOut.of(p) for p in people]


@router.get("/persons/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: str) -> PersonOut:
    return PersonOut.of(access_person(api_user(request), person_id))


@router.patch(
    "/persons/{person_id}",
    response=PersonOut,
    summary="Change a person's details (optimistic locking)",
)
def patch_person(
    request: HttpRequest, person_id: str, payload: PersonPatch
) -> PersonOut:
    user = api_user(request)
    person = access_person(user, person_id, write=True, audit=None)
    access = access_case(user, payload.case_number, write=True, audit=None)
    form_class = PersonEditForm
    data = {**_person_form_data(payload), "version": payload.version}
    form = _validated(form_class, data)
    details = form.details()
    details.kind = person.kind
    updated = services.update_person(
        person,
        details=details,
        expected_version=payload.version,
        by=user,
        case=access.case,
    )
    return PersonOut.of(updated)
