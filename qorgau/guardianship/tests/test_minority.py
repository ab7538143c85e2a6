"""The presumption of minority as a rule, without the database."""

from datetime import date

from django.test import SimpleTestCase

from qorgau.guardianship.minority import (
    Finding,
    Minority,
    guardianship_kind_for,
    minority,
)

TODAY = date(2026, 12, 11)
SIXTEEN = date(2010, 6, 1)
NINETEEN = date(2007, 6, 1)


class PresumptionRuleTests(SimpleTestCase):
    def test_a_child_without_a_documented_date_of_birth_is_presumed_a_minor(
        self,
    ) -> None:
        self.assertEqual(
            minority(documented_birth_date=None, latest=None, today=TODAY),
            Minority.PRESUMED,
        )

    def test_an_estimate_never_lifts_the_presumption_even_above_eighteen(
        self,
    ) -> None:
        for finding in (Finding("estimated", 19, 22), Finding("disputed", 20, 25)):
            with self.subTest(finding=finding):
                self.assertEqual(
                    minority(documented_birth_date=None, latest=finding, today=TODAY),
                    Minority.PRESUMED,
                )

    def test_an_estimate_or_dispute_under_eighteen_casts_doubt_on_documents(
        self,
    ) -> None:
        for finding in (
            Finding("estimated", 15, 17),
            Finding("estimated", 17, 20),
            Finding("disputed"),
        ):
            with self.subTest(finding=finding):
                self.assertEqual(
                    minority(
                        documented_birth_date=NINETEEN, latest=finding, today=TODAY
                    ),
                    Minority.PRESUMED,
                )

    def test_documents_decide_when_nothing_casts_doubt_on_them(self) -> None:
        self.assertEqual(
            minority(documented_birth_date=SIXTEEN, latest=None, today=TODAY),
            Minority.DOCUMENTED_MINOR,
        )
        self.assertEqual(
            minority(
                documented_birth_date=NINETEEN,
                latest=Finding("estimated", 19, 22),
                today=TODAY,
            ),
            Minority.DOCUMENTED_ADULT,
        )

    def test_the_eighteenth_birthday_is_the_day_majority_begins(self) -> None:
        born = date(2008, 12, 11)
        self.assertEqual(
            minority(documented_birth_date=born, latest=None, today=date(2026, 12, 10)),
            Minority.DOCUMENTED_MINOR,
        )
        self.assertEqual(
            minority(documented_birth_date=born, latest=None, today=TODAY),
            Minority.DOCUMENTED_ADULT,
        )

    def test_guardianship_is_for_under_fourteen_and_trusteeship_from_fourteen(
        self,
    ) -> None:
        self.assertEqual(guardianship_kind_for(13), "guardian")
        self.assertEqual(guardianship_kind_for(14), "trustee")
        self.assertEqual(guardianship_kind_for(17), "trustee")
        self.assertEqual(guardianship_kind_for(19), "trustee")  # presumed a minor
        self.assertEqual(guardianship_kind_for(None), "guardian")
