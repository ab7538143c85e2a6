"""Working-day arithmetic on Kazakhstan's calendar, for statutory deadlines.

A deadline of N working days ends at midnight after the N-th working day that follows the
day something happened, in Kazakhstan's time: sent on Friday afternoon, three working days
run to the end of Wednesday (or later when a holiday falls between). Deadlines counted in
hours (an hour for a child in immediate danger) run on the clock, weekends included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from qorgau.reference.models import CalendarDay


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date]
    worked_weekend_days: frozenset[date]

    @classmethod
    def load(cls) -> WorkingCalendar:
        """The calendar as the database holds it now: a few dozen rows, read once per use."""
        rows = CalendarDay.objects.values_list("date", "kind")
        return cls(
            holidays=frozenset(d for d, k in rows if k == CalendarDay.Kind.HOLIDAY),
            worked_weekend_days=frozenset(
                d for d, k in rows if k == CalendarDay.Kind.WORKING_DAY
            ),
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.worked_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The end of the `days`-th working day after the (local) day of `moment`."""
        zone = ZoneInfo(settings.TIME_ZONE)
        day = moment.astimezone(zone).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days after the day of `start` up to and including the day of `end`."""
        zone = ZoneInfo(settings.TIME_ZONE)
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        count = 0
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def covers(self, year: int) -> bool:
        """Whether any public holiday of `year` is known (if not, deadlines skip weekends only)."""
        return any(d.year == year for d in self.holidays)
