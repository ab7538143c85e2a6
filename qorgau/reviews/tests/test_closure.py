"""Closing a case: a reason from the vocabulary, in the service, the page and the API."""

import json
from datetime import date
from typing import Any

import time_machine
from django.db import connection
from django.test import override_settings

from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseEvent
from qorgau.reviews.models import CaseClosure, CaseReview, FollowUp
from qorgau.reviews.tests.test_reviews import ReviewTestCase, at


class ClosureServiceTests(ReviewTestCase):
    def test_closing_needs_a_reason_from_the_vocabulary(self) -> None:
        for reason in ("", "Moved abroad with family"):
            with (
                self.subTest(reason=reason),
                self.assertRaises(ServiceError) as refused,
            ):
                self.close(self.alice_case, reason=reason)
            self.assertEqual(refused.exception.field, "reason")
        self.assertEqual(self.reload(self.alice_case).status, Case.Status.DRAFT)
        self.assertFalse(CaseClosure.objects.exists())

    def test_other_needs_the_details(self) -> None:
        with self.assertRaises(ServiceError) as refused:
            self.close(self.alice_case, reason="other", detail=" ")
        self.assertEqual(refused.exception.field, "detail")
        self.close(
            self.alice_case, reason="other", detail="Placed with a foster family."
        )
        self.assertEqual(self.reload(self.alice_case).closure_reason, "other")

    def test_the_reason_must_fit_the_way_the_case_is_closed(self) -> None:
        with self.assertRaisesMessage(ServiceError, "does not fit"):
            self.close(
                self.alice_case,
                reason="goals_achieved",
                status=Case.Status.CLOSED_NOT_VICTIM,
            )
        self.close(
            self.alice_case, reason="not_a_victim", status=Case.Status.CLOSED_NOT_VICTIM
        )
        self.assertEqual(CaseClosure.objects.get().reason, "not_a_victim")

    def test_closing_cancels_the_review_and_plans_follow_ups_at_6_and_12_months(
        self,
    ) -> None:
        with time_machine.travel(at(date(2026, 8, 31)), tick=False):
            case = self.close(
                self.open(date(2026, 8, 31)),
                reason="reintegrated",
                detail="Lives with her grandmother in Taraz.",
            )
        self.assertEqual(case.closure_reason, "reintegrated")
        closure = CaseClosure.objects.get(case=case)
        self.assertEqual(
            (closure.status, closure.closed_by, closure.detail),
            ("closed", self.alice, "Lives with her grandmother in Taraz."),
        )
        self.assertEqual(
            list(CaseReview.objects.filter(case=case).values_list("status", flat=True)),
            ["cancelled"],
        )
        self.assertEqual(
            list(FollowUp.objects.filter(case=case).values_list("months", "due_on")),
            [(6, date(2027, 2, 28)), (12, date(2027, 8, 31))],
        )
        lines = [e.describe() for e in CaseEvent.objects.filter(case=case)]
        self.assertIn("Case closed (Closed): Child safely reintegrated", lines)
        self.assertIn("Follow-ups planned 6, 12 months after closure", lines)
        with connection.cursor() as cursor:
            cursor.execute("SELECT detail FROM reviews_caseclosure")
            stored = bytes(cursor.fetchone()[0])
        self.assertNotIn(b"grandmother", stored)

    def test_no_follow_up_after_a_case_closed_as_not_a_victim_or_a_death(self) -> None:
        self.close(
            self.alice_case, reason="not_a_victim", status=Case.Status.CLOSED_NOT_VICTIM
        )
        self.close(self.carol_case, reason="died")
        self.assertFalse(FollowUp.objects.exists())

    @override_settings(QORGAU_FOLLOW_UP_SKIP_STATUSES=(), QORGAU_FOLLOW_UP_MONTHS=(3,))
    def test_which_closures_are_followed_up_and_when_is_configuration(self) -> None:
        self.close(
            self.alice_case, reason="not_a_victim", status=Case.Status.CLOSED_NOT_VICTIM
        )
        self.assertEqual(list(FollowUp.objects.values_list("months", flat=True)), [3])


class ClosurePageAndApiTests(ReviewTestCase):
    def test_the_page_refuses_to_close_without_a_reason_and_shows_the_reason(
        self,
    ) -> None:
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/status/"
        page = self.client.get(f"/en/cases/{self.alice_case.number}/")
        self.assertContains(page, "Reason for closing")
        self.assertContains(page, "Child&#x27;s whereabouts unknown")
        refused = self.client.post(url, {"status": "closed"}, follow=True)
        self.assertContains(refused, "Choose the reason for closing the case.")
        refused = self.client.post(
            url, {"status": "closed", "reason": "other"}, follow=True
        )
        self.assertContains(refused, "Say why the case is closed.")
        self.assertEqual(self.reload(self.alice_case).status, Case.Status.DRAFT)
        closed = self.client.post(
            url, {"status": "closed", "reason": "whereabouts_unknown"}, follow=True
        )
        self.assertContains(closed, "The status was changed.")
        self.assertContains(closed, "Closed because: Child&#x27;s whereabouts unknown.")
        self.assertEqual(
            self.reload(self.alice_case).closure_reason, "whereabouts_unknown"
        )

    def test_the_api_refuses_to_close_without_a_reason(self) -> None:
        url = f"/api/v1/cases/{self.alice_case.number}/status"
        headers = self.token(self.alice)

        def post(body: dict[str, str]) -> dict[str, Any]:
            response = self.client.post(
                url, json.dumps(body), content_type="application/json", headers=headers
            )
            return {"http": response.status_code, **response.json()}

        refused = post({"status": "closed"})
        self.assertEqual(refused["http"], 422)
        self.assertIn("reason", json.dumps(refused["error"]))
        refused = post({"status": "closed", "reason": "Moved abroad"})
        self.assertEqual(refused["http"], 422)
        refused = post({"status": "closed_not_victim", "reason": "goals_achieved"})
        self.assertEqual(
            (refused["http"], refused["error"]["fields"][0]["field"]), (400, "reason")
        )
        closed = post(
            {"status": "closed", "reason": "refusal", "detail": "Mother said no."}
        )
        self.assertEqual((closed["http"], closed["closure_reason"]), (200, "refusal"))
        follow_ups = self.client.get(
            f"/api/v1/cases/{self.alice_case.number}/follow-ups", headers=headers
        ).json()
        self.assertEqual(follow_ups["closure"]["reason"], "refusal")
        self.assertEqual(follow_ups["closure"]["detail"], "Mother said no.")
        self.assertEqual([f["months"] for f in follow_ups["follow_ups"]], [6, 12])
