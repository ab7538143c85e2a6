"""People around alice_case for plan tests.

vera supervises agency A (alice's); sid is a screener of agency A on the team (writes, but reads
only up to case narrative); sam is a caseworker of a shelter on the team as its service
provider; dan is a caseworker of the same shelter who is not on the team.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import translation

from qorgau.agencies.models import Ministry, Organisation, User
from qorgau.agencies.roles import Role
from qorgau.cases import services as case_services
from qorgau.cases.models import CaseMember
from qorgau.plans import services
from qorgau.plans.models import Area, Level
from qorgau.test import BaseTestCase, make_org, make_user

HEALTH_NOTE = "Sleeps badly after the exploitation; sees the psychologist weekly."
RECRUITER_NOTE = "The recruiter still writes to the child on Telegram."


def ratings(**levels: Any) -> dict[str, services.Rating]:
    """Ratings by area: `online="high"` or `online=("high", "factors")`."""
    out = {}
    for area, value in levels.items():
        level, factors = value if isinstance(value, tuple) else (value, "")
        out[area] = services.Rating(level, factors)
    return out


class PlansTestCase(BaseTestCase):
    vera: User
    sid: User
    shelter: Organisation
    sam: User
    dan: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vera = make_user("vera", cls.agency_a, Role.SUPERVISOR)
        cls.sid = make_user("sid", cls.agency_a, Role.SCREENER)
        cls.shelter = make_org(
            "Shelter", cls.almaty, ministry=Ministry.NONE, type_code="Shelter"
        )
        Organisation.objects.filter(pk=cls.shelter.pk).update(
            is_service_provider=True, services=["shelter", "psychological"]
        )
        cls.shelter.refresh_from_db()
        cls.sam = make_user("sam", cls.shelter, Role.CASEWORKER)
        cls.dan = make_user("dan", cls.shelter, Role.CASEWORKER)
        for user, role in (
            (cls.sid, CaseMember.Role.CASEWORKER),
            (cls.sam, CaseMember.Role.SERVICE_PROVIDER),
        ):
            case_services.add_team_member(
                cls.alice_case, user=user, role=role, by=cls.alice
            )

    def setUp(self) -> None:
        super().setUp()
        # Refusals and timeline lines are read in English here, whatever the default language.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def assess(
        self, by: User | None = None, levels: dict[str, Any] | None = None
    ) -> Any:
        levels = levels or {Area.RE_TRAFFICKING: (Level.MEDIUM, RECRUITER_NOTE)}
        return services.start_risk_assessment(
            self.alice_case,
            ratings=ratings(**levels),
            by=by or self.alice,
            finalise=True,
        )

    def stored(self, table: str, column: str) -> list[bytes]:
        """The raw values of a column, as the database holds them."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - test names only
            return [bytes(row[0]) for row in cursor.fetchall() if row[0] is not None]
