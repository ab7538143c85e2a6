"""Safety plans: versions tied to the latest risk assessment, locking, measures and their status."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from qorgau.agencies.models import User
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import CaseEvent
from qorgau.plans import services
from qorgau.plans.models import Area, Level, SafetyMeasure, SafetyPlan
from qorgau.plans.tests.base import RECRUITER_NOTE, PlansTestCase

ALMATY = ZoneInfo("Asia/Almaty")
SAFE_PLACE = "Crisis centre on Abay Avenue; the school nurse's room."


class SafetyPlanTestCase(PlansTestCase):
    def details(self, *measures: services.MeasureDetails, **extra: Any) -> Any:
        return services.SafetyPlanDetails(
            emergency_contacts=extra.pop("contacts", "Helpline 111; aunt Saule."),
            safe_places=extra.pop("places", SAFE_PLACE),
            measures=list(measures) or [self.measure()],
            **extra,
        )

    def measure(self, **extra: Any) -> services.MeasureDetails:
        values: dict[str, Any] = {
            "action": "Change the child's phone number and block the recruiter.",
            "area": Area.ONLINE,
            "responsible_organisation": self.agency_a,
        }
        return services.MeasureDetails(**(values | extra))

    def save(self, version: int = 0, by: User | None = None, **extra: Any) -> Any:
        return services.save_safety_plan(
            self.alice_case,
            details=self.details(**extra),
            by=by or self.alice,
            expected_version=version,
        )


class SafetyPlanTests(SafetyPlanTestCase):
    def test_a_plan_follows_a_finalised_risk_assessment(self) -> None:
        with self.assertRaisesMessage(ServiceError, "assess the risks first"):
            self.save()
        draft = services.start_risk_assessment(
            self.alice_case,
            ratings={Area.ONLINE: services.Rating(Level.LOW)},
            by=self.alice,
        )
        with self.assertRaises(ServiceError):  # a draft is not enough
            self.save()
        services.discard_risk_assessment(draft, by=self.alice)
        assessment = self.assess()
        plan = self.save()
        self.assertEqual(plan.version, 1)
        self.assertEqual(plan.risk_assessment, assessment)
        self.assertEqual(plan.review_date, assessment.next_review_date)

    def test_each_save_is_a_new_version_that_supersedes_the_last(self) -> None:
        first_assessment = self.assess()
        first = self.save()
        second_assessment = self.assess(levels={Area.HOUSEHOLD: Level.LOW})
        second = self.save(version=1, by=self.vera)
        self.assertEqual(second.version, 2)
        self.assertEqual(second.risk_assessment, second_assessment)
        first = self.reload(first)
        self.assertFalse(first.is_current)
        self.assertEqual(first.risk_assessment, first_assessment)
        self.assertEqual(first.measures.count(), 1)  # history kept as it was
        self.assertEqual(
            list(SafetyPlan.objects.current().filter(case=self.alice_case)), [second]
        )
        self.assertEqual(
            [
                e.describe()
                for e in CaseEvent.objects.filter(params__step="safety_plan_saved")
            ],
            [
                "Safety plan version 2 saved (1 measure)",
                "Safety plan version 1 saved (1 measure)",
            ],
        )

    def test_a_plan_written_after_a_late_risk_review_is_reviewed_from_today(
        self,
    ) -> None:
        with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=ALMATY), tick=False):
            self.assess()  # medium: reviewed on 2 December
        with time_machine.travel(datetime(2026, 12, 20, 10, tzinfo=ALMATY), tick=False):
            plan = self.save()
        self.assertEqual(plan.review_date, date(2026, 12, 20))

    def test_a_save_from_a_stale_version_is_refused(self) -> None:
        self.assess()
        self.save()
        self.save(version=1, by=self.vera)
        with self.assertRaises(StaleEdit) as stale:
            self.save(version=1)
        self.assertEqual(stale.exception.current_version, 2)
        with self.assertRaises(StaleEdit):
            self.save(version=0)

    def test_the_plan_is_checked_before_it_is_saved(self) -> None:
        self.assess()
        with self.assertRaises(ServiceError) as refused:
            self.save(contacts=" ")
        self.assertEqual(refused.exception.field, "emergency_contacts")
        with self.assertRaises(ServiceError) as refused:
            self.save(review_date=date(2020, 1, 1))
        self.assertEqual(refused.exception.field, "review_date")
        with self.assertRaises(ServiceError) as refused:
            services.save_safety_plan(
                self.alice_case,
                details=self.details(
                    self.measure(), self.measure(responsible_person=self.sam)
                ),
                by=self.alice,
                expected_version=0,
            )
        self.assertEqual(refused.exception.field, "measures.1.responsible_person")
        self.assertFalse(SafetyPlan.objects.exists())

    def test_each_role_may_or_may_not_save_the_plan(self) -> None:
        self.assess()
        for username, refusal in (
            ("bob", PermissionDenied),
            ("carol", Http404),
        ):
            with self.subTest(user=username), self.assertRaises(refusal):
                self.save(by=User.objects.get(username=username))
        self.assertEqual(self.save(by=self.sid).version, 1)  # a screener on the team

    def test_contacts_places_and_measures_are_encrypted_at_rest(self) -> None:
        self.assess()
        self.save()
        for table, column, secret in (
            ("plans_safetyplan", "safe_places", b"Abay"),
            ("plans_safetyplan", "emergency_contacts", b"Saule"),
            ("plans_safetymeasure", "action", b"recruiter"),
        ):
            stored = self.stored(table, column)
            self.assertTrue(stored)
            self.assertFalse(any(secret in value for value in stored), column)


class MeasureStatusTests(SafetyPlanTestCase):
    def measure_of(self, plan: SafetyPlan) -> SafetyMeasure:
        return plan.measures.get()

    def test_a_measure_goes_from_planned_to_in_place_to_ended(self) -> None:
        self.assess()
        measure = self.measure_of(self.save())
        placed = services.change_measure_status(
            measure, status="in_place", by=self.sid, expected_version=measure.version
        )
        with self.assertRaises(StaleEdit):
            services.change_measure_status(
                measure, status="ended", by=self.alice, expected_version=measure.version
            )
        with self.assertRaisesMessage(ServiceError, "cannot become"):
            services.change_measure_status(placed, status="planned", by=self.alice)
        ended = services.change_measure_status(placed, status="ended", by=self.alice)
        for status in SafetyMeasure.Status.values:
            with self.subTest(status=status), self.assertRaises(ServiceError):
                services.change_measure_status(ended, status=status, by=self.alice)
        self.assertEqual(
            CaseEvent.objects.filter(params__step="measure_status").first().describe(),  # type: ignore[union-attr]
            "Safety measure against online exploitation: ended",
        )

    def test_a_planned_measure_may_end_without_being_in_place(self) -> None:
        self.assess()
        measure = self.measure_of(self.save())
        ended = services.change_measure_status(measure, status="ended", by=self.alice)
        self.assertEqual(ended.status, SafetyMeasure.Status.ENDED)

    def test_readers_and_other_agencies_cannot_move_a_measure(self) -> None:
        self.assess()
        measure = self.measure_of(self.save())
        with self.assertRaises(PermissionDenied):
            services.change_measure_status(measure, status="ended", by=self.bob)
        with self.assertRaises(Http404):
            services.change_measure_status(measure, status="ended", by=self.carol)

    def test_a_measure_of_a_superseded_plan_no_longer_changes(self) -> None:
        self.assess(levels={Area.ONLINE: (Level.HIGH, RECRUITER_NOTE)})
        old = self.measure_of(self.save())
        self.save(version=1)
        with self.assertRaisesMessage(ServiceError, "newer version"):
            services.change_measure_status(old, status="ended", by=self.alice)
