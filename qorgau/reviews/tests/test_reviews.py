"""Case reviews: the schedule, holding a review, who may, and the sweep that fills the gaps."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import translation

from qorgau.agencies.models import Notification, User
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.reviews import services, sweeps
from qorgau.reviews.models import CaseReview, SweepCursor
from qorgau.test import BaseTestCase, child, make_user

ALMATY = ZoneInfo("Asia/Almaty")
Outcome = CaseReview.Outcome


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


class ReviewTestCase(BaseTestCase):
    """alice owns alice_case (high priority) with dan caseworking and bob observing it;
    vera supervises agency A and reaches its cases through her organisation."""

    vera: User
    dan: User

    def setUp(self) -> None:
        super().setUp()
        # The services' refusals are checked in English; the site's default language is Russian.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vera = make_user("vera", cls.agency_a, Role.SUPERVISOR)
        cls.dan = make_user("dan", cls.agency_a, Role.CASEWORKER)
        case_services.add_team_member(
            cls.alice_case, user=cls.dan, role=CaseMember.Role.CASEWORKER, by=cls.alice
        )

    def open(self, day: date, priority: str = Case.Priority.NORMAL, **kw: Any) -> Case:
        with time_machine.travel(at(day, kw.pop("hour", 10)), tick=False):
            return case_services.open_case(
                child("Айгерім", "Сәрсенова"),
                by=kw.pop("by", self.alice),
                priority=priority,
            )

    def hold(self, case: Case, day: date | None = None, **kw: Any) -> CaseReview:
        values: dict[str, Any] = {
            "summary": "The child attends school; sessions with the psychologist weekly.",
            "outcome": Outcome.CONTINUE,
            "participants": [case.owner],
            "by": case.owner,
        } | kw
        if day is None:
            return services.hold_review(case, **values)
        with time_machine.travel(at(day), tick=False):
            return services.hold_review(case, **values)

    def scheduled(self, case: Case) -> CaseReview:
        return CaseReview.objects.get(case=case, status=CaseReview.Status.SCHEDULED)

    def close(self, case: Case, reason: str = "reintegrated", **kw: Any) -> Case:
        return case_services.change_case_status(
            case,
            status=kw.pop("status", Case.Status.CLOSED),
            reason=reason,
            detail=kw.pop("detail", ""),
            by=kw.pop("by", case.owner),
        )


class ScheduleTests(ReviewTestCase):
    def test_opening_a_case_schedules_its_first_review_one_interval_later(self) -> None:
        # Half past midnight in Almaty is still the day before in UTC: the local day counts.
        urgent = self.open(date(2026, 12, 1), Case.Priority.URGENT, hour=0)
        low = self.open(date(2026, 12, 1), Case.Priority.LOW)
        self.assertEqual(self.scheduled(urgent).due_on, date(2026, 12, 8))
        self.assertEqual(self.scheduled(low).due_on, date(2027, 3, 1))

    def test_holding_a_review_schedules_the_next_one_interval_after_it(self) -> None:
        case = self.open(date(2026, 12, 1))
        first = self.scheduled(case)
        self.assertEqual(first.due_on, date(2026, 12, 31))
        held = self.hold(case, date(2026, 12, 20), participants=[self.alice])
        self.assertEqual(held.pk, first.pk)
        self.assertEqual(
            (held.status, held.held_on, held.next_due_on),
            (CaseReview.Status.HELD, date(2026, 12, 20), date(2027, 1, 19)),
        )
        self.assertEqual(self.scheduled(case).due_on, date(2027, 1, 19))
        self.assertEqual(list(held.participants.all()), [self.alice])

    def test_the_next_review_may_come_earlier_but_never_later(self) -> None:
        case = self.open(date(2026, 12, 1))
        with self.assertRaisesMessage(ServiceError, "at the latest") as refused:
            self.hold(case, date(2026, 12, 20), next_due_on=date(2027, 1, 20))
        self.assertEqual(refused.exception.field, "next_due_on")
        with self.assertRaisesMessage(ServiceError, "must come after"):
            self.hold(case, date(2026, 12, 20), next_due_on=date(2026, 12, 20))
        self.hold(case, date(2026, 12, 20), next_due_on=date(2026, 12, 27))
        self.assertEqual(self.scheduled(case).due_on, date(2026, 12, 27))

    def test_a_review_is_recorded_after_the_meeting_but_not_before_it_or_the_case(
        self,
    ) -> None:
        case = self.open(date(2026, 12, 1))
        with time_machine.travel(at(date(2026, 12, 10)), tick=False):
            for held_on in (date(2026, 12, 11), date(2026, 11, 30)):
                with self.assertRaises(ServiceError) as refused:
                    self.hold(case, held_on=held_on)
                self.assertEqual(refused.exception.field, "held_on")
            self.hold(case, held_on=date(2026, 12, 8))
            with self.assertRaisesMessage(ServiceError, "A later review"):
                self.hold(case, held_on=date(2026, 12, 5))

    def test_a_review_needs_an_outcome_a_summary_and_who_took_part(self) -> None:
        case = self.open(date(2026, 12, 1))
        cases = (
            ({"outcome": "maybe"}, "outcome"),
            ({"summary": "   "}, "summary"),
            ({"participants": [], "other_participants": ""}, "participants"),
            ({"participants": [self.carol]}, "participants"),  # not on the team
        )
        for change, field in cases:
            with self.subTest(field=field), self.assertRaises(ServiceError) as refused:
                self.hold(case, date(2026, 12, 10), **change)
            self.assertEqual(refused.exception.field, field)
        self.hold(
            case, date(2026, 12, 10), participants=[], other_participants="The child"
        )

    def test_team_participants_are_named_by_username_only_if_on_the_team(self) -> None:
        self.assertEqual(
            services.team_members_named(self.alice_case, ["alice", "dan"]),
            [self.alice, self.dan],
        )
        with self.assertRaisesMessage(ServiceError, "carol"):
            services.team_members_named(self.alice_case, ["alice", "carol"])

    def test_an_observer_cannot_hold_a_review_and_another_agency_cannot_reach_it(
        self,
    ) -> None:
        with self.assertRaises(PermissionDenied):
            self.hold(self.alice_case, by=self.bob)
        with self.assertRaises(Http404):
            self.hold(self.alice_case, by=self.carol)
        self.assertFalse(CaseReview.objects.filter(status="held").exists())

    def test_the_lead_organisations_supervisor_and_the_team_may_hold_it(self) -> None:
        self.hold(self.alice_case, by=self.vera, participants=[self.alice])
        self.hold(self.alice_case, by=self.dan, participants=[self.dan])
        self.assertEqual(CaseReview.objects.filter(status="held").count(), 2)

    def test_a_review_recorded_meanwhile_by_someone_else_is_not_recorded_twice(
        self,
    ) -> None:
        version = self.scheduled(self.alice_case).version
        self.hold(self.alice_case, expected_version=version)
        with self.assertRaises(StaleEdit):
            self.hold(self.alice_case, by=self.dan, expected_version=version)
        self.assertEqual(CaseReview.objects.filter(status="held").count(), 1)

    def test_an_escalated_review_is_told_to_the_supervisors(self) -> None:
        self.hold(self.alice_case, outcome=Outcome.ESCALATE)
        told = Notification.objects.filter(kind="review_escalated")
        self.assertEqual([n.recipient for n in told], [self.vera])

    def test_a_higher_priority_brings_the_next_review_forward_a_lower_one_does_not(
        self,
    ) -> None:
        case = self.open(date(2026, 12, 1))
        with time_machine.travel(at(date(2026, 12, 5)), tick=False):
            case = case_services.update_case(
                case,
                changes={"priority": Case.Priority.URGENT},
                expected_version=case.version,
                by=self.alice,
            )
        self.assertEqual(self.scheduled(case).due_on, date(2026, 12, 8))
        with time_machine.travel(at(date(2026, 12, 15)), tick=False):
            # 1 December + 7 days has passed: due today, not in the past.
            case_services.update_case(
                case,
                changes={"priority": Case.Priority.LOW},
                expected_version=case.version,
                by=self.alice,
            )
        self.assertEqual(self.scheduled(case).due_on, date(2026, 12, 8))
        self.assertTrue(
            CaseEvent.objects.filter(
                case=case, kind=CaseEvent.Kind.REVIEW, params__step="rescheduled"
            ).exists()
        )

    def test_a_closed_case_is_not_reviewed(self) -> None:
        self.close(self.alice_case)
        with self.assertRaisesMessage(ServiceError, "no longer reviewed"):
            self.hold(self.alice_case)

    def test_a_review_is_on_the_timeline_and_audited_and_its_narrative_encrypted(
        self,
    ) -> None:
        review = self.hold(
            self.alice_case,
            summary="Forced begging stopped; the child is back at school.",
            other_participants="Mother, class teacher",
        )
        event = CaseEvent.objects.filter(kind=CaseEvent.Kind.REVIEW).get()
        self.assertEqual(event.params["outcome"], Outcome.CONTINUE)
        self.assertIn("Case review held: Continue as planned", event.describe())
        self.assertTrue(
            AuditEvent.objects.filter(action="review.hold", object_id=str(review.pk))
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT summary, other_participants FROM reviews_casereview")
            stored = b"".join(bytes(v) for row in cursor.fetchall() for v in row if v)
        self.assertTrue(stored)
        self.assertNotIn(b"Forced begging", stored)
        self.assertNotIn(b"Mother", stored)
        self.assertEqual(
            CaseReview.objects.get(pk=review.pk).summary,
            "Forced begging stopped; the child is back at school.",
        )


class SweepTests(ReviewTestCase):
    def test_the_sweep_schedules_open_cases_without_a_review_a_slice_at_a_time(
        self,
    ) -> None:
        cases = [self.open(date(2026, 12, 1)) for _ in range(3)]
        self.close(cases[0])
        CaseReview.objects.all().delete()  # as for cases written before the schedule
        open_cases = Case.objects.open().count()
        half = max(Case.objects.values_list("pk", flat=True)) // 2 + 1
        with time_machine.travel(at(date(2027, 2, 1)), tick=False):
            made = sweeps.schedule_missing_reviews(batch=half, batches=1)
            self.assertEqual(SweepCursor.objects.get().position, half)
            made += sweeps.schedule_missing_reviews(batch=half, batches=1)
            self.assertEqual(SweepCursor.objects.get().position, 0)  # round again
            self.assertEqual(made, open_cases)
            self.assertEqual(sweeps.schedule_missing_reviews(batches=100), 0)
        self.assertFalse(CaseReview.objects.filter(case=cases[0]).exists())
        # An interval from the day the sweep found the case, not from its opening.
        self.assertEqual(self.scheduled(cases[1]).due_on, date(2027, 3, 3))
        self.assertEqual(self.scheduled(self.alice_case).due_on, date(2027, 2, 15))

    def test_a_review_held_before_the_sweep_reaches_the_case_still_schedules_the_next(
        self,
    ) -> None:
        CaseReview.objects.all().delete()
        held = self.hold(self.alice_case, participants=[self.dan])
        self.assertEqual(held.due_on, held.held_on)
        self.assertEqual(self.scheduled(self.alice_case).due_on, held.next_due_on)
        self.assertEqual(
            sweeps.schedule_missing_reviews(batches=100),
            Case.objects.open().count() - 1,
        )
        self.assertEqual(self.scheduled(self.alice_case).due_on, held.next_due_on)

    def test_the_sweeps_read_what_is_due_through_partial_indexes(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL plans a table this small with a sequential scan")
        for column, index in (
            ("reminded_at", "review_to_remind_idx"),
            ("overdue_notified_at", "review_to_report_idx"),
            ("escalated_at", "review_to_escalate_idx"),
        ):
            due = CaseReview.objects.filter(
                status="scheduled",
                due_on__lte=date(2027, 1, 1),
                **{f"{column}__isnull": True},
            ).order_by("due_on")
            with self.subTest(index=index):
                self.assertIn(index, due.explain())
