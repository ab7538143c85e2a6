"""Demo age assessments and guardian appointments, in every state, some overdue.

Written through the guardianship services by the case owner (a caseworker), so the presumption
of minority, the unaccompanied child's request and its deadline, the timeline and the audit
are the real ones; then moved back in time like the demo decisions, so that some requests are
late and reported to the owner and the supervisors.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from qorgau.agencies.models import Organisation, User
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseParticipant
from qorgau.guardianship import services
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment

Kind = GuardianAppointment.Kind
Method = AgeAssessment.Method
ACTS = (
    "Постановление акимата № {n}",
    "Приказ органа опеки и попечительства № {n}-ОП",
    "Решение суда № 2-{n}/2026",
)
GUARDIANS = (("Гүлнар", "Ахметова"), ("Сергей", "Ким"), ("Бақыт", "Омарова"))


class Story:
    """One case's events, told by its owner; returns False when the case does not fit."""

    def __init__(self, rng: random.Random, case: Case, authority: Organisation) -> None:
        self.rng, self.case, self.authority = rng, case, authority
        self.by: User = case.owner

    def unaccompanied(self) -> GuardianAppointment | None:
        case_services.update_case(
            self.case,
            changes={"unaccompanied": True},
            expected_version=self.case.version,
            by=self.by,
        )
        return self.case.guardian_appointments.requested().first()

    def guardian(self, *, new: bool = False) -> CaseParticipant:
        existing = self.case.participants.filter(
            relation=CaseParticipant.Relation.GUARDIAN
        ).first()
        if existing is not None and not new:
            return existing
        given, family = self.rng.choice(GUARDIANS)
        details = case_services.PersonDetails(
            given_name=given,
            family_name=family,
            kind="adult",
            birth_year=self.rng.randint(1965, 1995),
            age_assessment="documented",
        )
        return case_services.link_person(
            self.case,
            details=details,
            relation=CaseParticipant.Relation.GUARDIAN,
            by=self.by,
        )

    def appoint(
        self,
        appointment: GuardianAppointment,
        *,
        organisation: Organisation | None = None,
        new_person: bool = False,
    ) -> GuardianAppointment:
        return services.appoint(
            appointment,
            participant=None if organisation else self.guardian(new=new_person),
            organisation=organisation,
            appointing_authority=self.authority,
            legal_act_reference=self.rng.choice(ACTS).format(
                n=self.rng.randint(100, 9999)
            ),
            legal_act_date=timezone.localdate()
            - timedelta(days=self.rng.randint(1, 5)),
            by=self.by,
        )

    def request(self, kind: str) -> GuardianAppointment:
        return services.request_appointment(
            self.case,
            kind=kind,
            by=self.by,
            notes="Ребёнок без сопровождения взрослых.",
        )

    def assess(self, method: str, conclusion: str, **extra: object) -> None:
        services.record_age_assessment(
            self.case,
            method=method,
            conclusion=conclusion,
            assessing_organisation=self.authority,
            assessed_on=timezone.localdate() - timedelta(days=self.rng.randint(1, 20)),
            reasons=REASONS[method],
            by=self.by,
            **extra,  # type: ignore[arg-type]
        )


REASONS: dict[str, str] = {
    Method.DOCUMENTS: "Свидетельство о рождении проверено консульством.",
    Method.MEDICAL: "Рентгенография кисти и осмотр стоматолога: костный возраст 15–17 лет.",
    Method.PSYCHOSOCIAL: "Ребёнок называет разный возраст; школьная история неизвестна.",
    Method.OTHER: "Сведения родственников по телефону.",
}


def waiting(s: Story) -> bool:
    return s.unaccompanied() is not None


def overdue(s: Story) -> bool:
    """Asked for days ago (see _move_back): past its deadline now."""
    return waiting(s)


def appointed_person(s: Story) -> bool:
    request = s.unaccompanied()
    return request is not None and bool(s.appoint(request))


def appointed_institution(s: Story) -> bool:
    request = s.unaccompanied()
    return request is not None and bool(s.appoint(request, organisation=s.authority))


def replaced(s: Story) -> bool:
    s.appoint(s.request(Kind.LEGAL_REPRESENTATIVE))
    s.appoint(s.request(Kind.LEGAL_REPRESENTATIVE), new_person=True)
    return True


def revoked_and_asked_again(s: Story) -> bool:
    request = s.unaccompanied()
    if request is None:
        return False
    services.end_appointment(
        s.appoint(request),
        reason=GuardianAppointment.EndReason.REVOKED,
        note="Опекун не выполнял обязанности.",
        by=s.by,
    )
    return True


def found_without_documents(s: Story) -> bool:
    """A child found alone, without documents: opened as unaccompanied, presumed a minor."""
    given, family = s.rng.choice((("Жасур", "Каримов"), ("Мадина", "Юсупова")))
    details = case_services.PersonDetails(
        given_name=given,
        family_name=family,
        birth_year=timezone.localdate().year - s.rng.randint(13, 16),
        age_assessment="estimated",
        citizenship=["UZ"],
    )
    s.case = case_services.open_case(
        details,
        by=s.by,
        case_type=Case.Type.POTENTIAL_VICTIM,
        priority=Case.Priority.URGENT,
        region=s.case.region,
        unaccompanied=True,
    )
    return True


def withdrawn(s: Story) -> bool:
    services.withdraw_request(
        s.request(Kind.TEMPORARY_GUARDIAN),
        reason="Найдены родители, ребёнок возвращён в семью.",
        by=s.by,
    )
    return True


def estimated(s: Story) -> bool:
    s.assess(Method.MEDICAL, "estimated", age_min=15, age_max=17)
    return True


def disputed(s: Story) -> bool:
    s.assess(Method.PSYCHOSOCIAL, "disputed")
    return True


def documented_minor(s: Story) -> bool:
    born = timezone.localdate() - timedelta(days=15 * 365 + s.rng.randint(0, 300))
    s.assess(Method.DOCUMENTS, "documented", documented_birth_date=born)
    return True


def majority(s: Story) -> bool:
    """A presumed minor's trustee, until documents show the young person is an adult."""
    if not services.age_status(s.case.child).presumed:
        return False
    trustee = s.appoint(s.request(Kind.TRUSTEE))
    born = date(timezone.localdate().year - 19, 2, 14)
    s.assess(Method.DOCUMENTS, "documented", documented_birth_date=born)
    services.end_appointment(
        trustee, reason=GuardianAppointment.EndReason.MAJORITY, by=s.by
    )
    return True


STORIES: tuple[Callable[[Story], bool], ...] = (
    waiting,
    overdue,
    found_without_documents,
    appointed_person,
    appointed_institution,
    replaced,
    revoked_and_asked_again,
    withdrawn,
    estimated,
    disputed,
    documented_minor,
    majority,
)


# Stories that assess the age of a child whose age is not documented yet.
UNDOCUMENTED = (estimated, disputed, documented_minor, majority)


def add_guardianship(rng: random.Random, count: int) -> int:
    """About `count` cases (at least one per story) with age assessments or appointments;
    returns how many."""
    count = max(count, len(STORIES))
    authorities = _authorities()
    if not authorities:
        return 0
    pool = list(
        Case.objects.open()
        .filter(
            region_id__in=list(authorities),
            unaccompanied=False,
            owner__role_assignments__role__in=services.RECORDING_ROLES,
        )
        .exclude(guardian_appointments__isnull=False)
        .select_related("owner", "child")
        .distinct()
        .order_by("-id")[: count * 8]
    )
    rng.shuffle(pool)
    made = 0
    for n in range(count):
        story = STORIES[n % len(STORIES)]
        for case in list(pool):
            if story in UNDOCUMENTED and not services.age_status(case.child).presumed:
                continue
            pool.remove(case)
            if _tell(rng, case, authorities[case.region_id], story):
                made += 1
                break
    return made


def _authorities() -> dict[int, Organisation]:
    """A guardianship and trusteeship body per region that has one."""
    found: dict[int, Organisation] = {}
    for org in Organisation.objects.filter(
        is_active=True, type__code="GuardianshipAuthority"
    ).order_by("pk"):
        found.setdefault(org.region_id, org)
    return found


def _tell(
    rng: random.Random,
    case: Case,
    authority: Organisation,
    story: Callable[[Story], bool],
) -> bool:
    told = Story(rng, case, authority)
    try:
        with transaction.atomic():
            if not story(told):
                raise _Skip
    except (_Skip, ServiceError):
        return False  # the case did not fit this story; another one will
    _move_back(rng, told.case, late=story is overdue)
    return True


class _Skip(Exception):
    pass


def _move_back(rng: random.Random, case: Case, *, late: bool) -> None:
    """The appointments happened days ago; a late request is past its deadline now."""
    # Whole days, so that deadlines stay at midnight.
    back = timedelta(days=rng.randint(6, 12) if late else rng.randint(0, 1))
    for row in GuardianAppointment.objects.filter(case=case):
        GuardianAppointment.objects.filter(pk=row.pk).update(
            requested_at=row.requested_at - back,
            due_at=row.due_at - back if row.due_at else None,
            appointed_at=row.appointed_at - back if row.appointed_at else None,
            ended_at=row.ended_at - back if row.ended_at else None,
            withdrawn_at=row.withdrawn_at - back if row.withdrawn_at else None,
        )
