"""The pure calculations: overall level, review dates and planned sessions."""

from datetime import date

from django.test import SimpleTestCase

from qorgau.plans.models import Level
from qorgau.plans.rules import LEVEL_ORDER, overall_level, planned_sessions, review_due

DAYS = {"high": 7, "medium": 30, "low": 90}


class OverallLevelTests(SimpleTestCase):
    def test_it_is_the_highest_level_of_any_area(self) -> None:
        self.assertEqual(overall_level(["low", "high", "medium"]), "high")
        self.assertEqual(overall_level(["low", "not_assessed"]), "low")

    def test_it_is_not_assessed_when_no_area_was(self) -> None:
        self.assertEqual(overall_level(["not_assessed"] * 6), "not_assessed")
        self.assertEqual(overall_level([]), "not_assessed")

    def test_it_ranks_the_same_codes_as_the_model(self) -> None:
        self.assertEqual(tuple(Level.values), LEVEL_ORDER)


class ReviewDueTests(SimpleTestCase):
    def test_the_higher_the_risk_the_sooner_the_review(self) -> None:
        day = date(2026, 11, 2)
        self.assertEqual(review_due(day, "high", DAYS), date(2026, 11, 9))
        self.assertEqual(review_due(day, "medium", DAYS), date(2026, 12, 2))
        self.assertEqual(review_due(day, "low", DAYS), date(2027, 1, 31))

    def test_a_level_without_a_setting_is_reviewed_as_soon_as_the_highest(self) -> None:
        self.assertEqual(
            review_due(date(2026, 11, 2), "not_assessed", DAYS), date(2026, 11, 9)
        )


class PlannedSessionsTests(SimpleTestCase):
    def test_once_is_one_session(self) -> None:
        self.assertEqual(planned_sessions("once", date(2026, 1, 5), None), 1)

    def test_a_weekly_service_over_eight_weeks_plans_eight_sessions(self) -> None:
        self.assertEqual(
            planned_sessions("weekly", date(2026, 1, 5), date(2026, 3, 1)), 8
        )
        self.assertEqual(
            planned_sessions("daily", date(2026, 1, 5), date(2026, 1, 11)), 7
        )
        self.assertEqual(
            planned_sessions("monthly", date(2026, 1, 1), date(2026, 1, 5)), 1
        )

    def test_an_open_ended_or_as_needed_service_has_no_target(self) -> None:
        self.assertIsNone(planned_sessions("weekly", date(2026, 1, 5), None))
        self.assertIsNone(
            planned_sessions("as_needed", date(2026, 1, 5), date(2026, 3, 1))
        )
