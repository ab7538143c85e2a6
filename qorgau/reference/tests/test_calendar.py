from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import TestCase

from qorgau.reference.calendar import WorkingCalendar
from qorgau.reference.models import CalendarDay

ALMATY = ZoneInfo("Asia/Almaty")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ALMATY)


class WorkingCalendarTests(TestCase):
    def setUp(self) -> None:
        self.calendar = WorkingCalendar.load()

    def test_the_migration_loads_the_public_holidays_of_three_years(self) -> None:
        for year in (2025, 2026, 2027):
            self.assertTrue(self.calendar.covers(year), year)
        nauryz = CalendarDay.objects.get(date=date(2026, 3, 23))
        self.assertEqual(nauryz.name_kk, "Наурыз мейрамы")

    def test_three_working_days_from_a_friday_end_with_wednesday(self) -> None:
        deadline = self.calendar.add_working_days(at("2026-11-27 16:30"), 3)
        self.assertEqual(deadline, at("2026-12-03 00:00"))

    def test_a_saturday_counts_from_the_monday_after(self) -> None:
        deadline = self.calendar.add_working_days(at("2026-11-28 10:00"), 1)
        self.assertEqual(deadline, at("2026-12-01 00:00"))

    def test_public_holidays_and_their_carried_over_days_are_skipped(self) -> None:
        # Nauryz 2026: 21–22 March fall on a weekend, so 21–25 March are all days off.
        deadline = self.calendar.add_working_days(at("2026-03-20 09:00"), 1)
        self.assertEqual(deadline, at("2026-03-27 00:00"))
        # Independence Day, Wednesday 16 December 2026.
        deadline = self.calendar.add_working_days(at("2026-12-15 12:00"), 1)
        self.assertEqual(deadline, at("2026-12-18 00:00"))

    def test_a_weekend_day_worked_by_decree_counts(self) -> None:
        CalendarDay.objects.create(
            date=date(2026, 11, 28),
            kind=CalendarDay.Kind.WORKING_DAY,
            name_en="Worked Saturday",
            name_ru="Рабочая суббота",
            name_kk="Жұмыс сенбісі",
        )
        calendar = WorkingCalendar.load()
        deadline = calendar.add_working_days(at("2026-11-27 12:00"), 1)
        self.assertEqual(deadline, at("2026-11-29 00:00"))

    def test_the_deadline_is_the_same_instant_whatever_zone_the_moment_is_in(
        self,
    ) -> None:
        utc = datetime(
            2026, 11, 27, 20, 30, tzinfo=ZoneInfo("UTC")
        )  # Saturday 01:30 here
        self.assertEqual(self.calendar.add_working_days(utc, 1), at("2026-12-01 00:00"))

    def test_it_counts_working_days_between_two_moments(self) -> None:
        count = self.calendar.working_days_between(
            at("2026-03-20 09:00"), at("2026-03-30 09:00")
        )
        self.assertEqual(count, 3)  # 26, 27 and 30 March
