"""The demo country shows best-interests records in every state."""

import io

from django.core.management import call_command
from django.test import TestCase

from qorgau.agencies.models import Notification
from qorgau.best_interests.models import (
    BestInterestsAppeal,
    BestInterestsAssessment,
    BestInterestsDetermination,
)


class DemoTests(TestCase):
    def test_the_demo_has_assessments_determinations_and_appeals_in_every_state(
        self,
    ) -> None:
        out = io.StringIO()
        call_command("seed_demo", "--children", "400", "--workers", "0", stdout=out)
        self.assertIn("Best-interests assessments on 11 cases.", out.getvalue())
        self.assertEqual(
            set(BestInterestsAssessment.objects.values_list("status", flat=True)),
            set(BestInterestsAssessment.Status.values),
        )
        self.assertEqual(
            set(BestInterestsDetermination.objects.values_list("status", flat=True)),
            set(BestInterestsDetermination.Status.values),
        )
        self.assertEqual(
            set(BestInterestsAppeal.objects.values_list("outcome", flat=True)),
            set(BestInterestsAppeal.Outcome.values),
        )
        self.assertTrue(
            Notification.objects.filter(kind="best_interests_review_due").exists()
        )
