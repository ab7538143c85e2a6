"""Enqueues periodic tasks for the database worker: the clock that `make demo` starts beside it.

Django's tasks framework runs tasks but does not schedule them; this loop only enqueues, so a
slow task never delays the clock, and `db_worker` does the work with its retries and logs.
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qorgau.agencies.tasks import send_daily_digests
from qorgau.best_interests.tasks import report_best_interests_reviews_due
from qorgau.concerns.tasks import delete_expired_reports
from qorgau.guardianship.tasks import report_overdue_guardian_requests
from qorgau.plans.tasks import report_overdue_risk_reviews
from qorgau.protection.tasks import (
    end_finished_reflection_periods,
    report_overdue_decisions,
)
from qorgau.referrals.tasks import refresh_dashboard_figures, sweep_referral_deadlines
from qorgau.reviews.tasks import (
    schedule_missing_reviews,
    send_review_and_follow_up_reminders,
)
from qorgau.screening.tasks import delete_expired_screenings

# (seconds between runs, task)
SCHEDULE: list[tuple[int, Any]] = [
    (60, sweep_referral_deadlines),
    (300, refresh_dashboard_figures),
    (300, report_overdue_decisions),
    (3600, end_finished_reflection_periods),
    (300, report_overdue_guardian_requests),
    (3600, report_best_interests_reviews_due),
    (3600, send_daily_digests),  # each user's digest at most once a day
    (3600, report_overdue_risk_reviews),
    (300, schedule_missing_reviews),  # a slice of the cases per run
    (900, send_review_and_follow_up_reminders),
    (3600, delete_expired_screenings),  # negative screenings past their retention
    (3600, delete_expired_reports),  # concern reports closed without a referral
]


class Command(BaseCommand):
    help = (
        "Enqueues the periodic tasks (deadline sweeps, reminders) at their intervals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Enqueue every task once and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        last: dict[int, float] = {}
        while True:
            now = time.monotonic()
            for index, (every, task) in enumerate(SCHEDULE):
                if now - last.get(index, -every) >= every:
                    self.enqueue(task.enqueue)
                    last[index] = now
            if options["once"]:
                return
            time.sleep(5)

    def enqueue(self, enqueue: Callable[[], Any]) -> None:
        result = enqueue()
        self.stdout.write(f"Enqueued {result.task.name} ({result.id})")
