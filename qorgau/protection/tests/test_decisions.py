"""Identification decisions and the reflection period: who decides, what follows, deadlines."""

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseMember
from qorgau.cases.views.records import record_prefix
from qorgau.protection import services
from qorgau.protection.models import Decision, ReflectionPeriod
from qorgau.test import BaseTestCase, make_user

ALMATY = ZoneInfo("Asia/Almaty")
Kind = Decision.Kind
Outcome = Decision.Outcome


class DecisionTestCase(BaseTestCase):
    """alice (caseworker) owns alice_case; vera, a supervisor of the same agency, is on its team."""

    vera: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vera = make_user("vera", cls.agency_a, Role.SUPERVISOR)
        case_services.add_team_member(
            cls.alice_case, user=cls.vera, role=CaseMember.Role.CASEWORKER, by=cls.alice
        )

    def decide(self, kind: str, outcome: str, by: Any = None) -> Decision:
        return services.decide(
            self.alice_case,
            kind=kind,
            outcome=outcome,
            reasons="Indicators of forced begging seen by two agencies.",
            by=by or self.vera,
        )

    def case(self) -> Case:
        return Case.objects.get(pk=self.alice_case.pk)


class DecisionTests(DecisionTestCase):
    def test_a_reasonable_grounds_decision_is_due_in_five_working_days(self) -> None:
        with time_machine.travel(
            datetime(2026, 11, 27, 15, 0, tzinfo=ALMATY), tick=False
        ):
            decision = services.request_decision(
                self.alice_case, kind=Kind.REASONABLE_GROUNDS, by=self.alice
            )
        # Friday: Monday 30 November to Friday 4 December.
        self.assertEqual(decision.due_at, datetime(2026, 12, 5, 0, 0, tzinfo=ALMATY))
        self.assertTrue(decision.is_overdue(datetime(2026, 12, 5, 0, 1, tzinfo=ALMATY)))

    def test_anyone_on_the_team_identifies_preliminarily_but_only_an_authority_decides(
        self,
    ) -> None:
        preliminary = self.decide(Kind.PRELIMINARY, Outcome.POSITIVE, by=self.alice)
        self.assertEqual(preliminary.outcome, Outcome.POSITIVE)
        self.assertEqual(self.case().status, Case.Status.PRELIMINARY_IDENTIFICATION)
        pending = services.request_decision(
            self.alice_case, kind=Kind.REASONABLE_GROUNDS, by=self.alice
        )
        with self.assertRaises(ServiceError):
            services.record_decision(
                pending, outcome=Outcome.POSITIVE, reasons="Yes.", by=self.alice
            )
        with self.assertRaises(PermissionDenied):  # bob only observes the case
            services.record_decision(
                pending, outcome=Outcome.POSITIVE, reasons="Yes.", by=self.bob
            )
        self.assertTrue(Decision.objects.get(pk=pending.pk).is_pending)

    def test_a_positive_reasonable_grounds_decision_starts_the_reflection_period(
        self,
    ) -> None:
        with time_machine.travel(
            datetime(2026, 11, 2, 10, 0, tzinfo=ALMATY), tick=False
        ):
            decision = self.decide(Kind.REASONABLE_GROUNDS, Outcome.POSITIVE)
        period = ReflectionPeriod.objects.get(decision=decision)
        self.assertEqual(period.planned_end - period.started_at, timedelta(days=30))
        self.assertEqual(self.case().status, Case.Status.REFLECTION_PERIOD)
        self.assertEqual(self.case().victim_status, Case.VictimStatus.POSSIBLE)

    def test_only_a_victim_status_decision_changes_the_victim_status(self) -> None:
        with self.assertRaises(ServiceError):  # not before reasonable grounds
            services.request_decision(
                self.alice_case, kind=Kind.VICTIM_STATUS, by=self.vera
            )
        self.decide(Kind.REASONABLE_GROUNDS, Outcome.POSITIVE)
        self.decide(Kind.VICTIM_STATUS, Outcome.POSITIVE)
        self.assertEqual(self.case().victim_status, Case.VictimStatus.ACTUAL)
        self.assertEqual(self.case().status, Case.Status.ASSISTANCE_ACTIVE)

    def test_a_negative_decision_can_be_reconsidered_once(self) -> None:
        negative = self.decide(Kind.REASONABLE_GROUNDS, Outcome.NEGATIVE)
        again = services.request_reconsideration(
            negative, reason="The police found new evidence.", by=self.alice
        )
        self.assertEqual(again.reconsideration_of, negative)
        self.assertTrue(again.is_pending)
        self.assertIsNotNone(again.due_at)
        with self.assertRaises(ServiceError):
            services.request_reconsideration(negative, reason="Again.", by=self.alice)
        positive = self.decide(Kind.PRELIMINARY, Outcome.POSITIVE)
        with self.assertRaises(ServiceError):
            services.request_reconsideration(positive, reason="Why?", by=self.alice)

    def test_a_decision_is_taken_once_and_a_stale_one_is_refused(self) -> None:
        pending = services.request_decision(
            self.alice_case, kind=Kind.REASONABLE_GROUNDS, by=self.alice
        )
        services.record_decision(
            pending, outcome=Outcome.NEGATIVE, reasons="No.", by=self.vera,
            expected_version=pending.version,
        )  # fmt: skip
        with self.assertRaises(StaleEdit):
            services.record_decision(
                pending, outcome=Outcome.POSITIVE, reasons="Yes.", by=self.vera,
                expected_version=pending.version,
            )  # fmt: skip
        with self.assertRaises(ServiceError):
            services.record_decision(
                pending, outcome=Outcome.POSITIVE, reasons="Yes.", by=self.vera
            )

    def test_reasons_are_required_encrypted_and_the_decision_audited(self) -> None:
        pending = services.request_decision(
            self.alice_case, kind=Kind.PRELIMINARY, by=self.alice
        )
        with self.assertRaises(ServiceError):
            services.record_decision(
                pending, outcome=Outcome.POSITIVE, reasons="  ", by=self.alice
            )
        self.decide(Kind.REASONABLE_GROUNDS, Outcome.POSITIVE)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT reasons FROM protection_decision")
            stored = [bytes(row[0]) for row in cursor.fetchall() if row[0]]
        self.assertTrue(stored)
        self.assertFalse(any(b"forced begging" in value for value in stored))
        self.assertTrue(AuditEvent.objects.filter(action="decision.record").exists())


class ReflectionTests(DecisionTestCase):
    def test_the_period_is_extended_and_ends_by_itself(self) -> None:
        start = datetime(2026, 11, 2, 10, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            self.decide(Kind.REASONABLE_GROUNDS, Outcome.POSITIVE)
        period = ReflectionPeriod.objects.get()
        with self.assertRaises(ServiceError):
            services.extend_reflection(
                period,
                until=start + timedelta(days=10),
                reason="Too short",
                by=self.alice,
            )
        longer = services.extend_reflection(
            period,
            until=start + timedelta(days=45),
            reason="The child is still in hospital.",
            by=self.alice,
        )
        self.assertEqual(longer.ends_at, start + timedelta(days=45))
        self.assertEqual(
            services.end_finished_reflection_periods(start + timedelta(days=31)), 0
        )
        self.assertEqual(
            services.end_finished_reflection_periods(start + timedelta(days=46)), 1
        )
        self.assertFalse(ReflectionPeriod.objects.get().is_running)


class DecisionPageAndApiTests(DecisionTestCase):
    def test_the_case_page_asks_for_and_records_a_decision(self) -> None:
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/"
        self.client.post(
            f"/en/cases/{self.alice_case.number}/decisions/",
            {"request-kind": "reasonable_grounds"},
        )
        decision = Decision.objects.get()
        page = self.client.get(url)
        self.assertContains(page, "Reasonable-grounds decision")
        self.assertNotContains(page, "Record the decision")  # alice is not an authority
        self.login(self.vera)
        self.assertContains(self.client.get(url), "Record the decision")
        prefix = record_prefix(decision)
        response = self.client.post(
            f"/en/cases/{self.alice_case.number}/decisions/{decision.pk}/",
            {
                f"{prefix}-outcome": "positive",
                f"{prefix}-reasons": "Two agencies agree.",
                f"{prefix}-version": 1,
            },
            follow=True,
        )
        self.assertContains(response, "The decision was recorded.")
        self.assertContains(response, "Recovery and reflection period")

    def test_the_api_lists_decisions_with_reasons_only_for_those_who_may_read_them(
        self,
    ) -> None:
        self.decide(Kind.REASONABLE_GROUNDS, Outcome.NEGATIVE)
        path = f"/api/v1/cases/{self.alice_case.number}/decisions"
        rows = self.client.get(path, headers=self.token(self.alice)).json()
        self.assertEqual(
            rows[0]["reasons"], "Indicators of forced begging seen by two agencies."
        )
        self.assertEqual(
            self.client.get(path, headers=self.token(self.carol)).status_code, 404
        )
        again = self.client.post(
            f"{path}/{rows[0]['id']}/reconsider",
            data=json.dumps({"reason": "New evidence."}),
            content_type="application/json",
            headers=self.token(self.alice),
        )
        self.assertEqual(again.status_code, 201)
        refused = self.client.post(
            f"{path}/{again.json()['id']}",
            data=json.dumps({"outcome": "positive", "reasons": "Yes.", "version": 1}),
            content_type="application/json",
            headers=self.token(self.alice),
        )
        self.assertEqual(refused.status_code, 400)


class OverdueDecisionTests(DecisionTestCase):
    def test_the_deciders_are_told_once_when_a_decision_is_late(self) -> None:
        from qorgau.agencies.models import Notification

        start = datetime(2026, 11, 2, 10, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            services.request_decision(
                self.alice_case, kind=Kind.REASONABLE_GROUNDS, by=self.alice
            )
        self.assertEqual(
            services.report_overdue_decisions(start + timedelta(days=6)), 0
        )
        late = start + timedelta(days=8)
        self.assertEqual(services.report_overdue_decisions(late), 1)
        self.assertEqual(services.report_overdue_decisions(late), 0)
        told = Notification.objects.filter(kind="decision_overdue")
        self.assertEqual({n.recipient for n in told}, {self.vera})
