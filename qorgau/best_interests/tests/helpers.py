"""The people and steps the best-interests tests share.

On alice_case (alice, caseworker, owner; bob, read-only observer): vera, a supervisor, and rita,
a regional coordinator of Almaty, both of whom may determine; sam, a screener (tier 2), and pete,
a police investigator, who may write but not determine. carol (agency B) sees nothing.
"""

from typing import Any

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.best_interests import services
from qorgau.best_interests.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    BestInterestsOption,
)
from qorgau.cases import services as case_services
from qorgau.cases.models import CaseMember
from qorgau.test import BaseTestCase, make_user

CHILD_VIEWS = "Я хочу жить у тёти в Шымкенте, там я хожу в школу."


class BestInterestsTestCase(BaseTestCase):
    vera: User
    rita: User
    sam: User
    pete: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vera = make_user("vera", cls.agency_a, Role.SUPERVISOR, first_name="Вера")
        cls.rita = make_user(
            "rita", cls.agency_a, Role.REGIONAL_COORDINATOR, region_scope=cls.almaty
        )
        cls.sam = make_user("sam", cls.agency_a, Role.SCREENER)
        cls.pete = make_user("pete", cls.agency_a, Role.POLICE_INVESTIGATOR)
        for user in (cls.vera, cls.rita, cls.sam, cls.pete):
            case_services.add_team_member(
                cls.alice_case,
                user=user,
                role=CaseMember.Role.CASEWORKER,
                by=cls.alice,
            )

    def start(self, by: User | None = None) -> BestInterestsAssessment:
        return services.start_assessment(self.alice_case, by=by or self.alice)

    def fill(
        self, assessment: BestInterestsAssessment, **changes: Any
    ) -> BestInterestsAssessment:
        """Everything a complete assessment holds, with two options."""
        values: dict[str, Any] = {
            "team_participants": [self.alice, self.vera],
            "other_participants": "Тётя девочки; переводчик жестового языка",
            "views_method": "sign_language",
            "accommodations": ["sign_interpreter", "pictograms", "breaks"],
            "views_language": "sign",
            "child_views": CHILD_VIEWS,
            "maturity_considered": True,
            "findings_safety": "The recruiter knows the family's address.",
            "findings_health": "Hearing impairment; needs a hearing aid.",
            "findings_wishes": "Wants to stay with her aunt and keep her school.",
        } | changes
        filled = services.update_assessment(assessment, changes=values, by=self.alice)
        for option, pro, contra in (
            ("Live with the aunt in Shymkent", "The child's wish; school", "Far"),
            ("Return to the parents", "Family", "The recruiter knows the address"),
        ):
            services.add_option(
                filled,
                option=option,
                arguments_for=pro,
                arguments_against=contra,
                by=self.alice,
            )
        return self.reload(filled)  # type: ignore[no-any-return]

    def completed(self) -> BestInterestsAssessment:
        return services.complete_assessment(self.fill(self.start()), by=self.alice)

    def option(
        self, assessment: BestInterestsAssessment, n: int = 0
    ) -> BestInterestsOption:
        return list(assessment.options.all())[n]

    def determining(
        self, assessment: BestInterestsAssessment, **overrides: Any
    ) -> services.Determining:
        values: dict[str, Any] = {
            "option": self.option(assessment),
            "reasons": "Her own wish, her school and her safety all point to her aunt.",
            "panel": [self.alice],
            "panel_others": "The child's guardian",
            "explained_to_child": True,
            "explanation_method": "sign_language",
        } | overrides
        return services.Determining(**values)

    def determined(
        self, by: User | None = None, **overrides: Any
    ) -> BestInterestsDetermination:
        assessment = self.completed()
        return services.determine(
            assessment,
            decision=self.determining(assessment, **overrides),
            by=by or self.vera,
        )
