"""The demo country has risk, safety and support plans in every state."""

import io

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from qorgau.plans.models import (
    PlannedService,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
    ServiceDelivery,
    SupportPlan,
)


class DemoPlansTests(TestCase):
    def test_the_demo_country_has_plans_in_every_state(self) -> None:
        out = io.StringIO()
        call_command("seed_demo", "--children", "300", "--workers", "0", stdout=out)
        self.assertIn("Risk, safety and support plans on", out.getvalue())
        statuses = {
            model: set(model.objects.values_list("status", flat=True))
            for model in (RiskAssessment, SafetyMeasure, SupportPlan, PlannedService)
        }
        self.assertEqual(statuses[RiskAssessment], set(RiskAssessment.Status.values))
        self.assertEqual(statuses[SafetyMeasure], set(SafetyMeasure.Status.values))
        self.assertEqual(statuses[SupportPlan], set(SupportPlan.Status.values))
        self.assertEqual(statuses[PlannedService], set(PlannedService.Status.values))
        levels = set(
            RiskAssessment.objects.final().values_list("overall_level", flat=True)
        )
        self.assertEqual(levels, {"low", "medium", "high"})
        self.assertTrue(SafetyPlan.objects.filter(superseded_at__isnull=False).exists())
        attendance = set(ServiceDelivery.objects.values_list("attendance", flat=True))
        self.assertEqual(attendance, set(ServiceDelivery.Attendance.values))
        self.assertTrue(
            RiskAssessment.objects.current()
            .filter(next_review_date__lt=timezone.localdate())
            .exists()
        )
