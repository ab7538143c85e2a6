"""Support plans: drafting and approval, planned services, deliveries by the provider's staff."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from qorgau.agencies.models import Organisation, User
from qorgau.agencies.roles import Role, Tier
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import CaseEvent, CaseMember
from qorgau.plans import services
from qorgau.plans.models import (
    PlannedService,
    ServiceDelivery,
    ServiceType,
    SupportPlan,
)
from qorgau.plans.tests.base import PlansTestCase
from qorgau.referrals import services as referral_services
from qorgau.test import make_user

ALMATY = ZoneInfo("Asia/Almaty")
TODAY = datetime(2026, 11, 16, 12, 0, tzinfo=ALMATY)  # a Monday
SESSION_NOTE = "Talked about school; the child drew her family."
Status = SupportPlan.Status


class SupportTestCase(PlansTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.clock = time_machine.travel(TODAY, tick=False)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def draft(self, by: User | None = None) -> SupportPlan:
        return services.create_support_plan(
            self.alice_case,
            goals="Safe housing, back to school, counselling.",
            by=by or self.alice,
        )

    def plan_service(
        self, plan: SupportPlan, by: User | None = None, **extra: Any
    ) -> PlannedService:
        values: dict[str, Any] = {
            "service_type": ServiceType.PSYCHOLOGICAL,
            "provider": self.shelter,
            "frequency": PlannedService.Frequency.WEEKLY,
            "start_date": date(2026, 11, 2),
            "end_date": date(2026, 12, 27),
        }
        return services.add_planned_service(
            plan,
            details=services.ServiceDetails(**(values | extra)),
            by=by or self.alice,
        )

    def active_plan(self) -> tuple[SupportPlan, PlannedService]:
        plan = self.draft()
        service = self.plan_service(plan)
        return services.approve_support_plan(plan, by=self.vera), service

    def deliver(
        self, service: PlannedService, by: User | None = None, **extra: Any
    ) -> ServiceDelivery:
        values: dict[str, Any] = {
            "delivered_on": date(2026, 11, 9),
            "duration_minutes": 50,
            "attendance": ServiceDelivery.Attendance.ATTENDED,
            "accommodations": ["easy_read"],
            "notes": SESSION_NOTE,
        }
        return services.record_delivery(
            service,
            details=services.DeliveryDetails(**(values | extra)),
            by=by or self.sam,
        )


class SupportPlanTests(SupportTestCase):
    sue: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sue = make_user("sue", cls.shelter, Role.SUPERVISOR)  # not the lead's
        case_services.add_team_member(
            cls.alice_case, user=cls.sue, role=CaseMember.Role.CASEWORKER, by=cls.alice
        )

    def test_a_case_has_one_open_plan_and_its_goals_are_required(self) -> None:
        with self.assertRaises(ServiceError) as refused:
            services.create_support_plan(self.alice_case, goals=" ", by=self.alice)
        self.assertEqual(refused.exception.field, "goals")
        self.draft()
        with self.assertRaisesMessage(ServiceError, "already has an open"):
            self.draft(by=self.vera)

    def test_only_a_supervisor_of_the_lead_organisation_who_did_not_draft_it_approves(
        self,
    ) -> None:
        plan = self.draft()
        self.plan_service(plan)
        for username, refusal in (
            ("alice", ServiceError),  # drafted it, and is no supervisor
            ("sid", ServiceError),
            ("sam", ServiceError),
            ("sue", ServiceError),  # a supervisor, of the shelter
            ("bob", PermissionDenied),
            ("carol", Http404),
        ):
            with self.subTest(user=username), self.assertRaises(refusal):
                services.approve_support_plan(
                    plan, by=User.objects.get(username=username)
                )
        active = services.approve_support_plan(plan, by=self.vera)
        self.assertEqual(active.status, Status.ACTIVE)
        self.assertEqual(active.approved_by, self.vera)

    def test_a_supervisor_does_not_approve_a_plan_of_their_own(self) -> None:
        plan = self.draft(by=self.vera)
        self.plan_service(plan)
        with self.assertRaisesMessage(ServiceError, "other than the person"):
            services.approve_support_plan(plan, by=self.vera)

    def test_a_plan_is_approved_with_at_least_one_service(self) -> None:
        plan = self.draft()
        with self.assertRaisesMessage(ServiceError, "at least one service"):
            services.approve_support_plan(plan, by=self.vera)

    def test_goals_change_only_in_a_draft_and_a_stale_change_is_refused(self) -> None:
        plan = self.draft()
        changed = services.update_support_plan(
            plan, goals="Safe housing first.", planned_end_date=None, by=self.sid,
            expected_version=plan.version,
        )  # fmt: skip
        with self.assertRaises(StaleEdit):
            services.update_support_plan(
                plan, goals="Other goals.", planned_end_date=None, by=self.alice,
                expected_version=plan.version,
            )  # fmt: skip
        self.plan_service(changed)
        active = services.approve_support_plan(changed, by=self.vera)
        with self.assertRaisesMessage(ServiceError, "Only a draft"):
            services.update_support_plan(
                active, goals="New.", planned_end_date=None, by=self.alice,
                expected_version=active.version,
            )  # fmt: skip

    def test_a_plan_completes_once_its_services_are_finished(self) -> None:
        plan, service = self.active_plan()
        with self.assertRaisesMessage(ServiceError, "still planned or active"):
            services.complete_support_plan(plan, by=self.alice)
        services.change_service_status(service, status="active", by=self.sam)
        services.change_service_status(
            self.reload(service), status="completed", by=self.alice
        )
        with self.assertRaises(PermissionDenied):
            services.complete_support_plan(plan, by=self.bob)
        done = services.complete_support_plan(plan, by=self.alice)
        self.assertEqual(done.status, Status.COMPLETED)
        self.assertEqual(done.ended_by, self.alice)
        for status in Status.values:
            with self.subTest(status=status), self.assertRaises(ServiceError):
                services.change_support_plan_status(
                    done, status=status, reason="Again.", by=self.alice
                )
        self.draft()  # a new plan may follow

    def test_each_role_may_or_may_not_complete_cancel_or_change_services(
        self,
    ) -> None:
        nina = make_user("nina", self.agency_a, Role.NATIONAL_COORDINATOR)
        plan, service = self.active_plan()
        for user, refusal in (
            (self.bob, PermissionDenied),  # observer
            (nina, PermissionDenied),  # national coordinator: reads only
            (self.carol, Http404),  # another agency
            (self.dan, Http404),  # the provider's, not on the team
        ):
            changes: list[Callable[[User], object]] = [
                lambda by: services.complete_support_plan(plan, by=by),
                lambda by: services.cancel_support_plan(plan, reason="No.", by=by),
                lambda by: services.change_service_status(
                    service, status="active", by=by
                ),
                lambda by: self.plan_service(plan, by=by),
            ]
            for change in changes:
                with self.subTest(user=user.username), self.assertRaises(refusal):
                    change(user)
        started = services.change_service_status(service, status="active", by=self.sid)
        services.change_service_status(started, status="completed", by=self.sam)
        self.assertEqual(
            services.complete_support_plan(plan, by=self.sid).status, Status.COMPLETED
        )

    def test_cancelling_needs_a_reason_and_cancels_the_open_services(self) -> None:
        plan, service = self.active_plan()
        with self.assertRaises(ServiceError) as refused:
            services.cancel_support_plan(plan, reason="", by=self.alice)
        self.assertEqual(refused.exception.field, "reason")
        cancelled = services.cancel_support_plan(
            plan, reason="The family moved to Shymkent.", by=self.alice
        )
        self.assertEqual(cancelled.status, Status.CANCELLED)
        self.assertEqual(self.reload(service).status, PlannedService.Status.CANCELLED)
        self.assertNotIn(
            b"Shymkent", b"".join(self.stored("plans_supportplan", "end_reason"))
        )
        steps = list(
            CaseEvent.objects.filter(case=self.alice_case, kind=CaseEvent.Kind.PLAN)
            .order_by("id")
            .values_list("params__step", flat=True)
        )
        self.assertEqual(
            steps,
            [
                "support_plan_created",
                "service_added",
                "support_plan_approved",
                "support_plan_cancelled",
            ],
        )

    def test_a_draft_may_be_cancelled_and_a_status_may_not_be_skipped(self) -> None:
        plan = self.draft()
        with self.assertRaisesMessage(ServiceError, "cannot become"):
            services.complete_support_plan(plan, by=self.alice)
        with self.assertRaisesMessage(ServiceError, "cannot become"):
            services.change_support_plan_status(plan, status="draft", by=self.alice)
        self.assertEqual(
            services.cancel_support_plan(
                plan, reason="Written twice.", by=self.sid
            ).status,
            Status.CANCELLED,
        )

    def test_goals_are_encrypted_and_the_plan_lists_its_htcds_types(self) -> None:
        plan, _service = self.active_plan()
        self.plan_service(plan, service_type=ServiceType.LEGAL_AID, frequency="once")
        stored = self.stored("plans_supportplan", "goals")
        self.assertFalse(any(b"school" in value for value in stored))
        self.assertEqual(plan.htcds_types(), ["Health", "Legal"])


class PlannedServiceTests(SupportTestCase):
    def test_the_provider_must_be_a_service_provider(self) -> None:
        plan = self.draft()
        with self.assertRaises(ServiceError) as refused:
            self.plan_service(plan, provider=self.agency_b)
        self.assertEqual(refused.exception.field, "provider")
        with self.assertRaises(ServiceError) as refused:
            self.plan_service(plan, end_date=date(2026, 10, 1))
        self.assertEqual(refused.exception.field, "end_date")

    def test_sessions_planned_follow_from_frequency_and_dates_unless_given(
        self,
    ) -> None:
        plan = self.draft()
        self.assertEqual(self.plan_service(plan).planned_sessions, 8)
        self.assertEqual(
            self.plan_service(plan, planned_sessions=5).planned_sessions, 5
        )
        self.assertIsNone(self.plan_service(plan, end_date=None).planned_sessions)

    def test_a_provider_neither_on_the_team_nor_referred_to_is_warned_about(
        self,
    ) -> None:
        ngo = Organisation.objects.create(
            name_kk="NGO", name_ru="NGO", name_en="Hope NGO",
            type=self.shelter.type, region=self.almaty,
            is_service_provider=True, services=["psychological"],
        )  # fmt: skip
        plan = self.draft()
        service = self.plan_service(
            plan, provider=ngo, service_type=ServiceType.SHELTER
        )
        warnings = services.provider_warnings(
            self.alice_case, ngo, service.service_type
        )
        self.assertEqual(len(warnings), 2)
        self.assertIn("neither on the case team nor referred to", warnings[0])
        self.assertIn("does not list this service", warnings[1])
        referral_services.create_referral(
            self.alice_case, by=self.alice, to_organisation=ngo, reasons=["Shelter"],
            urgency="routine", legal_basis="child_protection", shared_tier=Tier.IDENTITY,
        )  # fmt: skip
        self.assertEqual(
            services.provider_warnings(self.alice_case, ngo, ServiceType.PSYCHOLOGICAL),
            [],
        )
        self.assertEqual(
            services.provider_warnings(
                self.alice_case, self.shelter, ServiceType.PSYCHOLOGICAL
            ),
            [],  # sam is on the team
        )

    def test_a_service_starts_and_completes_only_under_an_approved_plan(self) -> None:
        plan = self.draft()
        service = self.plan_service(plan)
        with self.assertRaisesMessage(
            ServiceError, "once the support plan is approved"
        ):
            services.change_service_status(service, status="active", by=self.alice)
        other = self.plan_service(plan, service_type=ServiceType.EDUCATION)
        cancelled = services.change_service_status(
            other, status="cancelled", by=self.alice
        )
        self.assertEqual(cancelled.status, PlannedService.Status.CANCELLED)
        services.approve_support_plan(plan, by=self.vera)
        active = services.change_service_status(
            service, status="active", by=self.sam, expected_version=service.version
        )
        with self.assertRaises(StaleEdit):
            services.change_service_status(
                service, status="completed", by=self.alice,
                expected_version=service.version,
            )  # fmt: skip
        with self.assertRaisesMessage(ServiceError, "cannot become"):
            services.change_service_status(active, status="planned", by=self.alice)
        done = services.change_service_status(active, status="completed", by=self.alice)
        for status in PlannedService.Status.values:
            with self.subTest(status=status), self.assertRaises(ServiceError):
                services.change_service_status(done, status=status, by=self.alice)

    def test_readers_and_other_agencies_cannot_change_services(self) -> None:
        plan, service = self.draft(), None
        with self.assertRaises(PermissionDenied):
            self.plan_service(plan, by=self.bob)
        with self.assertRaises(Http404):
            self.plan_service(plan, by=self.carol)
        service = self.plan_service(plan)
        with self.assertRaises(PermissionDenied):
            services.change_service_status(service, status="cancelled", by=self.bob)
        with self.assertRaises(Http404):
            services.change_service_status(service, status="cancelled", by=self.carol)


class DeliveryTests(SupportTestCase):
    pia: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pia = make_user("pia", cls.shelter, Role.SCREENER)  # reads up to narrative
        case_services.add_team_member(
            cls.alice_case,
            user=cls.pia,
            role=CaseMember.Role.SERVICE_PROVIDER,
            by=cls.alice,
        )

    def test_the_providers_staff_on_the_team_record_deliveries_and_nobody_else(
        self,
    ) -> None:
        _plan, service = self.active_plan()
        for username, refusal in (
            ("alice", ServiceError),  # the lead organisation is not the provider
            ("vera", ServiceError),
            ("dan", Http404),  # the provider's, but not on the team
            ("bob", PermissionDenied),
            ("carol", Http404),
        ):
            with self.subTest(user=username), self.assertRaises(refusal):
                self.deliver(service, by=User.objects.get(username=username))
        delivery = self.deliver(service)
        self.assertEqual(delivery.delivered_by, self.sam)
        self.assertEqual(self.reload(service).status, PlannedService.Status.ACTIVE)

    def test_deliveries_wait_for_an_approved_plan_and_stop_when_the_service_ends(
        self,
    ) -> None:
        plan = self.draft()
        service = self.plan_service(plan)
        with self.assertRaisesMessage(ServiceError, "active support plan"):
            self.deliver(service)
        services.approve_support_plan(plan, by=self.vera)
        services.change_service_status(service, status="cancelled", by=self.alice)
        with self.assertRaisesMessage(ServiceError, "has ended"):
            self.deliver(service)

    def test_a_delivery_is_checked_before_it_is_recorded(self) -> None:
        _plan, service = self.active_plan()
        for field, extra in (
            ("delivered_on", {"delivered_on": date(2026, 11, 17)}),  # tomorrow
            ("delivered_on", {"delivered_on": date(2026, 11, 1)}),  # before the start
            ("duration_minutes", {"duration_minutes": 0}),
            ("duration_minutes", {"duration_minutes": 721}),
            ("attendance", {"attendance": "late"}),
            ("accommodations", {"accommodations": ["telepathy"]}),
            ("delivered_by", {"delivered_by": self.alice}),
        ):
            with self.subTest(field=field, extra=extra):
                with self.assertRaises(ServiceError) as refused:
                    self.deliver(service, **extra)
                self.assertEqual(refused.exception.field, field)
        missed = self.deliver(
            service, attendance="did_not_attend", duration_minutes=0, notes=""
        )
        self.assertEqual(missed.duration_minutes, 0)
        by_dan = self.deliver(service, delivered_by=self.dan)
        self.assertEqual(
            (by_dan.delivered_by, by_dan.recorded_by), (self.dan, self.sam)
        )

    def test_delivered_is_counted_against_planned(self) -> None:
        _plan, service = self.active_plan()
        self.deliver(service, delivered_on=date(2026, 11, 2))
        self.deliver(service, delivered_on=date(2026, 11, 9), attendance="partly",
                     duration_minutes=20)  # fmt: skip
        self.deliver(service, delivered_on=date(2026, 11, 16),
                     attendance="did_not_attend", duration_minutes=0)  # fmt: skip
        counted = PlannedService.objects.with_deliveries().get(pk=service.pk)
        self.assertEqual(counted.planned_sessions, 8)
        self.assertEqual(counted.delivered_count, 2)  # type: ignore[attr-defined]
        self.assertEqual(counted.missed_count, 1)  # type: ignore[attr-defined]
        self.assertEqual(counted.delivered_minutes, 70)  # type: ignore[attr-defined]
        self.assertEqual(
            CaseEvent.objects.filter(params__step="delivery_recorded")
            .first()
            .describe(),  # type: ignore[union-attr]
            "Service delivered: Psychological support (did not attend)",
        )

    def test_notes_are_encrypted_and_written_only_within_the_writers_tier(self) -> None:
        plan, service = self.active_plan()
        self.deliver(service)
        stored = self.stored("plans_servicedelivery", "notes")
        self.assertEqual(len(stored), 1)
        self.assertNotIn(b"family", stored[0])
        with self.assertRaises(ServiceError) as refused:  # psychological: tier 3
            self.deliver(service, by=self.pia)
        self.assertEqual(refused.exception.field, "notes")
        self.deliver(service, by=self.pia, notes="")  # without notes it is recorded
        shelter = self.plan_service(plan, service_type=ServiceType.SHELTER)
        self.deliver(shelter, by=self.pia, notes="Settled in well.")  # narrative

    def test_a_delivery_may_be_recorded_for_a_past_day_with_a_controlled_clock(
        self,
    ) -> None:
        _plan, service = self.active_plan()
        with time_machine.travel(TODAY + timedelta(days=60), tick=False):
            with self.assertRaises(ServiceError):  # after the planned end
                self.deliver(service, delivered_on=date(2027, 1, 10))
            self.deliver(service, delivered_on=date(2026, 12, 27))
