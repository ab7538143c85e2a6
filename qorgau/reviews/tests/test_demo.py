"""The demo country shows reviews and follow-ups in every state."""

import io

from django.core.management import call_command
from django.db.models import F, Q
from django.test import TestCase
from django.utils import timezone

from qorgau.agencies.models import Notification
from qorgau.cases.models import Case
from qorgau.reviews.models import CaseClosure, CaseReview, ClosureReason, FollowUp


class DemoTests(TestCase):
    def test_the_demo_has_reviews_closures_and_follow_ups_in_every_state(self) -> None:
        call_command(
            "seed_demo", "--children", "400", "--workers", "0", stdout=io.StringIO()
        )
        today = timezone.localdate()
        scheduled = CaseReview.objects.filter(status="scheduled")
        self.assertEqual(scheduled.count(), Case.objects.open().count())
        self.assertTrue(scheduled.filter(due_on__lt=today).exists())
        self.assertTrue(scheduled.filter(due_on__gte=today).exists())
        self.assertTrue(CaseReview.objects.filter(status="held").exists())
        self.assertTrue(CaseReview.objects.filter(status="cancelled").exists())
        closed = Case.objects.filter(status__in=Case.CLOSED_STATUSES)
        self.assertFalse(
            closed.exclude(closure_reason__in=ClosureReason.values).exists()
        )
        self.assertEqual(CaseClosure.objects.count(), closed.count())
        self.assertFalse(closed.exclude(closures__reason=F("closure_reason")).exists())
        follow_ups = FollowUp.objects.all()
        for state in (
            Q(status="done"),
            Q(status="scheduled", due_on__lt=today),
            Q(status="scheduled", due_on__gte=today),
            Q(situation=FollowUp.Situation.AT_RISK, new_case__isnull=False),
        ):
            with self.subTest(state=str(state)):
                self.assertTrue(follow_ups.filter(state).exists())
        self.assertTrue(Notification.objects.filter(kind="review_overdue").exists())
