"""The demo country of `seed_demo`: districts, organisations and their staff."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import cycle

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError

from qorgau.agencies.management.commands.demo_logins import DEMO_PASSWORD
from qorgau.agencies.models import Organisation, RoleAssignment, User
from qorgau.agencies.roles import CAPABILITIES, Role
from qorgau.cases.management.commands import _demo_data as data
from qorgau.cases.management.commands._demo_people import FamilyNames, Weighted
from qorgau.reference.models import District, Region, Term

# A fixed clock, so that runs with the same seed write the same dates whatever the day.
REFERENCE_NOW = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
HISTORY = timedelta(days=3 * 365)

NATIONAL_KINDS = ("ministry", "prosecutor_general", "ombudsman", "hotline")
NGO_KINDS = ("shelter", "ngo")
USERNAME_STEMS: dict[str, str] = {Role.POLICE_INVESTIGATOR: "investigator",
                  Role.REGIONAL_COORDINATOR: "coordinator"}  # fmt: skip
# Roles numbered across the country, not per region: prosecutor1, analyst2…
NATIONAL_USERNAMES: dict[str, str] = {
    Role.NATIONAL_COORDINATOR: "national.coordinator", Role.PROSECUTOR: "prosecutor",
    Role.OMBUDSMAN: "ombudsman", Role.ANALYST: "analyst", Role.TRAINER: "trainer",
    Role.EDITOR: "editor", Role.ADMINISTRATOR: "admin",
}  # fmt: skip
LANGUAGES = Weighted({"ru": 50, "kk": 40, "en": 10})


@dataclass(frozen=True)
class Staff:
    pk: int
    username: str
    role: str
    organisation_id: int
    region_id: int
    kind: str  # a key of data.ORG_KINDS
    language: str

    @property
    def max_tier(self) -> int:
        return CAPABILITIES[self.role].max_tier


@dataclass
class Country:
    regions: list[Region]  # in the order of data.REGIONS
    districts: dict[int, list[int]] = field(default_factory=dict)
    organisations: list[tuple[Organisation, str]] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)

    def with_role(self, role: str) -> list[Staff]:
        return [s for s in self.staff if s.role == role]

    def organisations_of(self, kind: str) -> list[Organisation]:
        return [org for org, k in self.organisations if k == kind]

    def regions_with_info(self) -> list[tuple[Region, data.RegionInfo]]:
        return list(zip(self.regions, data.REGIONS, strict=True))


def build_country(rng: random.Random) -> Country:
    regions = {r.code: r for r in Region.objects.all()}
    missing = [info.code for info in data.REGIONS if info.code not in regions]
    if missing:
        raise CommandError(f"Regions {missing} are missing: run `manage.py migrate`.")
    country = Country([regions[info.code] for info in data.REGIONS])
    for region, info in country.regions_with_info():
        country.districts[region.pk] = create_districts(region, info)
    create_organisations(rng, country)
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


def create_organisations(rng: random.Random, country: Country) -> None:
    types = {t.code: t for t in Term.objects.filter(vocabulary="org_Type")}
    regions = {r.code: (r, info) for r, info in country.regions_with_info()}
    ngo_names = cycle(data.NGO_NAMES)
    for placement in data.ORGANISATIONS:
        kind = data.ORG_KINDS[placement.kind]
        if kind.type_code not in types:
            raise CommandError(
                f"No org_Type {kind.type_code}: run `manage.py migrate`."
            )
        region, info = regions[placement.region]
        ngo = next(ngo_names) if placement.kind in NGO_KINDS else ("", "", "")
        kk, ru, en = organisation_names(rng, kind, region, info, ngo)
        national = placement.kind in NATIONAL_KINDS
        hotline = placement.kind == "hotline"
        org = Organisation(
            name_kk=kk, name_ru=ru, name_en=en, type=types[kind.type_code],
            ministry=kind.ministry, region=region,
            district_id=None if national else rng.choice(country.districts[region.pk]),
            is_first_responder=kind.first_responder, is_service_provider=kind.provider,
            services=list(kind.services),
            capacity=rng.randint(*kind.capacity) if kind.capacity else None,
            accessibility=[a for a in kind.accessibility if rng.random() < 0.6],
            phone="150" if hotline else landline(rng, info.phone_code),
        )  # fmt: skip
        country.organisations.append((org, placement.kind))
    Organisation.objects.bulk_create([org for org, _kind in country.organisations])


def organisation_names(
    rng: random.Random,
    kind: data.OrgKind,
    region: Region,
    info: data.RegionInfo,
    ngo: tuple[str, str, str],
) -> tuple[str, str, str]:
    values = {
        "kk": region.name_kk + "ның", "kk_name": region.name_kk, "ru": info.genitive_ru,
        "en": region.name_en, "n": rng.randint(2, 150),
        "name_kk": ngo[0], "name_ru": ngo[1], "name_en": ngo[2],
    }  # fmt: skip
    kk, ru, en = (template.format(**values) for template in kind.names)
    return kk, ru, en


def landline(rng: random.Random, code: str) -> str:
    """Ten digits after +7, grouped as usual: +7 727 123 45 67, +7 7172 12 34 56."""
    digits = "".join(str(rng.randrange(10)) for _ in range(10 - len(code)))
    head = 3 if len(digits) % 2 else 0
    pairs = [digits[i : i + 2] for i in range(head, len(digits), 2)]
    return " ".join(["+7", code, *([digits[:head]] if head else []), *pairs])


def create_staff(rng: random.Random, country: Country) -> None:
    # One Argon2 hash shared by every demo user: hashing each would take seconds.
    password = make_password(DEMO_PASSWORD)
    slugs = {region.pk: info.slug for region, info in country.regions_with_info()}
    counts: dict[tuple[str, str], int] = {}
    users: list[tuple[User, str, Organisation, str]] = []
    for org, kind in country.organisations:
        for role, count in staff_of(kind, org):
            slug = "" if role in NATIONAL_USERNAMES else slugs[org.region_id]
            for _ in range(count):
                counts[role, slug] = counts.get((role, slug), 0) + 1
                name = username(role, slug, counts[role, slug])
                users.append(
                    (demo_user(rng, name, role, org, password), role, org, kind)
                )
    User.objects.bulk_create([user for user, *_rest in users])
    assignments = [RoleAssignment(user=user, role=role) for user, role, *_rest in users]
    RoleAssignment.objects.bulk_create(assignments)
    country.staff = [
        Staff(user.pk, user.username, role, org.pk, org.region_id, kind,
              user.preferred_language)
        for user, role, org, kind in users
    ]  # fmt: skip


def staff_of(kind: str, org: Organisation) -> list[tuple[str, int]]:
    """The kind's usual staff, with the placement's head count and extra roles."""
    placement = next(
        p for p in data.ORGANISATIONS if p.kind == kind and p.region == org.region.code
    )
    staff = list(data.ORG_KINDS[kind].staff)
    if staff and placement.headcount is not None:
        staff[0] = (staff[0][0], placement.headcount)
    return staff + list(placement.extra)


def username(role: str, slug: str, n: int) -> str:
    """caseworker.almaty1, investigator.astana2, coordinator.shymkent, prosecutor1, admin."""
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
    coordinator = role == Role.REGIONAL_COORDINATOR
    return User(
        username=name, first_name=first, last_name=last, email=f"{name}@qorgau.example",
        password=password, organisation=org,
        region_scope=org.region if coordinator else None,
        preferred_language=LANGUAGES.pick(rng), is_staff=admin, is_superuser=admin,
        date_joined=REFERENCE_NOW - HISTORY - timedelta(days=30),
    )  # fmt: skip
