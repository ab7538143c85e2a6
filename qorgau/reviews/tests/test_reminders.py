"""Reminders and lateness for reviews and follow-ups: on the right day, to the right people, once."""

from datetime import date

import time_machine
from django.test import override_settings

from qorgau.agencies.models import Notification, User
from qorgau.agencies.notifications import render
from qorgau.cases.models import Case
from qorgau.reviews import services, sweeps
from qorgau.reviews.models import CaseReview
from qorgau.reviews.tests.test_reviews import ReviewTestCase, at


def sweep_reviews(day: date) -> int:
    with time_machine.travel(at(day, 9), tick=False):
        return sweeps.send_review_reminders()


def sweep_follow_ups(day: date) -> int:
    with time_machine.travel(at(day, 9), tick=False):
        return sweeps.send_follow_up_reminders()


def told(kind: str) -> list[User]:
    return [n.recipient for n in Notification.objects.filter(kind=kind)]


class ReviewReminderTests(ReviewTestCase):
    """An urgent case opened on 1 December 2026 is due for review by 8 December."""

    case: Case

    def setUp(self) -> None:
        self.case = self.open(date(2026, 12, 1), Case.Priority.URGENT)
        CaseReview.objects.exclude(case=self.case).delete()  # only this one is swept

    def test_the_owner_is_reminded_three_days_before_and_only_once(self) -> None:
        self.assertEqual(sweep_reviews(date(2026, 12, 4)), 0)
        self.assertEqual(sweep_reviews(date(2026, 12, 5)), 1)
        self.assertEqual(sweep_reviews(date(2026, 12, 5)), 0)
        self.assertEqual(sweep_reviews(date(2026, 12, 7)), 0)
        self.assertEqual(told("review_due"), [self.alice])
        note = Notification.objects.get(kind="review_due")
        self.assertEqual(
            render(note), f"The review of case {self.case.number} is due by 08.12.2026."
        )

    def test_a_missed_review_is_told_to_the_owner_then_to_the_supervisors_once_each(
        self,
    ) -> None:
        sweep_reviews(date(2026, 12, 5))
        self.assertEqual(sweep_reviews(date(2026, 12, 8)), 0)  # due today: not late yet
        self.assertEqual(sweep_reviews(date(2026, 12, 9)), 1)
        self.assertEqual(told("review_overdue"), [self.alice])
        self.assertEqual(sweep_reviews(date(2026, 12, 15)), 0)
        self.assertEqual(sweep_reviews(date(2026, 12, 16)), 1)  # seven days late
        self.assertEqual(sweep_reviews(date(2026, 12, 30)), 0)
        self.assertEqual(told("review_overdue_supervisor"), [self.vera])
        self.assertEqual(told("review_overdue"), [self.alice])

    def test_a_review_held_in_time_is_never_reported(self) -> None:
        sweep_reviews(date(2026, 12, 5))
        self.hold(self.case, date(2026, 12, 7))  # the next is due by 14 December
        self.assertEqual(sweep_reviews(date(2026, 12, 9)), 0)
        self.assertEqual(sweep_reviews(date(2026, 12, 11)), 1)
        self.assertEqual(told("review_due"), [self.alice, self.alice])
        self.assertFalse(Notification.objects.exclude(kind="review_due").exists())

    def test_a_review_already_late_when_first_swept_gets_only_the_overdue_notice(
        self,
    ) -> None:
        self.assertEqual(sweep_reviews(date(2026, 12, 10)), 1)
        self.assertEqual(told("review_due"), [])
        self.assertEqual(told("review_overdue"), [self.alice])

    @override_settings(QORGAU_REVIEW_REMINDER_DAYS=1, QORGAU_REVIEW_ESCALATION_DAYS=0)
    def test_the_reminder_and_escalation_days_are_configuration(self) -> None:
        self.assertEqual(sweep_reviews(date(2026, 12, 6)), 0)
        self.assertEqual(sweep_reviews(date(2026, 12, 7)), 1)
        self.assertEqual(sweep_reviews(date(2026, 12, 9)), 2)  # owner and supervisors
        self.assertEqual(told("review_overdue_supervisor"), [self.vera])

    def test_an_owner_who_left_is_replaced_by_the_supervisors(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(is_active=False)
        sweep_reviews(date(2026, 12, 5))
        self.assertEqual(told("review_due"), [self.vera])


class FollowUpReminderTests(ReviewTestCase):
    """alice_case, closed on 31 August 2026, is followed up by 28 February 2027."""

    def setUp(self) -> None:
        Case.objects.filter(pk=self.alice_case.pk).update(
            opened_at=at(date(2026, 6, 1))
        )
        with time_machine.travel(at(date(2026, 8, 31)), tick=False):
            self.close(self.alice_case)

    def test_the_owner_is_reminded_a_week_before_and_the_supervisors_after_the_grace(
        self,
    ) -> None:
        self.assertEqual(sweep_follow_ups(date(2027, 2, 20)), 0)
        self.assertEqual(sweep_follow_ups(date(2027, 2, 21)), 1)
        self.assertEqual(sweep_follow_ups(date(2027, 2, 22)), 0)
        self.assertEqual(told("follow_up_due"), [self.alice])
        self.assertEqual(sweep_follow_ups(date(2027, 3, 14)), 0)  # 14 days late: grace
        self.assertEqual(sweep_follow_ups(date(2027, 3, 15)), 1)
        self.assertEqual(sweep_follow_ups(date(2027, 4, 1)), 0)
        self.assertEqual(told("follow_up_overdue"), [self.vera])
        self.assertEqual(
            render(Notification.objects.get(kind="follow_up_overdue")),
            f"The 6-month follow-up of closed case {self.alice_case.number} "
            "(owner: alice) was due by 28.02.2027 and is not recorded.",
        )

    def test_a_follow_up_recorded_in_time_is_never_reported(self) -> None:
        from qorgau.reviews.models import FollowUp

        sweep_follow_ups(date(2027, 2, 21))
        with time_machine.travel(at(date(2027, 2, 25)), tick=False):
            services.record_follow_up(
                FollowUp.objects.get(months=6),
                contact_made=True,
                contact_method="phone",
                situation="safe",
                by=self.alice,
            )
        self.assertEqual(sweep_follow_ups(date(2027, 4, 1)), 0)
        self.assertEqual(told("follow_up_overdue"), [])
