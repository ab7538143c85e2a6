"""The reviews page, the case page's section, "My work" and the supervisor's dashboard."""

from datetime import date, timedelta
from typing import Any

import time_machine
from django.utils import timezone

from qorgau.agencies.models import Ministry, User
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.models import Case
from qorgau.reviews.forms import follow_up_prefix
from qorgau.reviews.models import CaseReview, FollowUp
from qorgau.reviews.tests.test_follow_ups import FollowUpTestCase
from qorgau.reviews.tests.test_reviews import ReviewTestCase, at
from qorgau.test import make_org, make_user

SUMMARY = "Sessions with the psychologist twice a week; back at school."


class ReviewPageTests(ReviewTestCase):
    def url(self, suffix: str = "", lang: str = "en") -> str:
        return f"/{lang}/cases/{self.alice_case.number}/reviews/{suffix}"

    def post_review(self, **fields: object) -> Any:
        data: dict[str, object] = {
            "held_on": timezone.localdate().isoformat(),
            "participants": [self.alice.pk, self.dan.pk],
            "other_participants": "The child and her mother",
            "summary": SUMMARY,
            "outcome": "change_plan",
            "next_due_on": "",
            "version": CaseReview.objects.get(
                status="scheduled", case=self.alice_case
            ).version,
        } | fields
        return self.client.post(self.url("hold/"), data)

    def test_the_case_page_shows_the_next_review_and_links_to_the_page(self) -> None:
        self.login(self.alice)
        page = self.client.get(f"/en/cases/{self.alice_case.number}/")
        due = self.scheduled(self.alice_case).due_on.strftime("%d.%m.%Y")
        self.assertContains(page, f"Next review by {due}")
        self.assertContains(page, f'href="{self.url()}"')

    def test_a_writer_holds_a_review_from_the_page(self) -> None:
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "Record a review")
        response = self.post_review()
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        held = CaseReview.objects.get(status="held")
        self.assertEqual(set(held.participants.all()), {self.alice, self.dan})
        self.assertEqual(held.next_due_on, timezone.localdate() + timedelta(days=14))
        page = self.client.get(self.url())
        self.assertContains(page, SUMMARY)
        self.assertContains(page, "Change the plan")
        self.assertContains(page, "The child and her mother")

    def test_a_refused_review_keeps_what_was_typed_and_says_why(self) -> None:
        self.login(self.alice)
        response = self.post_review(next_due_on="2099-01-30")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, SUMMARY)
        self.assertContains(response, "at the latest")
        self.assertContains(response, 'id="id_next_due_on_error"')
        self.assertFalse(CaseReview.objects.filter(status="held").exists())

    def test_readers_see_the_history_but_no_form(self) -> None:
        self.login(self.alice)
        self.post_review()
        self.login(self.bob)
        page = self.client.get(self.url())
        self.assertContains(page, SUMMARY)
        self.assertNotContains(page, "Record a review")

    def test_it_hides_other_agencies_cases(self) -> None:
        self.login(self.carol)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.post_review().status_code, 404)

    def test_it_requires_write_role(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.post_review().status_code, 403)
        self.assertFalse(CaseReview.objects.filter(status="held").exists())

    def test_readers_below_the_narrative_tier_see_no_summary(self) -> None:
        self.login(self.alice)
        self.post_review()
        prosecutors = make_org(
            "Prosecutor", self.almaty, ministry=Ministry.PROSECUTOR_GENERAL,
            type_code="Prosecutor",
        )  # fmt: skip
        pavel = make_user("pavel", prosecutors, Role.PROSECUTOR)
        case_services.open_to_oversight(
            self.alice_case,
            organisation=prosecutors,
            max_tier=Tier.IDENTITY,
            reason="Complaint",
            by=self.alice,
        )
        self.login(pavel)
        page = self.client.get(self.url())
        self.assertContains(page, "Change the plan")
        self.assertNotContains(page, SUMMARY)
        self.assertNotContains(page, "The child and her mother")
        self.assertContains(page, "beyond the sensitivity you may see")

    def test_reading_the_page_is_audited(self) -> None:
        self.login(self.bob)
        self.client.get(self.url())
        self.assertTrue(
            AuditEvent.objects.filter(
                action="case.reviews.read", object_id=self.alice_case.number
            ).exists()
        )

    def test_the_page_reads_in_kazakh_and_russian(self) -> None:
        self.login(self.alice)
        for lang in ("kk", "ru"):
            with self.subTest(lang=lang):
                page = self.client.get(self.url(lang=lang))
                self.assertContains(page, f'<html lang="{lang}">')
                due = self.scheduled(self.alice_case).due_on
                self.assertContains(page, due.strftime("%d.%m.%Y"))


class FollowUpPageTests(FollowUpTestCase):
    def url(self, suffix: str = "") -> str:
        return f"/en/cases/{self.alice_case.number}/{suffix}"

    def test_a_follow_up_is_recorded_and_a_child_at_risk_gets_a_new_case(self) -> None:
        six = self.six()
        prefix = follow_up_prefix(six)
        self.login(self.alice)
        page = self.client.get(self.url("reviews/"))
        self.assertContains(page, "Record the 6-month follow-up")
        self.assertContains(page, "Child safely reintegrated")
        response = self.client.post(
            self.url(f"follow-ups/{six.pk}/"),
            {
                f"{prefix}-done_on": "2026-11-20",
                f"{prefix}-contact_made": "yes",
                f"{prefix}-contact_method": "home_visit",
                f"{prefix}-situation": "at_risk",
                f"{prefix}-notes": "Seen selling at the bazaar with an unknown man.",
                f"{prefix}-version": six.version,
            },
            follow=True,
        )
        self.assertContains(response, "The follow-up was recorded.")
        self.assertContains(response, "Open a new case for the child")
        opened = self.client.post(self.url(f"follow-ups/{six.pk}/new-case/"))
        case = Case.objects.exclude(
            pk__in=[self.alice_case.pk, self.carol_case.pk]
        ).get()
        self.assertRedirects(
            opened, f"/en/cases/{case.number}/", fetch_redirect_response=False
        )
        self.assertEqual(case.child_id, self.alice_case.child_id)

    def test_a_follow_up_without_how_contact_was_made_is_refused_on_the_form(
        self,
    ) -> None:
        six = self.six()
        prefix = follow_up_prefix(six)
        self.login(self.alice)
        response = self.client.post(
            self.url(f"follow-ups/{six.pk}/"),
            {
                f"{prefix}-done_on": "2026-11-20",
                f"{prefix}-contact_made": "yes",
                f"{prefix}-situation": "safe",
                f"{prefix}-version": six.version,
            },
        )
        self.assertContains(response, "Say how contact was made.")
        self.assertEqual(self.six().status, FollowUp.Status.SCHEDULED)

    def test_it_requires_write_role_and_hides_other_agencies_cases(self) -> None:
        six = self.six()
        for user, status in ((self.bob, 403), (self.carol, 404)):
            self.login(user)
            with self.subTest(user=user.username):
                response = self.client.post(self.url(f"follow-ups/{six.pk}/"), {})
                self.assertEqual(response.status_code, status)


class MyWorkAndDashboardTests(ReviewTestCase):
    """On 20 December 2026: alice_case's review (due 13 December) is overdue, an urgent case's
    is due on the 22nd, a normal one's not until January; a closed case is followed up."""

    urgent: Case
    closed: Case

    def setUp(self) -> None:
        self.urgent = self.open(date(2026, 12, 15), Case.Priority.URGENT)
        self.open(date(2026, 12, 15))
        self.closed = self.open(date(2026, 6, 1))
        with time_machine.travel(at(date(2026, 6, 24)), tick=False):
            self.close(self.closed)  # followed up by 24 December

    def get(self, user: User, path: str) -> str:
        with time_machine.travel(at(date(2026, 12, 20)), tick=False):
            self.login(user)
            return self.client.get(path).content.decode()

    def test_my_work_lists_reviews_and_follow_ups_due_overdue_first_with_counts(
        self,
    ) -> None:
        html = self.get(self.alice, "/en/")
        self.assertIn("Reviews due soon or overdue", html)
        overdue = html.index(self.alice_case.number + "</a> — High")
        self.assertLess(overdue, html.index(self.urgent.number + "</a> — Urgent"))
        self.assertIn('<p class="count">2</p><p>Reviews due soon or overdue', html)
        self.assertIn("1 overdue", html)
        self.assertIn(f"{self.closed.number}</a> — 6 months after closure", html)
        self.assertNotIn(self.carol_case.number, html)
        self.assertTrue(AuditEvent.objects.filter(action="review.list").exists())

    def test_my_work_lists_only_what_the_user_is_responsible_for_and_reminded_of(
        self,
    ) -> None:
        # Dan is on Alice's case team; she convenes its review, which is due.
        html = self.get(self.dan, "/en/")
        self.assertNotIn("Reviews due soon or overdue", html)
        self.assertNotIn(f"/cases/{self.alice_case.number}/reviews/", html)
        self.assertIn(
            f"/cases/{self.alice_case.number}/reviews/", self.get(self.alice, "/en/")
        )

    def test_the_supervisor_dashboard_counts_overdue_reviews_per_person_responsible(
        self,
    ) -> None:
        html = self.get(self.vera, "/en/dashboard/")
        self.assertIn("Reviews and follow-ups overdue", html)
        self.assertIn("<td>alice</td><td>1</td><td>13.12.2026</td><td>0</td>", html)
        self.assertNotIn("carol", html)
