"""Actors and helpers shared by the guardianship tests.

Besides BaseTestCase's alice (caseworker, owns alice_case), bob (observer on it) and carol
(another agency): vera, a supervisor of agency A; sam, a screener of agency A on alice_case's
team; and the guardianship and trusteeship body of Almaty, which appoints guardians.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation

from qorgau.agencies.models import Ministry, Organisation, User
from qorgau.agencies.roles import Role
from qorgau.cases import services as case_services
from qorgau.cases.models import Case, CaseMember, CaseParticipant
from qorgau.guardianship import services
from qorgau.guardianship.models import GuardianAppointment
from qorgau.test import BaseTestCase, child, make_org, make_user

ALMATY = ZoneInfo("Asia/Almaty")
# Friday 11 December 2026, afternoon: Wednesday 16 December is Independence Day.
FRIDAY = datetime(2026, 12, 11, 15, 0, tzinfo=ALMATY)


class GuardianshipTestCase(BaseTestCase):
    vera: User
    sam: User
    guardianship_body: Organisation
    clinic: Organisation

    def setUp(self) -> None:
        super().setUp()
        # The services' refusals are checked in English; the site's default language is Russian.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vera = make_user("vera", cls.agency_a, Role.SUPERVISOR)
        cls.sam = make_user("sam", cls.agency_a, Role.SCREENER)
        case_services.add_team_member(
            cls.alice_case, user=cls.sam, role=CaseMember.Role.CASEWORKER, by=cls.alice
        )
        cls.guardianship_body = make_org(
            "Guardianship and trusteeship body of Almaty",
            cls.almaty,
            ministry=Ministry.LOCAL_EXECUTIVE,
            type_code="GuardianshipAuthority",
        )
        cls.clinic = make_org(
            "City clinic No. 4",
            cls.almaty,
            ministry=Ministry.HEALTH,
            type_code="HealthServiceOrganisation",
        )

    def open_undocumented(self, **case_options: Any) -> Case:
        """A child whose age nobody has documented: only an estimated birth year."""
        details = child(
            "Айгерім",
            "Сапарова",
            birth_date=None,
            birth_year=2013,
            age_assessment="estimated",
        )
        return case_services.open_case(details, by=self.alice, **case_options)

    def link_guardian(self, case: Case, name: str = "Гүлнар") -> CaseParticipant:
        return case_services.link_person(
            case,
            details=child(name, "Ахметова", birth_date=date(1980, 3, 2), kind="adult"),
            relation=CaseParticipant.Relation.GUARDIAN,
            by=self.alice,
        )

    def appoint(
        self,
        appointment: GuardianAppointment,
        participant: CaseParticipant | None = None,
        **extra: Any,
    ) -> GuardianAppointment:
        options: dict[str, Any] = {
            "appointing_authority": self.guardianship_body,
            "legal_act_reference": "Постановление акимата г. Алматы № 1234",
            "legal_act_date": date(2026, 11, 20),
            "by": self.alice,
        }
        if participant is None and "organisation" not in extra:
            participant = self.link_guardian(appointment.case)
        return services.appoint(
            appointment, participant=participant, **(options | extra)
        )

    def case(self, case: Case) -> Case:
        return Case.objects.get(pk=case.pk)
