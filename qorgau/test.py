"""Named actors in two agencies, for every test that needs people and cases.

alice is a caseworker in agency A and owns alice_case; bob, also in A, is on that case's team as a
read-only observer; carol is a caseworker in agency B and owns carol_case, which nobody in A can see.
"""

from datetime import date
from typing import Any

from django.test import TestCase

from qorgau.agencies.models import (
    ApiToken,
    Ministry,
    Organisation,
    RoleAssignment,
    User,
)
from qorgau.agencies.roles import Role
from qorgau.cases import services
from qorgau.cases.models import Case, CaseMember
from qorgau.cases.services import PersonDetails
from qorgau.reference.models import Region, Term

PASSWORD = "correct-horse-battery-staple"


def make_org(
    name: str,
    region: Region,
    *,
    ministry: str = Ministry.LABOUR_SOCIAL_PROTECTION,
    type_code: str = "LocalGovernmentOrganisation",
) -> Organisation:
    return Organisation.objects.create(
        name_kk=f"{name} (kk)",
        name_ru=f"{name} (ru)",
        name_en=name,
        ministry=ministry,
        region=region,
        type=Term.objects.get(vocabulary="org_Type", code=type_code),
    )


def make_user(
    username: str, org: Organisation | None, *roles: str, **extra: Any
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, organisation=org, **extra
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in roles)
    return User.objects.get(pk=user.pk)


def child(
    given: str = "Жанар", family: str = "Қайырбекова", **kwargs: Any
) -> PersonDetails:
    kwargs.setdefault("birth_date", date(2012, 5, 17))
    kwargs.setdefault("sex", "female")
    return PersonDetails(given_name=given, family_name=family, **kwargs)


class BaseTestCase(TestCase):
    almaty: Region
    astana: Region
    agency_a: Organisation
    agency_b: Organisation
    alice: User
    bob: User
    carol: User
    alice_case: Case
    carol_case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        cls.almaty = Region.objects.get(code="KZ-75")
        cls.astana = Region.objects.get(code="KZ-71")
        cls.agency_a = make_org("Agency A", cls.almaty)
        cls.agency_b = make_org(
            "Agency B",
            cls.astana,
            ministry=Ministry.INTERNAL_AFFAIRS,
            type_code="LawEnforcement",
        )
        cls.alice = make_user("alice", cls.agency_a, Role.CASEWORKER)
        cls.bob = make_user("bob", cls.agency_a, Role.CASEWORKER)
        cls.carol = make_user("carol", cls.agency_b, Role.CASEWORKER)
        cls.alice_case = services.open_case(
            child(iin="061211600012", phone="+77011234567"),
            by=cls.alice,
            priority=Case.Priority.HIGH,
        )
        services.add_team_member(
            cls.alice_case, user=cls.bob, role=CaseMember.Role.OBSERVER, by=cls.alice
        )
        cls.carol_case = services.open_case(
            child("Әділ", "Серікбаев", sex="male"), by=cls.carol
        )

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def token(self, user: User) -> dict[str, str]:
        _row, token = ApiToken.issue(user, name="test")
        return {"Authorization": f"Bearer {token}"}

    def reload(self, obj: Any) -> Any:
        return type(obj).objects.get(pk=obj.pk)
