"""The review and follow-up calendar: plain date arithmetic."""

from datetime import date

from django.test import SimpleTestCase, override_settings

from qorgau.reviews.schedule import (
    add_months,
    follow_up_dates,
    interval_days,
    is_overdue,
    next_review_on,
    reminder_from,
)


class ScheduleTests(SimpleTestCase):
    def test_the_interval_follows_the_priority(self) -> None:
        self.assertEqual(
            [interval_days(p) for p in ("urgent", "high", "normal", "low")],
            [7, 14, 30, 90],
        )
        self.assertEqual(next_review_on(date(2026, 12, 28), "urgent"), date(2027, 1, 4))

    @override_settings(QORGAU_REVIEW_INTERVAL_DAYS={"normal": 21, "urgent": 3})
    def test_the_interval_is_configuration_and_an_unknown_priority_counts_as_normal(
        self,
    ) -> None:
        self.assertEqual(interval_days("urgent"), 3)
        self.assertEqual(interval_days("low"), 21)

    def test_months_keep_the_day_or_take_the_last_day_of_a_shorter_month(self) -> None:
        self.assertEqual(add_months(date(2026, 8, 31), 6), date(2027, 2, 28))
        self.assertEqual(add_months(date(2027, 8, 31), 6), date(2028, 2, 29))
        self.assertEqual(add_months(date(2026, 12, 15), 12), date(2027, 12, 15))
        self.assertEqual(add_months(date(2026, 7, 10), 6), date(2027, 1, 10))

    def test_follow_ups_come_six_and_twelve_months_after_closure(self) -> None:
        self.assertEqual(
            follow_up_dates(date(2026, 3, 31)),
            [(6, date(2026, 9, 30)), (12, date(2027, 3, 31))],
        )

    @override_settings(QORGAU_FOLLOW_UP_MONTHS=(3, 6, 12))
    def test_the_follow_up_months_are_configuration(self) -> None:
        self.assertEqual(
            [m for m, _due in follow_up_dates(date(2026, 1, 1))], [3, 6, 12]
        )

    def test_a_review_is_late_only_the_day_after_it_is_due(self) -> None:
        due = date(2026, 12, 10)
        self.assertEqual(reminder_from(due, 3), date(2026, 12, 7))
        self.assertIs(is_overdue(due, date(2026, 12, 10)), False)
        self.assertIs(is_overdue(due, date(2026, 12, 11)), True)
