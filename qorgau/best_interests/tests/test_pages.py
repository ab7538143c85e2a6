"""The best-interests page: who sees what, who may act, and steps taken through its forms."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.models import AuditEvent
from qorgau.best_interests import services
from qorgau.best_interests.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
)
from qorgau.best_interests.tests.helpers import CHILD_VIEWS, BestInterestsTestCase
from qorgau.referrals import services as referral_services
from qorgau.test import make_org, make_user

ALMATY = ZoneInfo("Asia/Almaty")


class PageTestCase(BestInterestsTestCase):
    def url(self, suffix: str = "") -> str:
        return f"/en/cases/{self.alice_case.number}/best-interests/{suffix}"

    def one(self, assessment: BestInterestsAssessment, step: str = "") -> str:
        return self.url(f"{assessment.pk}/{step}")


class PageAccessTests(PageTestCase):
    def test_it_is_linked_from_the_case_page(self) -> None:
        self.login(self.alice)
        page = self.client.get(f"/en/cases/{self.alice_case.number}/")
        self.assertContains(page, self.url())
        self.assertContains(page, "Best-interests assessment and determination")

    def test_it_hides_other_agencies_cases(self) -> None:
        self.completed()
        self.login(self.carol)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.post(self.url("new/")).status_code, 404)
        assessment = BestInterestsAssessment.objects.get()
        self.assertEqual(
            self.client.post(self.one(assessment, "cancel/")).status_code, 404
        )

    def test_it_requires_write_role(self) -> None:
        assessment = self.start()
        self.login(self.bob)
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Save the assessment")
        self.assertNotContains(page, "Start a best-interests assessment")
        self.assertEqual(self.client.post(self.url("new/")).status_code, 403)
        response = self.client.post(
            self.one(assessment), {"bia-version": 1, "bia-child_views": "x"}
        )
        self.assertEqual(response.status_code, 403)

    def test_an_assessment_of_another_case_is_not_found_through_this_one(self) -> None:
        elsewhere = services.start_assessment(self.carol_case, by=self.carol)
        self.login(self.alice)
        response = self.client.get(self.url(), {"assessment": str(elsewhere.pk)})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.client.get(self.url(), {"assessment": "x"}).status_code, 404
        )
        self.assertEqual(
            self.client.post(
                self.one(elsewhere, "cancel/"),
                {"cancel-reason": "x", "cancel-version": 1},
            ).status_code,
            404,
        )

    def test_reading_the_page_is_audited(self) -> None:
        self.login(self.bob)
        self.client.get(self.url())
        self.assertTrue(
            AuditEvent.objects.filter(
                action="best_interests.read", actor_id=self.bob.pk
            ).exists()
        )


class TierTests(PageTestCase):
    dana: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        shelter = make_org("Shelter", cls.almaty)
        cls.dana = make_user("dana", shelter, Role.CASEWORKER)
        referral_services.create_referral(
            cls.alice_case,
            by=cls.alice,
            to_organisation=shelter,
            reasons=["Shelter"],
            urgency="routine",
            legal_basis="child_protection",
            shared_tier=Tier.IDENTITY,
        )

    def test_a_reader_below_the_narrative_tier_sees_no_views_findings_or_reasons(
        self,
    ) -> None:
        made = self.determined()
        self.login(self.dana)
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Sign language with an interpreter")  # how, not what
        self.assertContains(page, made.get_status_display())
        for hidden in (CHILD_VIEWS, "Live with the aunt", "Her own wish", "recruiter"):
            self.assertNotContains(page, hidden)
        self.assertContains(page, "does not reach the case narrative")

    def test_a_writer_below_the_health_tier_sees_neither_the_health_finding_nor_its_field(
        self,
    ) -> None:
        self.fill(self.start())
        self.login(self.sam)
        page = self.client.get(self.url())
        self.assertContains(page, CHILD_VIEWS)
        self.assertNotContains(page, "Hearing impairment")
        self.assertContains(page, "Beyond your access")
        self.assertNotContains(page, 'name="bia-findings_health"')
        self.assertContains(page, 'name="bia-findings_safety"')
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "Hearing impairment")


class StepTests(PageTestCase):
    def test_a_caseworker_records_and_completes_an_assessment_through_the_page(
        self,
    ) -> None:
        self.login(self.alice)
        response = self.client.post(self.url("new/"), follow=True)
        self.assertContains(response, "The assessment was started.")
        assessment = BestInterestsAssessment.objects.get()
        response = self.client.post(
            self.one(assessment),
            {
                "bia-version": 1,
                "bia-team_participants": [self.alice.pk, self.vera.pk],
                "bia-other_participants": "Тётя; переводчик",
                "bia-views_method": "pictures",
                "bia-accommodations": ["pictograms", "trusted_adult"],
                "bia-views_language": "kk",
                "bia-child_views": CHILD_VIEWS,
                "bia-maturity_considered": "true",
                "bia-findings_safety": "Safe at her aunt's.",
            },
            follow=True,
        )
        self.assertContains(response, "The assessment was saved.")
        self.assertContains(response, "Pictures or pictograms")
        self.assertContains(response, "A trusted adult present")
        for n, option in enumerate(("Aunt", "Shelter")):
            response = self.client.post(
                self.one(assessment, "options/"),
                {
                    "option-version": 2 + n,
                    "option-option": option,
                    "option-arguments_for": "Safe",
                },
                follow=True,
            )
            self.assertContains(response, "The option was added.")
        response = self.client.post(
            self.one(assessment, "complete/"), {"complete-version": 4}, follow=True
        )
        self.assertContains(response, "It now awaits the determination.")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, "completed")
        self.assertEqual(assessment.maturity_considered, True)
        self.assertEqual(
            set(assessment.team_participants.all()), {self.alice, self.vera}
        )
        self.assertNotContains(
            response, "Record the determination"
        )  # alice does not determine

    def test_a_refused_completion_says_why_and_keeps_the_page(self) -> None:
        assessment = self.start()
        self.login(self.alice)
        response = self.client.post(
            self.one(assessment, "complete/"), {"complete-version": 1}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Record how the child&#x27;s views were obtained")

    def test_a_stale_save_keeps_what_was_typed_beside_the_current_text(self) -> None:
        assessment = self.start()
        services.update_assessment(
            assessment, changes={"child_views": "Saved by Vera."}, by=self.vera
        )
        self.login(self.alice)
        response = self.client.post(
            self.one(assessment),
            {"bia-version": 1, "bia-child_views": "Typed by Alice."},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone else changed this record")
        self.assertContains(response, "Typed by Alice.")
        self.assertContains(response, "Saved by Vera.")
        self.assertContains(response, 'name="bia-version" value="2"')
        self.assertEqual(self.reload(assessment).child_views, "Saved by Vera.")

    def test_a_supervisor_determines_and_an_appeal_is_decided_by_a_coordinator(
        self,
    ) -> None:
        assessment = self.completed()
        aunt, home = list(assessment.options.all())
        self.login(self.alice)
        self.assertNotContains(
            self.client.get(self.url()), "Record the determination"
        )  # a caseworker does not determine
        self.login(self.vera)
        page = self.client.get(self.url())
        self.assertContains(page, "Record the determination")
        today = timezone.localdate().isoformat()
        form = {
            "determine-option": str(aunt.pk),
            "determine-reasons": "Her wish and her safety.",
            "determine-panel": [self.alice.pk],
            "determine-determined_on": today,
            "determine-explained_to_child": "true",
            "determine-explanation_method": "sign_language",
        }
        refused = self.client.post(
            self.one(assessment, "determine/"),
            form | {"determine-explanation_method": ""},
        )
        self.assertContains(refused, "Say how the decision was explained to the child.")
        self.assertContains(refused, "Her wish and her safety.")  # kept
        response = self.client.post(
            self.one(assessment, "determine/"), form, follow=True
        )
        self.assertContains(response, "The best interests were determined.")
        made = BestInterestsDetermination.objects.get()
        self.assertEqual(made.option, aunt)

        self.login(self.alice)
        response = self.client.post(
            self.one(assessment, "appeal/"),
            {
                "appeal-lodged_by": "child",
                "appeal-lodged_on": today,
                "appeal-grounds": "Я хочу домой.",
                "appeal-version": made.version,
            },
            follow=True,
        )
        self.assertContains(response, "The appeal was recorded.")
        self.assertNotContains(response, "Record the appeal decision")

        self.login(self.vera)  # she determined it: not hers to decide
        self.assertNotContains(
            self.client.get(self.url()), "Record the appeal decision"
        )
        self.login(self.rita)
        self.assertContains(self.client.get(self.url()), "Record the appeal decision")
        response = self.client.post(
            self.one(assessment, "decide-appeal/"),
            {
                "decide-outcome": "changed",
                "decide-option": str(home.pk),
                "decide-reasons": "Home is now safe; the recruiter was arrested.",
                "decide-version": made.version + 1,
            },
            follow=True,
        )
        self.assertContains(response, "The appeal was decided.")
        made.refresh_from_db()
        self.assertEqual((made.status, made.option), ("appeal_decided", home))
        self.assertContains(response, "Option chosen before the appeal")

    def test_an_appeal_without_a_determination_is_refused_not_lost(self) -> None:
        assessment = self.completed()
        self.login(self.alice)
        response = self.client.post(
            self.one(assessment, "appeal/"),
            {
                "appeal-lodged_by": "child",
                "appeal-lodged_on": timezone.localdate().isoformat(),
                "appeal-grounds": "Не согласна.",
                "appeal-version": 1,
            },
        )
        self.assertContains(response, "no determination in force")
        self.assertContains(response, "Не согласна.")

    def test_options_are_removed_and_an_assessment_cancelled_through_the_page(
        self,
    ) -> None:
        assessment = self.fill(self.start())
        option = assessment.options.first()
        assert option is not None
        self.login(self.alice)
        response = self.client.post(
            self.one(assessment, f"options/{option.pk}/remove/"),
            {"remove-version": assessment.version},
            follow=True,
        )
        self.assertContains(response, "The option was removed.")
        response = self.client.post(
            self.one(assessment, "cancel/"),
            {
                "cancel-reason": "The child moved to another region.",
                "cancel-version": 99,
            },
        )
        self.assertContains(response, "Someone else changed this record")
        response = self.client.post(
            self.one(assessment, "cancel/"),
            {
                "cancel-reason": "The child moved to another region.",
                "cancel-version": self.reload(assessment).version,
            },
            follow=True,
        )
        self.assertContains(response, "The assessment was cancelled.")
        self.assertContains(response, "Start a best-interests assessment")


class ReviewPageTests(PageTestCase):
    def test_a_due_review_is_announced_and_started_from_the_page(self) -> None:
        made = self.determined()
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertContains(page, "Review the determination: start a new assessment")
        self.assertNotContains(page, "Review due")
        review_day = datetime.combine(made.review_date, time(12), tzinfo=ALMATY)
        self.assertEqual(services.report_reviews_due(review_day), 1)
        page = self.client.get(self.url())
        self.assertContains(page, "Review due")
        response = self.client.post(self.url("new/"), follow=True)
        self.assertContains(response, "The assessment was started.")
        self.assertContains(response, "Under review")
