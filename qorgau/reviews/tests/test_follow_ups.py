"""Follow-up after closure: recorded by the team of the closed case, and a child at risk again."""

from datetime import date
from typing import Any

import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from qorgau.agencies.models import Notification
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent
from qorgau.reviews import services
from qorgau.reviews.models import CaseClosure, CaseReview, FollowUp
from qorgau.reviews.tests.test_reviews import ReviewTestCase, at

Situation = FollowUp.Situation


class FollowUpTestCase(ReviewTestCase):
    """alice_case is closed on 31 August 2026: follow-ups on 28 February and 31 August 2027."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with time_machine.travel(at(date(2026, 8, 31)), tick=False):
            Case.objects.filter(pk=cls.alice_case.pk).update(
                opened_at=at(date(2026, 6, 1))
            )
            cls.alice_case = services_close(cls.alice_case)

    def six(self) -> FollowUp:
        return FollowUp.objects.get(case=self.alice_case, months=6)

    def record(self, day: date = date(2027, 3, 2), **kw: object) -> FollowUp:
        values: dict[str, object] = {
            "contact_made": True,
            "contact_method": "home_visit",
            "situation": Situation.SAFE,
            "notes": "Lives with her aunt; goes to school in Taraz.",
            "by": self.alice,
        } | kw
        with time_machine.travel(at(day), tick=False):
            return services.record_follow_up(self.six(), **values)  # type: ignore[arg-type]


def services_close(case: Case) -> Case:
    from qorgau.cases import services as case_services

    return case_services.change_case_status(
        case, status=Case.Status.CLOSED, reason="reintegrated", by=case.owner
    )


class FollowUpTests(FollowUpTestCase):
    def test_the_owner_records_a_follow_up_of_the_closed_case(self) -> None:
        done = self.record()
        self.assertEqual(
            (done.status, done.done_on, done.situation, done.recorded_by),
            ("done", date(2027, 3, 2), Situation.SAFE, self.alice),
        )
        event = CaseEvent.objects.filter(
            case=self.alice_case, params__step="recorded"
        ).get()
        self.assertEqual(event.describe(), "Follow-up after 6 months: Safe and stable")

    def test_the_team_keeps_writing_after_closure_but_an_observer_does_not(
        self,
    ) -> None:
        with self.assertRaises(PermissionDenied):
            self.record(by=self.bob)
        with self.assertRaises(Http404):
            self.record(by=self.carol)
        self.assertEqual(self.record(by=self.dan).recorded_by, self.dan)

    def test_a_follow_up_needs_a_situation_and_how_contact_was_made(self) -> None:
        changes: tuple[tuple[dict[str, Any], str], ...] = (
            ({"situation": "fine"}, "situation"),
            ({"contact_method": ""}, "contact_method"),
        )
        for change, field in changes:
            with self.subTest(field=field), self.assertRaises(ServiceError) as refused:
                self.record(**change)
            self.assertEqual(refused.exception.field, field)
        done = self.record(
            contact_made=False, contact_method="phone", situation=Situation.LOST_CONTACT
        )
        self.assertEqual(done.contact_method, "")  # no contact, so no way it was made

    def test_a_follow_up_is_dated_between_the_closure_and_today(self) -> None:
        for done_on in (date(2026, 8, 30), date(2027, 3, 3)):
            with (
                self.subTest(done_on=done_on),
                self.assertRaises(ServiceError) as refused,
            ):
                self.record(done_on=done_on)
            self.assertEqual(refused.exception.field, "done_on")
        self.assertEqual(
            self.record(done_on=date(2027, 2, 20)).done_on, date(2027, 2, 20)
        )

    def test_a_follow_up_is_recorded_once(self) -> None:
        version = self.six().version
        self.record(expected_version=version)
        with self.assertRaises(StaleEdit):
            self.record(expected_version=version)
        with self.assertRaisesMessage(ServiceError, "already been recorded"):
            self.record()

    def test_a_follow_up_of_an_open_case_is_refused(self) -> None:
        closure = CaseClosure.objects.create(
            case=self.carol_case, status="closed", reason="other", detail="-",
            closed_by=self.carol,
        )  # fmt: skip
        row = FollowUp.objects.create(
            case=self.carol_case, closure=closure, months=6, due_on=date(2027, 1, 1),
            responsible=self.carol,
        )  # fmt: skip
        with self.assertRaisesMessage(ServiceError, "once the case is closed"):
            services.record_follow_up(
                row, contact_made=False, situation=Situation.SAFE, by=self.carol
            )

    def test_notes_are_encrypted_at_rest(self) -> None:
        self.record()
        with connection.cursor() as cursor:
            cursor.execute("SELECT notes FROM reviews_followup WHERE notes IS NOT NULL")
            stored = bytes(cursor.fetchone()[0])
        self.assertNotIn(b"Taraz", stored)
        self.assertIn("Taraz", self.six().notes)


class AtRiskAgainTests(FollowUpTestCase):
    def test_a_child_at_risk_again_is_told_to_the_supervisors(self) -> None:
        self.record(situation=Situation.AT_RISK)
        told = Notification.objects.filter(kind="follow_up_at_risk")
        self.assertEqual([n.recipient for n in told], [self.vera])

    def test_a_new_case_is_opened_for_the_same_child_and_the_old_follow_ups_end(
        self,
    ) -> None:
        at_risk = self.record(situation=Situation.AT_RISK)
        with time_machine.travel(at(date(2027, 3, 3)), tick=False):
            case = services.open_case_after_follow_up(at_risk, by=self.alice)
        self.assertEqual(case.child_id, self.alice_case.child_id)
        self.assertEqual(
            (case.priority, case.lead_organisation, case.owner),
            (Case.Priority.HIGH, self.agency_a, self.alice),
        )
        self.assertEqual(
            CaseReview.objects.get(case=case, status="scheduled").due_on,
            date(2027, 3, 17),
        )
        self.assertEqual(FollowUp.objects.get(pk=at_risk.pk).new_case, case)
        twelve = FollowUp.objects.get(case=self.alice_case, months=12)
        self.assertEqual(twelve.status, FollowUp.Status.CANCELLED)
        self.assertIn(
            f"New case {case.number} opened after a follow-up",
            [e.describe() for e in CaseEvent.objects.filter(case=self.alice_case)],
        )
        with self.assertRaisesMessage(ServiceError, "already opened"):
            services.open_case_after_follow_up(at_risk, by=self.alice)

    def test_a_new_case_comes_only_from_a_follow_up_that_found_a_risk(self) -> None:
        safe = self.record(situation=Situation.SAFE)
        with self.assertRaisesMessage(ServiceError, "at risk again"):
            services.open_case_after_follow_up(safe, by=self.alice)
        with self.assertRaises(PermissionDenied):
            services.open_case_after_follow_up(safe, by=self.bob)
