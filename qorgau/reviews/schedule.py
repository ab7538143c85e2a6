"""The dates of the review and follow-up schedule: plain arithmetic on days, no database.

A case is reviewed every so many days by its priority (QORGAU_REVIEW_INTERVAL_DAYS); its owner is
reminded a few days before a review is due, and told again the day after it is missed. A closed
case is followed up some months after closure (QORGAU_FOLLOW_UP_MONTHS), on the same day of the
month, or on the month's last day when it is shorter.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings


def interval_days(priority: str) -> int:
    """Days from one review to the next for a case of this priority."""
    intervals: dict[str, int] = settings.QORGAU_REVIEW_INTERVAL_DAYS
    return int(intervals.get(priority, intervals["normal"]))


def next_review_on(last: date, priority: str) -> date:
    """When the review after one held (or a case opened) on `last` is due at the latest."""
    return last + timedelta(days=interval_days(priority))


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st of August plus six months is the 28th (29th) of February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_dates(closed_on: date) -> list[tuple[int, date]]:
    """(months after closure, due date) for each follow-up of a case closed on `closed_on`."""
    return [(m, add_months(closed_on, m)) for m in settings.QORGAU_FOLLOW_UP_MONTHS]


def reminder_from(due_on: date, days: int) -> date:
    """The first day on which a reminder for something due on `due_on` is sent."""
    return due_on - timedelta(days=days)


def is_overdue(due_on: date, today: date) -> bool:
    """Due on a day that has passed: a review due today is not late until tomorrow."""
    return due_on < today
