"""Risk assessments: who assesses, drafts and finalising, review dates, the priority raise."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings

from qorgau.agencies.models import Notification, User
from qorgau.agencies.notifications import render
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.plans import services
from qorgau.plans.models import Area, Level, RiskAssessment
from qorgau.plans.tests.base import HEALTH_NOTE, RECRUITER_NOTE, PlansTestCase, ratings
from qorgau.test import make_user

ALMATY = ZoneInfo("Asia/Almaty")


class WhoAssessesTests(PlansTestCase):
    ivan: User
    rita: User
    nina: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ivan = make_user("ivan", cls.agency_a, Role.POLICE_INVESTIGATOR)
        case_services.add_team_member(
            cls.alice_case,
            user=cls.ivan,
            role=CaseMember.Role.INVESTIGATOR,
            by=cls.alice,
        )
        cls.rita = make_user(
            "rita", cls.agency_a, Role.REGIONAL_COORDINATOR, region_scope=cls.almaty
        )
        cls.nina = make_user("nina", cls.agency_a, Role.NATIONAL_COORDINATOR)

    def test_each_role_may_or_may_not_assess_the_risks(self) -> None:
        expected = {
            "alice": None,  # caseworker, case owner
            "vera": None,  # supervisor of the lead organisation
            "ivan": None,  # police investigator on the team
            "sid": ServiceError,  # screener: access stops below health details
            "bob": PermissionDenied,  # observer on the team
            "rita": PermissionDenied,  # regional coordinator: reads the region
            "nina": PermissionDenied,  # national coordinator: reads everything
            "carol": Http404,  # another agency
        }
        for username, refusal in expected.items():
            user = User.objects.get(username=username)
            with self.subTest(user=username):
                if refusal is None:
                    draft = services.start_risk_assessment(
                        self.alice_case, ratings=ratings(online="low"), by=user
                    )
                    services.discard_risk_assessment(draft, by=user)
                else:
                    with self.assertRaises(refusal):
                        services.start_risk_assessment(
                            self.alice_case, ratings=ratings(online="low"), by=user
                        )

    def test_each_role_may_or_may_not_finalise_and_discard_a_draft(self) -> None:
        for username, refusal in (
            ("sid", ServiceError),
            ("bob", PermissionDenied),
            ("carol", Http404),
        ):
            user = User.objects.get(username=username)
            draft = services.start_risk_assessment(
                self.alice_case, ratings=ratings(online="low"), by=self.alice
            )
            with self.subTest(user=username):
                with self.assertRaises(refusal):
                    services.finalise_risk_assessment(draft, by=user)
                with self.assertRaises(refusal):
                    services.discard_risk_assessment(draft, by=user)
                with self.assertRaises(refusal):
                    services.update_risk_assessment(
                        draft, ratings=ratings(online="high"), by=user,
                        expected_version=draft.version,
                    )  # fmt: skip
            services.discard_risk_assessment(draft, by=self.alice)
        draft = services.start_risk_assessment(
            self.alice_case, ratings=ratings(online="low"), by=self.alice
        )
        self.assertEqual(
            services.finalise_risk_assessment(draft, by=self.ivan).status,
            RiskAssessment.Status.FINAL,
        )


class DraftAndFinalTests(PlansTestCase):
    def test_a_draft_is_edited_with_locking_then_finalised_and_never_changed(
        self,
    ) -> None:
        draft = services.start_risk_assessment(
            self.alice_case, ratings=ratings(online="low"), by=self.alice
        )
        self.assertEqual(draft.status, RiskAssessment.Status.DRAFT)
        edited = services.update_risk_assessment(
            draft,
            ratings=ratings(online=(Level.HIGH, RECRUITER_NOTE)),
            by=self.vera,
            expected_version=draft.version,
        )
        self.assertEqual(edited.overall_level, Level.HIGH)
        with self.assertRaises(StaleEdit):
            services.update_risk_assessment(
                draft,
                ratings=ratings(online="low"),
                by=self.alice,
                expected_version=draft.version,
            )
        final = services.finalise_risk_assessment(
            edited, by=self.alice, expected_version=edited.version
        )
        self.assertEqual(final.assessed_by, self.alice)
        changes: list[Callable[[], object]] = [
            lambda: services.update_risk_assessment(
                final, ratings=ratings(online="low"), by=self.alice,
                expected_version=final.version,
            ),
            lambda: services.finalise_risk_assessment(final, by=self.alice),
            lambda: services.discard_risk_assessment(final, by=self.alice),
        ]  # fmt: skip
        for change in changes:
            with self.assertRaisesMessage(ServiceError, "never changed"):
                change()

    def test_one_draft_at_a_time_and_a_discarded_one_stays_on_record(self) -> None:
        draft = services.start_risk_assessment(
            self.alice_case, ratings=ratings(online="low"), by=self.alice
        )
        with self.assertRaisesMessage(ServiceError, "draft"):
            services.start_risk_assessment(
                self.alice_case, ratings=ratings(online="low"), by=self.vera
            )
        services.discard_risk_assessment(draft, by=self.alice)
        self.assertEqual(self.reload(draft).status, RiskAssessment.Status.DISCARDED)
        services.start_risk_assessment(
            self.alice_case, ratings=ratings(online="low"), by=self.vera
        )
        self.assertEqual(self.alice_case.risk_assessments.count(), 2)

    def test_finalising_needs_an_assessed_area_and_the_factors_of_each_real_risk(
        self,
    ) -> None:
        with self.assertRaisesMessage(ServiceError, "at least one risk area"):
            services.start_risk_assessment(
                self.alice_case, ratings={}, by=self.alice, finalise=True
            )
        with self.assertRaises(ServiceError) as refused:
            services.start_risk_assessment(
                self.alice_case,
                ratings=ratings(household="low", health_safety="medium"),
                by=self.alice,
                finalise=True,
            )
        self.assertEqual(refused.exception.field, "health_safety_factors")
        self.assertFalse(RiskAssessment.objects.exists())  # nothing half-written

    def test_a_screener_may_not_write_health_factors(self) -> None:
        with self.assertRaises(ServiceError):
            services.start_risk_assessment(
                self.alice_case,
                ratings=ratings(health_safety=(Level.HIGH, HEALTH_NOTE)),
                by=self.sid,
            )

    def test_a_new_assessment_supersedes_the_previous_one(self) -> None:
        first = self.assess()
        second = self.assess(levels={Area.HOUSEHOLD: Level.LOW})
        first, second = self.reload(first), self.reload(second)
        self.assertFalse(first.is_current)
        self.assertIsNotNone(first.superseded_at)
        self.assertTrue(second.is_current)
        self.assertEqual(first.level_of(Area.RE_TRAFFICKING), Level.MEDIUM)  # kept
        self.assertEqual(
            list(RiskAssessment.objects.current().filter(case=self.alice_case)),
            [second],
        )

    def test_factors_are_encrypted_at_rest_and_the_assessment_audited(self) -> None:
        self.assess(
            levels={
                Area.RE_TRAFFICKING: (Level.MEDIUM, RECRUITER_NOTE),
                Area.HEALTH_SAFETY: (Level.HIGH, HEALTH_NOTE),
            }
        )
        for column in ("re_trafficking_factors", "health_safety_factors"):
            stored = self.stored("plans_riskassessment", column)
            self.assertEqual(len(stored), 1)
            self.assertNotIn(b"Telegram", stored[0])
            self.assertNotIn(b"psychologist", stored[0])
        self.assertTrue(AuditEvent.objects.filter(action="risk.finalise").exists())


class ReviewDateTests(PlansTestCase):
    def test_the_review_is_due_by_the_overall_level(self) -> None:
        with time_machine.travel(
            datetime(2026, 11, 2, 23, 30, tzinfo=ALMATY), tick=False
        ):
            high = self.assess(levels={Area.ONLINE: (Level.HIGH, RECRUITER_NOTE)})
            low = self.assess(levels={Area.ONLINE: Level.LOW})
        # Local dates: 23:30 in Almaty is still 2 November.
        self.assertEqual(high.next_review_date, date(2026, 11, 9))
        self.assertEqual(low.next_review_date, date(2027, 1, 31))

    @override_settings(QORGAU_RISK_REVIEW_DAYS={"high": 3, "medium": 14, "low": 60})
    def test_the_review_days_are_configuration(self) -> None:
        with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=ALMATY), tick=False):
            medium = self.assess()
        self.assertEqual(medium.next_review_date, date(2026, 11, 16))

    def test_an_earlier_review_may_be_set_but_never_a_later_one(self) -> None:
        with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=ALMATY), tick=False):
            draft = services.start_risk_assessment(
                self.alice_case, ratings=ratings(online="low"), by=self.alice
            )
            with self.assertRaises(ServiceError) as refused:
                services.finalise_risk_assessment(
                    draft, by=self.alice, review_date=date(2027, 3, 1)
                )
            self.assertEqual(refused.exception.field, "review_date")
            with self.assertRaises(ServiceError):
                services.finalise_risk_assessment(
                    draft, by=self.alice, review_date=date(2026, 11, 1)
                )
            final = services.finalise_risk_assessment(
                draft, by=self.alice, review_date=date(2026, 12, 1)
            )
        self.assertEqual(final.next_review_date, date(2026, 12, 1))

    def test_the_owner_is_told_once_when_the_review_is_overdue(self) -> None:
        start = datetime(2026, 11, 2, 10, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            self.assess(
                by=self.vera, levels={Area.ONLINE: (Level.HIGH, RECRUITER_NOTE)}
            )
        self.assertEqual(
            services.report_overdue_risk_reviews(start + timedelta(days=7)), 0
        )
        late = start + timedelta(days=8)
        self.assertEqual(services.report_overdue_risk_reviews(late), 1)
        self.assertEqual(services.report_overdue_risk_reviews(late), 0)
        told = Notification.objects.filter(kind="risk_review_overdue")
        self.assertEqual([n.recipient for n in told], [self.alice])
        self.assertIn(self.alice_case.number, render(told[0]))
        self.assertTrue(
            CaseEvent.objects.filter(params__step="risk_review_overdue").exists()
        )

    def test_a_superseded_assessment_or_a_closed_case_is_not_reminded(self) -> None:
        start = datetime(2026, 11, 2, 10, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            self.assess(levels={Area.ONLINE: (Level.HIGH, RECRUITER_NOTE)})
        with time_machine.travel(start + timedelta(days=5), tick=False):
            self.assess(levels={Area.ONLINE: Level.LOW})
        self.assertEqual(
            services.report_overdue_risk_reviews(start + timedelta(days=30)), 0
        )
        case_services.change_case_status(
            self.alice_case,
            status=Case.Status.CLOSED,
            reason="reintegrated",
            by=self.alice,
        )
        self.assertEqual(
            services.report_overdue_risk_reviews(start + timedelta(days=400)), 0
        )

    def test_the_schedule_runs_the_review_sweep(self) -> None:
        import io

        from django.core.management import call_command

        start = datetime(2026, 11, 2, 10, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            self.assess()
        with time_machine.travel(start + timedelta(days=31), tick=False):
            call_command("run_schedule", "--once", stdout=io.StringIO())
        self.assertTrue(
            Notification.objects.filter(kind="risk_review_overdue").exists()
        )


class PriorityTests(PlansTestCase):
    def lower_priority(self, priority: str) -> None:
        case_services.update_case(
            self.alice_case,
            changes={"priority": priority},
            expected_version=self.reload(self.alice_case).version,
            by=self.alice,
        )

    def test_a_high_risk_raises_the_case_priority_and_says_so(self) -> None:
        self.lower_priority(Case.Priority.NORMAL)
        self.assess(
            by=self.vera, levels={Area.RETALIATION: (Level.HIGH, RECRUITER_NOTE)}
        )
        self.assertEqual(self.reload(self.alice_case).priority, Case.Priority.HIGH)
        event = CaseEvent.objects.filter(
            case=self.alice_case, params__step="risk_finalised"
        ).get()
        self.assertEqual(
            event.describe(),
            "Risk assessed: High overall; case priority raised to high",
        )
        self.assertTrue(
            CaseEvent.objects.filter(
                case=self.alice_case,
                kind=CaseEvent.Kind.UPDATED,
                params__fields=["priority"],
            ).exists()
        )
        told = Notification.objects.get(kind="risk_high")
        self.assertEqual(told.recipient, self.alice)  # the owner; vera assessed

    def test_a_lower_risk_or_an_urgent_case_keeps_its_priority(self) -> None:
        self.lower_priority(Case.Priority.LOW)
        self.assess(levels={Area.RETALIATION: (Level.MEDIUM, RECRUITER_NOTE)})
        self.assertEqual(self.reload(self.alice_case).priority, Case.Priority.LOW)
        self.lower_priority(Case.Priority.URGENT)
        self.assess(levels={Area.RETALIATION: (Level.HIGH, RECRUITER_NOTE)})
        self.assertEqual(self.reload(self.alice_case).priority, Case.Priority.URGENT)
        event = CaseEvent.objects.filter(params__step="risk_finalised").first()
        assert event is not None
        self.assertEqual(event.describe(), "Risk assessed: High overall")
        self.assertFalse(Notification.objects.filter(kind="risk_high").exists())
