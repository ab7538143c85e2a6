"""Builds a synthetic demo country: districts, organisations, users and a caseload of invented children.

The same seed gives the same country: every random choice comes from one `random.Random(seed)` and
the clock is a fixed reference date, so two runs differ only in encryption keys and nonces. Rows are
written with `bulk_create` in batches rather than through the services (which would take hours for a
million children), but they are the rows the services write: timeline events, case-number counters,
name and IIN blind indexes, per-row encryption.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, cycle
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from qorgau.agencies.management.commands.demo_logins import DEMO_PASSWORD
from qorgau.agencies.models import Organisation, RoleAssignment, User
from qorgau.agencies.roles import CAPABILITIES, Role, Tier
from qorgau.audit.services import record_event
from qorgau.cases.management.commands import _demo_data as data
from qorgau.cases.management.commands._demo_people import (
    FamilyNames,
    IinIssuer,
    NameTokens,
    Spelling,
    mobile_phone,
)
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
from qorgau.cases.search import iin_blind_index
from qorgau.lib import crypto
from qorgau.reference.models import District, Region, Term

# A fixed clock, so that two runs with the same seed write the same dates whatever the day.
REFERENCE_NOW = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
HISTORY = timedelta(days=3 * 365)

S = Case.Status
STATUS_WEIGHTS = {
    S.DRAFT: 6, S.SCREENING_POSITIVE: 11, S.PRELIMINARY_IDENTIFICATION: 12, S.REFERRED: 12,
    S.REFLECTION_PERIOD: 8, S.ASSISTANCE_ACTIVE: 16, S.FOLLOW_UP: 15,
    S.CLOSED: 10, S.CLOSED_REFERRED: 5, S.CLOSED_NOT_VICTIM: 5,
}  # fmt: skip
# The NRM path of an open case (domain.md §5.3); closed cases leave it from any step.
OPEN_PATH = (S.DRAFT, S.SCREENING_POSITIVE, S.PRELIMINARY_IDENTIFICATION, S.REFERRED, S.REFLECTION_PERIOD,
             S.ASSISTANCE_ACTIVE, S.FOLLOW_UP)  # fmt: skip
TYPE_WEIGHTS = {
    Case.Type.CHILD_PROTECTION_RISK: 55,
    Case.Type.POTENTIAL_VICTIM: 35,
    Case.Type.CONFIRMED_VICTIM: 10,
}
PRIORITY_WEIGHTS = {
    Case.Priority.LOW: 15,
    Case.Priority.NORMAL: 50,
    Case.Priority.HIGH: 25,
    Case.Priority.URGENT: 10,
}
TIER_WEIGHTS = {
    Tier.IDENTITY: 15,
    Tier.NARRATIVE: 50,
    Tier.HEALTH: 25,
    Tier.CRIMINAL: 10,
}

M = CaseMember.Role
# Who joins a case team in each role on the case: (platform role, kind of organisation).
TEAM_POOLS: dict[str, tuple[tuple[str, str], ...]] = {
    M.INVESTIGATOR: (
        (Role.POLICE_INVESTIGATOR, "police"),
        (Role.POLICE_INVESTIGATOR, "migration"),
    ),
    M.PSYCHOLOGIST: (
        (Role.SCREENER, "pmpk"),
        (Role.CASEWORKER, "shelter"),
        (Role.CASEWORKER, "ngo"),
    ),
    M.HEALTH_WORKER: ((Role.SCREENER, "clinic"),),
    M.EDUCATOR: ((Role.SCREENER, "school"), (Role.SCREENER, "special_school")),
    M.LEGAL_ADVISER: ((Role.CASEWORKER, "legal_aid"),),
    M.CASEWORKER: (
        (Role.CASEWORKER, "social_protection"),
        (Role.CASEWORKER, "guardianship"),
    ),
    M.OBSERVER: ((Role.REGIONAL_COORDINATOR, "social_protection"),),
}
TEAM_WEIGHTS = {M.INVESTIGATOR: 25, M.PSYCHOLOGIST: 25, M.HEALTH_WORKER: 15, M.EDUCATOR: 15,
                M.CASEWORKER: 10, M.LEGAL_ADVISER: 5, M.OBSERVER: 5}  # fmt: skip
RELATION_WEIGHTS = {
    CaseParticipant.Relation.PARENT: 62, CaseParticipant.Relation.GUARDIAN: 18, CaseParticipant.Relation.RELATIVE: 8,
    CaseParticipant.Relation.SUSPECTED_TRAFFICKER: 8, CaseParticipant.Relation.RECRUITER: 4,
}  # fmt: skip
NATIONAL_KINDS = ("ministry", "prosecutor_general", "ombudsman", "hotline")
NGO_KINDS = ("shelter", "ngo")
USERNAME_STEMS: dict[str, str] = {
    Role.POLICE_INVESTIGATOR: "investigator",
    Role.REGIONAL_COORDINATOR: "coordinator",
}
NATIONAL_USERNAMES: dict[str, str] = {Role.NATIONAL_COORDINATOR: "national.coordinator", Role.PROSECUTOR: "prosecutor",
                      Role.OMBUDSMAN: "ombudsman", Role.ANALYST: "analyst", Role.TRAINER: "trainer",
                      Role.EDITOR: "editor", Role.ADMINISTRATOR: "admin"}  # fmt: skip


class Weighted[K]:
    """A weighted choice with the cumulative weights computed once, not on every draw."""

    def __init__(self, weights: Mapping[K, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng: random.Random) -> K:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


@dataclass(frozen=True)
class Staff:
    pk: int
    username: str
    role: str
    organisation_id: int
    region_id: int
    kind: str
    language: str

    @property
    def max_tier(self) -> int:
        return CAPABILITIES[self.role].max_tier


@dataclass
class Country:
    regions: list[Region]
    districts: dict[int, list[int]]
    organisations: list[tuple[Organisation, str]] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)

    def with_role(self, role: str, region_id: int | None = None) -> list[Staff]:
        return [
            s for s in self.staff if s.role == role and region_id in (None, s.region_id)
        ]

    def organisations_of(self, kind: str) -> list[Organisation]:
        return [org for org, k in self.organisations if k == kind]


class Command(BaseCommand):
    help = "Builds a synthetic demo country (organisations, users, children and their cases), the same for a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children",
            type=int,
            default=2000,
            help="How many children (default 2000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Seed of every random choice (default 2026).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when organisations exist already.",
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Children written per transaction."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "The database already holds organisations; no demo data added."
                )
                return
            raise CommandError(
                "The database already holds organisations: seed_demo needs an empty database."
            )
        try:
            crypto.keyring()
        except crypto.KeyringError as exc:
            raise CommandError(str(exc)) from exc
        total, seed, batch = (
            options["children"],
            options["seed"],
            max(1, options["batch"]),
        )
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            country = build_country(rng)
        self.stdout.write(
            f"{len(country.organisations)} organisations and {len(country.staff)} users created."
        )
        caseload = Caseload(rng, country, total)
        for first in range(0, total, batch):
            rows = caseload.build(first, min(batch, total - first))
            rows.save()
            done = first + min(batch, total - first)
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stdout.write(
                f"  {done:>9,} / {total:,} children · {rate:,.0f} children/s"
            )
        with transaction.atomic():
            add_access_grants(rng, country)
            CaseNumberCounter.objects.bulk_create(caseload.counters())
            record_event(
                "demo.seed",
                by=None,
                object_type="demo",
                details={"children": total, "seed": seed},
            )
        self.stdout.write(f"Done in {time.monotonic() - started:,.1f} s.\n")
        call_command("demo_logins", stdout=self.stdout)


# The country: districts, organisations and their staff.


def build_country(rng: random.Random) -> Country:
    regions = {r.code: r for r in Region.objects.all()}
    missing = [info.code for info in data.REGIONS if info.code not in regions]
    if missing:
        raise CommandError(
            f"Regions missing ({', '.join(missing)}): run `manage.py migrate` first."
        )
    country = Country(
        regions=[regions[info.code] for info in data.REGIONS], districts={}
    )
    for info in data.REGIONS:
        country.districts[regions[info.code].pk] = create_districts(
            regions[info.code], info
        )
    create_organisations(rng, country, regions)
    create_staff(rng, country)
    return country


def create_districts(region: Region, info: data.RegionInfo) -> list[int]:
    ids = []
    for kk, ru, en in info.districts:
        district, _created = District.objects.get_or_create(
            region=region, name_en=en, defaults={"name_ru": ru, "name_kk": kk}
        )
        ids.append(district.pk)
    return ids


def create_organisations(
    rng: random.Random, country: Country, regions: dict[str, Region]
) -> None:
    types = {t.code: t for t in Term.objects.filter(vocabulary="org_Type")}
    infos = {info.code: info for info in data.REGIONS}
    ngo_names = cycle(data.NGO_NAMES)
    built = []
    for placement in data.ORGANISATIONS:
        kind = data.ORG_KINDS[placement.kind]
        if kind.type_code not in types:
            raise CommandError(
                f"Organisation type {kind.type_code} is missing: run `manage.py migrate` first."
            )
        region = regions[placement.region]
        ngo = next(ngo_names) if placement.kind in NGO_KINDS else ("", "", "")
        names = organisation_names(rng, kind, region, infos[region.code], ngo)
        district = (
            None
            if placement.kind in NATIONAL_KINDS
            else rng.choice(country.districts[region.pk])
        )
        org = Organisation(
            name_kk=names[0], name_ru=names[1], name_en=names[2], type=types[kind.type_code], ministry=kind.ministry,
            region=region, district_id=district, is_first_responder=kind.first_responder,
            is_service_provider=kind.provider, services=list(kind.services),
            capacity=rng.randint(*kind.capacity) if kind.capacity else None,
            accessibility=[a for a in kind.accessibility if rng.random() < 0.6],
            phone="150" if placement.kind == "hotline" else landline(rng, infos[region.code].phone_code),
        )  # fmt: skip
        built.append((org, placement.kind))
    Organisation.objects.bulk_create([org for org, _kind in built])
    country.organisations = built


def organisation_names(
    rng: random.Random,
    kind: data.OrgKind,
    region: Region,
    info: data.RegionInfo,
    ngo: tuple[str, str, str],
) -> tuple[str, ...]:
    values = {
        "kk": region.name_kk + "ның", "kk_name": region.name_kk, "ru": info.genitive_ru, "en": region.name_en,
        "n": rng.randint(2, 150), "name_kk": ngo[0], "name_ru": ngo[1], "name_en": ngo[2],
    }  # fmt: skip
    return tuple(template.format(**values) for template in kind.names)


def landline(rng: random.Random, code: str) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(10 - len(code)))
    groups = [digits[max(0, i - 2) : i] for i in range(len(digits), 0, -2)][::-1]
    if len(groups[0]) == 2 and len(digits) % 2:
        groups = [digits[:3], *groups[1:]]
    return f"+7 {code} {' '.join(groups)}"


def create_staff(rng: random.Random, country: Country) -> None:
    password = make_password(
        DEMO_PASSWORD
    )  # one Argon2 hash for every demo user: hashing each takes 50 ms
    slugs = {
        r.pk: info.slug for r, info in zip(country.regions, data.REGIONS, strict=True)
    }
    counts: dict[tuple[str, str], int] = {}
    users: list[tuple[User, str, Organisation, str]] = []
    for org, kind_key in country.organisations:
        for role, count in staff_of(kind_key, org):
            for _ in range(count):
                slug = slugs[org.region_id]
                counts[role, slug] = counts.get((role, slug), 0) + 1
                user = demo_user(
                    rng, username(role, slug, counts[role, slug]), role, org, password
                )
                users.append((user, role, org, kind_key))
    User.objects.bulk_create([u for u, *_rest in users])
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=role) for u, role, *_rest in users]
    )
    country.staff = [
        Staff(u.pk, u.username, role, org.pk, org.region_id, kind, u.preferred_language)
        for u, role, org, kind in users
    ]


def staff_of(kind_key: str, org: Organisation) -> list[tuple[str, int]]:
    placement = next(
        p
        for p in data.ORGANISATIONS
        if p.kind == kind_key and p.region == org.region.code
    )
    staff = list(data.ORG_KINDS[kind_key].staff)
    if staff and placement.headcount is not None:
        staff[0] = (staff[0][0], placement.headcount)
    return staff + list(placement.extra)


def username(role: str, slug: str, n: int) -> str:
    if role in NATIONAL_USERNAMES:
        stem = NATIONAL_USERNAMES[role]
        return stem if role == Role.ADMINISTRATOR and n == 1 else f"{stem}{n}"
    if role == Role.REGIONAL_COORDINATOR and n == 1:
        return f"coordinator.{slug}"
    return f"{USERNAME_STEMS.get(role, role)}.{slug}{n}"


def demo_user(
    rng: random.Random, name: str, role: str, org: Organisation, password: str
) -> User:
    first, last = FamilyNames.staff_name(rng)
    admin = role == Role.ADMINISTRATOR
    return User(
        username=name, first_name=first, last_name=last, email=f"{name}@qorgau.example", password=password,
        organisation=org, region_scope=org.region if role == Role.REGIONAL_COORDINATOR else None,
        preferred_language=Weighted({"ru": 50, "kk": 40, "en": 10}).pick(rng), is_staff=admin, is_superuser=admin,
        date_joined=REFERENCE_NOW - HISTORY - timedelta(days=30),
    )  # fmt: skip


# The caseload: children, their relatives, cases, teams, notes and timelines.


@dataclass
class Rows:
    """One batch of rows, written in one transaction in foreign-key order."""

    persons: list[Person] = field(default_factory=list)
    tokens: list[PersonNameToken] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    members: list[CaseMember] = field(default_factory=list)
    participants: list[CaseParticipant] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)

    def save(self) -> None:
        with transaction.atomic():
            Person.objects.bulk_create(self.persons)
            PersonNameToken.objects.bulk_create(self.tokens)
            # Returns the new primary keys, which the rows below pick up from their `case` instances.
            Case.objects.bulk_create(self.cases)
            CaseMember.objects.bulk_create(self.members)
            CaseParticipant.objects.bulk_create(self.participants)
            CaseNote.objects.bulk_create(self.notes)
            CaseEvent.objects.bulk_create(self.events)


@dataclass
class Child:
    person: Person
    family: FamilyNames
    region_id: int
    district_id: int | None


class Caseload:
    def __init__(self, rng: random.Random, country: Country, total: int) -> None:
        self.rng = rng
        self.country = country
        self.total = total
        self.tokens = NameTokens()
        self.iins = IinIssuer(rng)
        self.last_numbers: dict[tuple[Region, int], int] = {}
        self.region_choice = Weighted(
            {
                r.pk: info.weight
                for r, info in zip(country.regions, data.REGIONS, strict=True)
            }
        )
        self.regions = {r.pk: r for r in country.regions}
        self.caseworkers = {
            r.pk: country.with_role(Role.CASEWORKER, r.pk) for r in country.regions
        }
        self.all_caseworkers = country.with_role(Role.CASEWORKER)
        self.pools = {role: self._pool(pairs) for role, pairs in TEAM_POOLS.items()}
        self.by_pk = {s.pk: s for s in country.staff}
        self.statuses, self.types = Weighted(STATUS_WEIGHTS), Weighted(TYPE_WEIGHTS)
        self.priorities, self.tiers = Weighted(PRIORITY_WEIGHTS), Weighted(TIER_WEIGHTS)
        self.team_roles, self.relations = (
            Weighted(TEAM_WEIGHTS),
            Weighted(RELATION_WEIGHTS),
        )

    def _pool(
        self, pairs: tuple[tuple[str, str], ...]
    ) -> dict[int | None, list[Staff]]:
        chosen = [s for s in self.country.staff if (s.role, s.kind) in pairs]
        pool: dict[int | None, list[Staff]] = {None: chosen}
        for s in chosen:
            pool.setdefault(s.region_id, []).append(s)
        return pool

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def build(self, first: int, count: int) -> Rows:
        rows = Rows()
        for index in range(first, first + count):
            # Children are spread evenly over the three years in order, so case numbers follow dates.
            slot = HISTORY * ((index + self.rng.random()) / self.total)
            opened = (
                REFERENCE_NOW - HISTORY + timedelta(seconds=int(slot.total_seconds()))
            )
            self.add_child_cases(rows, opened)
        self.number_cases(rows)
        self.add_name_tokens(rows)
        return rows

    def add_child_cases(self, rows: Rows, opened: datetime) -> None:
        rng = self.rng
        region_id = self.region_choice.pick(rng)
        owner = self.pick_caseworker(region_id, exclude_org=None)
        child = self.new_child(opened, region_id, owner)
        rows.persons.append(child.person)
        self.add_case(rows, child, region_id, owner, opened)
        if rng.random() < 0.05:
            second_owner = self.pick_caseworker(
                region_id, exclude_org=owner.organisation_id
            )
            later = min(
                opened + timedelta(days=rng.uniform(1, 120)),
                REFERENCE_NOW - timedelta(hours=1),
            )
            self.add_case(
                rows, child, second_owner.region_id, second_owner, max(later, opened)
            )

    def pick_caseworker(self, region_id: int, exclude_org: int | None) -> Staff:
        local = [
            s for s in self.caseworkers[region_id] if s.organisation_id != exclude_org
        ]
        if local and self.rng.random() < 0.9:
            return self.rng.choice(local)
        return self.rng.choice(
            [s for s in self.all_caseworkers if s.organisation_id != exclude_org]
        )

    # People

    def new_child(self, opened: datetime, region_id: int, owner: Staff) -> Child:
        rng = self.rng
        family = FamilyNames.draw(rng)
        sex = rng.choice((Person.Sex.FEMALE, Person.Sex.MALE))
        system = Spelling.draw(rng, family)
        name = family.child(sex, rng)
        given, surname, patronymic = name.spelt(system)
        age = rng.choices(
            range(3, 18), weights=(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 6, 7, 7, 6)
        )[0]
        assessment = Weighted(
            {"documented": 86, "estimated": 9, "presumed_minor": 4, "disputed": 1}
        ).pick(rng)
        born = opened.date() - timedelta(days=365 * age + rng.randrange(365))
        documented = assessment == Person.AgeAssessment.DOCUMENTED
        has_iin = documented and family.citizenship == "KZ" and rng.random() < 0.7
        district = rng.choice(self.country.districts[region_id])
        person = Person(
            id=self.new_uuid(), kind=Person.Kind.CHILD, given_name=given, family_name=surname, patronymic=patronymic,
            other_spellings=name.other_spellings(system, rng, family.origin) if rng.random() < 0.15 else [],
            birth_date=born.isoformat() if documented else "", birth_year=born.year, age_assessment=assessment,
            sex=sex, citizenship=[family.citizenship], languages=family.languages(rng),
            iin=self.iins.issue(born, sex) if has_iin else "",
            phone=mobile_phone(rng) if age >= 10 and rng.random() < 0.45 else "",
            address=family.address(rng, system) if rng.random() < 0.5 else "",
            region_id=region_id, district_id=district, created_by_organisation_id=owner.organisation_id,
            created_at=opened, updated_at=opened,
        )  # fmt: skip
        if rng.random() < 0.1:
            self.add_disability(person)
        person.iin_index = iin_blind_index(person.iin) if person.iin else ""
        return Child(person, family, region_id, district)

    def add_disability(self, person: Person) -> None:
        rng = self.rng
        kinds = rng.sample(list(Person.DisabilityType.values), rng.choice((1, 1, 2)))
        needs = {
            "hearing": "sign_language",
            "speech": "aac",
            "intellectual": "easy_read",
            "multiple": "aac",
        }
        person.disability_status = rng.choice(
            (Person.Disability.SUSPECTED, Person.Disability.CERTIFIED)
        )
        person.disability_types = kinds
        person.communication_needs = sorted({needs[k] for k in kinds if k in needs})
        person.support_needs = rng.choice(data.SUPPORT_NEEDS[kinds[0]])

    def new_adult(
        self, child: Child, relation: str, org_id: int, at: datetime
    ) -> Person:
        rng = self.rng
        criminal = relation in (
            CaseParticipant.Relation.SUSPECTED_TRAFFICKER,
            CaseParticipant.Relation.RECRUITER,
        )
        system = (
            Spelling.INFORMAL
            if criminal and rng.random() < 0.5
            else Spelling.draw(rng, child.family)
        )
        if criminal:
            sex, name = Person.Sex.MALE, FamilyNames.stranger(rng)
        else:
            sex = rng.choice((Person.Sex.FEMALE, Person.Sex.MALE))
            name = child.family.parent(sex, rng)
        given, surname, patronymic = name.spelt(system)
        born = date(child.person.birth_year or 2010, 1, 1) - timedelta(
            days=rng.randint(19 * 365, 45 * 365)
        )
        person = Person(
            id=self.new_uuid(), kind=Person.Kind.ADULT, given_name=given, family_name=surname,
            patronymic=patronymic, birth_year=born.year,
            age_assessment=Person.AgeAssessment.ESTIMATED if criminal else Person.AgeAssessment.DOCUMENTED,
            sex=sex, citizenship=[child.family.citizenship], languages=child.family.languages(rng),
            iin=self.iins.issue(born, sex) if not criminal and rng.random() < 0.3 else "",
            phone=mobile_phone(rng) if rng.random() < 0.7 else "",
            region_id=child.region_id, district_id=child.district_id, created_by_organisation_id=org_id,
            created_at=at, updated_at=at,
        )  # fmt: skip
        person.iin_index = iin_blind_index(person.iin) if person.iin else ""
        return person

    def add_name_tokens(self, rows: Rows) -> None:
        for person in rows.persons:
            rows.tokens.extend(
                PersonNameToken(person_id=person.pk, token=t)
                for t in self.tokens.of(person)
            )
        if rows.persons:
            self.tokens.check(rows.persons[0])

    # Cases

    def add_case(
        self, rows: Rows, child: Child, region_id: int, owner: Staff, opened: datetime
    ) -> None:
        rng = self.rng
        status, case_type = self.statuses.pick(rng), self.types.pick(rng)
        if status == S.CLOSED_NOT_VICTIM and case_type == Case.Type.CONFIRMED_VICTIM:
            case_type = Case.Type.POTENTIAL_VICTIM
        end = self.last_activity(opened, status)
        case = Case(
            type=case_type, status=status, priority=self.priorities.pick(rng), region_id=region_id,
            lead_organisation_id=owner.organisation_id, owner_id=owner.pk, child=child.person, opened_at=opened,
        )  # fmt: skip
        rows.cases.append(case)
        times = [opened]
        team = self.add_team(rows, case, owner, opened, times)
        self.add_participants(rows, case, child, owner, end, times)
        self.add_notes(rows, case, team, end, times)
        self.add_status_changes(rows, case, owner, end, times)
        case.updated_at = max(times)

    def last_activity(self, opened: datetime, status: str) -> datetime:
        if status == S.DRAFT:
            days = self.rng.uniform(0, 2)
        elif status in Case.CLOSED_STATUSES:
            days = self.rng.uniform(14, 300)
        else:
            days = self.rng.uniform(1, 200)
        return min(opened + timedelta(days=days), REFERENCE_NOW)

    def moment(self, start: datetime, end: datetime) -> datetime:
        return start + timedelta(
            seconds=int(self.rng.uniform(0, max((end - start).total_seconds(), 60)))
        )

    def add_team(
        self,
        rows: Rows,
        case: Case,
        owner: Staff,
        opened: datetime,
        times: list[datetime],
    ) -> list[Staff]:
        rows.members.append(
            CaseMember(
                case=case,
                user_id=owner.pk,
                role=M.LEAD,
                added_by_id=owner.pk,
                added_at=opened,
            )
        )
        team = [owner]
        for _ in range(self.rng.randint(1, 3)):
            role = self.team_roles.pick(self.rng)
            member = self.pick_member(role, case.region_id, team)
            if member is None:
                continue
            at = opened + timedelta(minutes=self.rng.randint(5, 60 * 72))
            team.append(member)
            times.append(at)
            rows.members.append(
                CaseMember(
                    case=case,
                    user_id=member.pk,
                    role=role,
                    added_by_id=owner.pk,
                    added_at=at,
                )
            )
            rows.events.append(
                event(
                    case,
                    CaseEvent.Kind.MEMBER_ADDED,
                    owner,
                    at,
                    user=member.username,
                    role=role,
                )
            )
        return team

    def pick_member(self, role: str, region_id: int, team: list[Staff]) -> Staff | None:
        pool = self.pools[role]
        local = pool.get(region_id, [])
        candidates = local if local and self.rng.random() < 0.8 else pool[None]
        candidates = [s for s in candidates if s not in team]
        return self.rng.choice(candidates) if candidates else None

    def add_participants(
        self,
        rows: Rows,
        case: Case,
        child: Child,
        owner: Staff,
        end: datetime,
        times: list[datetime],
    ) -> None:
        for _ in range(self.rng.choices((0, 1, 2), weights=(30, 45, 25))[0]):
            relation = self.relations.pick(self.rng)
            at = self.moment(case.opened_at, end)
            person = self.new_adult(child, relation, owner.organisation_id, at)
            responsible = relation == CaseParticipant.Relation.GUARDIAN or (
                relation == CaseParticipant.Relation.PARENT and self.rng.random() < 0.9
            )
            rows.persons.append(person)
            rows.participants.append(CaseParticipant(
                case=case, person=person, relation=relation, has_parental_responsibility=responsible, added_at=at,
            ))  # fmt: skip
            rows.events.append(
                event(case, CaseEvent.Kind.PERSON_LINKED, owner, at, relation=relation)
            )
            times.append(at)

    def add_notes(
        self,
        rows: Rows,
        case: Case,
        team: list[Staff],
        end: datetime,
        times: list[datetime],
    ) -> None:
        for _ in range(self.rng.randint(1, 4)):
            tier: int = self.tiers.pick(self.rng)
            authors = [s for s in team if s.max_tier >= tier] or [team[0]]
            author = self.rng.choice(authors)
            tier = min(tier, author.max_tier)
            language = (
                "kk" if author.language == "kk" and data.NOTES[tier].get("kk") else "ru"
            )
            at = self.moment(case.opened_at, end)
            rows.notes.append(CaseNote(
                id=self.new_uuid(), case=case, author_id=author.pk, tier=tier,
                text=self.rng.choice(data.NOTES[tier][language]), created_at=at,
            ))  # fmt: skip
            rows.events.append(
                event(case, CaseEvent.Kind.NOTE_ADDED, author, at, tier=tier)
            )
            times.append(at)

    def add_status_changes(
        self, rows: Rows, case: Case, owner: Staff, end: datetime, times: list[datetime]
    ) -> None:
        path = self.status_path(case.status)
        moments = sorted(self.moment(case.opened_at, end) for _ in path[:-1]) + [end]
        old: str = S.DRAFT
        for new, at in zip(path, moments, strict=True):
            rows.events.append(
                event(case, CaseEvent.Kind.STATUS_CHANGED, owner, at, old=old, new=new)
            )
            old = new
        if case.status in Case.CLOSED_STATUSES:
            case.closed_at = end
            case.closure_reason = self.rng.choice(data.CLOSURE_REASONS[case.status])
        case.version = 1 + len(path)
        times.append(end)

    def status_path(self, status: str) -> list[str]:
        """The statuses a case went through after draft: a few steps of the NRM path, then its status."""
        if status == S.DRAFT:
            return []
        last = OPEN_PATH.index(S(status)) if status in OPEN_PATH else len(OPEN_PATH)
        between = OPEN_PATH[1:last]
        steps = sorted(
            self.rng.sample(
                range(len(between)), self.rng.randint(0, min(2, len(between)))
            )
        )
        return [between[i] for i in steps] + [status]

    def number_cases(self, rows: Rows) -> None:
        """Case numbers as services._next_case_number issues them: per region and year, in order of opening."""
        for case in sorted(rows.cases, key=lambda c: c.opened_at):
            region = self.regions[case.region_id]
            year = timezone.localtime(case.opened_at).year
            last = self.last_numbers.get((region, year), 0) + 1
            self.last_numbers[region, year] = last
            case.number = f"KZ{region.short_code}-{year}-{last:05d}"
            owner = self.by_pk[case.owner_id]
            rows.events.append(
                event(
                    case,
                    CaseEvent.Kind.OPENED,
                    owner,
                    case.opened_at,
                    number=case.number,
                )
            )

    def counters(self) -> list[CaseNumberCounter]:
        return [
            CaseNumberCounter(region=region, year=year, last=last)
            for (region, year), last in sorted(
                self.last_numbers.items(), key=lambda kv: (kv[0][0].code, kv[0][1])
            )
        ]


def event(
    case: Case, kind: str, actor: Staff, at: datetime, **params: Any
) -> CaseEvent:
    return CaseEvent(case=case, kind=kind, actor_id=actor.pk, at=at, params=params)


# Access beyond the case team: oversight and emergency (break-glass) grants.


def add_access_grants(rng: random.Random, country: Country) -> None:
    serious = [Case.Type.POTENTIAL_VICTIM, Case.Type.CONFIRMED_VICTIM]
    cases = list(Case.objects.filter(type__in=serious).order_by("id")[:400])
    if len(cases) < 20:
        return
    picked = rng.sample(cases, 20)
    grants: list[CaseAccessGrant] = []
    events: list[CaseEvent] = []
    for org in country.organisations_of(
        "prosecutor_general"
    ) + country.organisations_of("prosecutor"):
        for case in picked[:4] if org.region.code == "KZ-71" else picked[4:7]:
            oversight_grant(rng, case, org, Tier.CRIMINAL, grants, events)
    for org in country.organisations_of("ombudsman"):
        for case in picked[7:12]:
            oversight_grant(rng, case, org, Tier.HEALTH, grants, events)
    members = set(
        CaseMember.objects.filter(case__in=picked[12:]).values_list(
            "case_id", "user_id"
        )
    )
    for n, case in enumerate(picked[12:]):
        break_glass_grant(
            rng,
            country,
            case,
            members,
            reviewed=n % 2 == 0,
            grants=grants,
            events=events,
        )
    CaseAccessGrant.objects.bulk_create(grants)
    CaseEvent.objects.bulk_create(events)


def oversight_grant(
    rng: random.Random,
    case: Case,
    org: Organisation,
    tier: int,
    grants: list[CaseAccessGrant],
    events: list[CaseEvent],
) -> None:
    at = case.opened_at + (REFERENCE_NOW - case.opened_at) * rng.uniform(0.1, 0.9)
    grants.append(CaseAccessGrant(
        case=case, organisation=org, purpose=CaseAccessGrant.Purpose.OVERSIGHT, max_tier=tier,
        reason=rng.choice(data.OVERSIGHT_REASONS), granted_by_id=case.owner_id, valid_from=at,
    ))  # fmt: skip
    events.append(CaseEvent(case=case, kind=CaseEvent.Kind.ACCESS_GRANTED, actor_id=case.owner_id, at=at,
                            params={"organisation": org.pk, "tier": tier}))  # fmt: skip


def break_glass_grant(
    rng: random.Random, country: Country, case: Case, members: set[tuple[int, int]], *, reviewed: bool,
    grants: list[CaseAccessGrant], events: list[CaseEvent],
) -> None:  # fmt: skip
    roles = (Role.CASEWORKER, Role.POLICE_INVESTIGATOR)
    outsiders = [
        s for s in country.staff if s.role in roles and (case.pk, s.pk) not in members
    ]
    user = rng.choice(
        [s for s in outsiders if s.region_id == case.region_id] or outsiders
    )
    hours = settings.QORGAU_BREAK_GLASS_HOURS
    at = (
        case.updated_at
        if reviewed
        else REFERENCE_NOW - timedelta(hours=rng.uniform(2, 72))
    )
    code = rng.choice(list(data.BREAK_GLASS_STORIES))
    grant = CaseAccessGrant(
        case=case, user_id=user.pk, purpose=CaseAccessGrant.Purpose.BREAK_GLASS,
        max_tier=min(CAPABILITIES[user.role].max_tier, Tier.HEALTH), reason_code=code,
        reason=data.BREAK_GLASS_STORIES[code], granted_by_id=user.pk, valid_from=at,
        expires_at=at + timedelta(hours=hours),
    )  # fmt: skip
    if reviewed:
        reviewers = [
            s
            for s in country.with_role(Role.SUPERVISOR)
            if s.organisation_id == case.lead_organisation_id
        ]
        reviewer = (reviewers or country.with_role(Role.PROSECUTOR))[0]
        grant.reviewed_by_id, grant.reviewed_at = (
            reviewer.pk,
            at + timedelta(hours=rng.uniform(4, 48)),
        )
        grant.review_outcome = rng.choice(list(CaseAccessGrant.ReviewOutcome.values))
        grant.review_note = "Обоснованность проверена по журналу доступа."
    grants.append(grant)
    events.append(CaseEvent(case=case, kind=CaseEvent.Kind.BREAK_GLASS, actor_id=user.pk, at=at,
                            params={"user": user.username, "reason": code, "hours": hours}))  # fmt: skip
