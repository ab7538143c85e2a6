"""The demo country shows age assessments and guardian appointments in every state."""

import io

from django.core.management import call_command
from django.test import TestCase

from qorgau.agencies.models import Notification
from qorgau.cases.models import Case, CaseEvent
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment


class DemoGuardianshipTests(TestCase):
    def test_the_demo_country_has_assessments_and_appointments_of_every_state(
        self,
    ) -> None:
        out = io.StringIO()
        call_command("seed_demo", "--children", "400", "--workers", "0", stdout=out)
        self.assertIn("guardians late", out.getvalue())
        statuses = set(GuardianAppointment.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(GuardianAppointment.Status.values))
        reasons = set(
            GuardianAppointment.objects.exclude(end_reason="").values_list(
                "end_reason", flat=True
            )
        )
        self.assertEqual(reasons, {"replaced", "revoked", "majority"})
        self.assertTrue(GuardianAppointment.objects.overdue().exists())
        self.assertTrue(
            GuardianAppointment.objects.filter(organisation__isnull=False).exists()
        )
        self.assertTrue(
            Notification.objects.filter(kind="guardianship_overdue").exists()
        )
        conclusions = set(AgeAssessment.objects.values_list("conclusion", flat=True))
        self.assertEqual(conclusions, set(AgeAssessment.Conclusion.values))
        steps = set(
            CaseEvent.objects.filter(kind=CaseEvent.Kind.AGE_ASSESSMENT).values_list(
                "params__step", flat=True
            )
        )
        self.assertLessEqual({"presumed", "recorded", "lifted"}, steps)
        self.assertTrue(Case.objects.filter(unaccompanied=True).exists())
