"""The risk and support pages, and what the case page shows of them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from qorgau.agencies.roles import Tier
from qorgau.cases.models import Case
from qorgau.plans import services
from qorgau.plans.models import (
    Area,
    Level,
    PlannedService,
    RiskAssessment,
    SafetyPlan,
    ServiceType,
    SupportPlan,
)
from qorgau.plans.tests.base import HEALTH_NOTE, RECRUITER_NOTE, PlansTestCase
from qorgau.referrals import services as referral_services

ALMATY = ZoneInfo("Asia/Almaty")


def assessment_post(**levels: str) -> dict[str, object]:
    data: dict[str, object] = {f"{area}_level": "not_assessed" for area in Area.values}
    for area, level in levels.items():
        data[f"{area}_level"] = level
    return data


class PageAccessTests(PlansTestCase):
    def test_it_hides_other_agencies_cases(self) -> None:
        self.assess()
        self.login(self.carol)
        number = self.alice_case.number
        for path in ("risk/", "risk/new/", "risk/plan/", "support/"):
            with self.subTest(path=path):
                response = self.client.get(f"/en/cases/{number}/{path}")
                self.assertEqual(response.status_code, 404)
        response = self.client.post(f"/en/cases/{number}/support/plan/new/")
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_role(self) -> None:
        self.assess()
        self.login(self.bob)
        number = self.alice_case.number
        self.assertEqual(self.client.get(f"/en/cases/{number}/risk/").status_code, 200)
        for path in ("risk/new/", "risk/plan/"):
            with self.subTest(path=path):
                response = self.client.get(f"/en/cases/{number}/{path}")
                self.assertEqual(response.status_code, 403)
        response = self.client.post(
            f"/en/cases/{number}/support/plan/new/", {"plan-goals": "Stay safe."}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(SupportPlan.objects.exists())

    def test_the_pages_work_in_kazakh_and_russian(self) -> None:
        self.assess()
        self.login(self.alice)
        for language in ("kk", "ru"):
            for path in ("risk/", "risk/new/", "risk/plan/", "support/"):
                with self.subTest(language=language, path=path):
                    response = self.client.get(
                        f"/{language}/cases/{self.alice_case.number}/{path}"
                    )
                    self.assertEqual(response.status_code, 200)


class RiskPageTests(PlansTestCase):
    def test_the_case_page_shows_the_current_overall_risk(self) -> None:
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/"
        self.assertContains(self.client.get(url), "Not assessed")
        with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=ALMATY), tick=False):
            self.assess(levels={Area.RETALIATION: (Level.HIGH, RECRUITER_NOTE)})
            page = self.client.get(url)
        self.assertContains(page, "Overall risk")
        self.assertContains(page, "<strong>High</strong>", html=True)
        self.assertContains(page, "09.11.2026")
        self.assertContains(page, f"/en/cases/{self.alice_case.number}/risk/")
        self.assertContains(page, f"/en/cases/{self.alice_case.number}/support/")
        late = self.client.get(url)  # today is far past 9 November 2026 in real time
        self.assertContains(late, "overdue")

    def test_an_assessment_is_drafted_then_finalised_through_the_form(self) -> None:
        self.login(self.alice)
        base = f"/en/cases/{self.alice_case.number}/risk/"
        data = assessment_post(online="high")
        response = self.client.post(f"{base}new/", data)
        self.assertRedirects(response, base)
        draft = RiskAssessment.objects.get()
        self.assertRedirects(
            self.client.get(f"{base}new/"), f"{base}{draft.pk}/"
        )  # the open draft, not a second one
        refused = self.client.post(
            f"{base}{draft.pk}/", data | {"version": 1, "finalise": "1"}
        )
        self.assertContains(refused, "The draft was saved but not finalised")
        self.assertContains(refused, "Describe the factors")
        data |= {"online_factors": RECRUITER_NOTE, "version": 2, "finalise": "1"}
        response = self.client.post(f"{base}{draft.pk}/", data, follow=True)
        self.assertContains(response, "The risk assessment was finalised.")
        self.assertEqual(self.reload(draft).status, RiskAssessment.Status.FINAL)
        self.assertContains(response, RECRUITER_NOTE)
        self.assertRedirects(
            self.client.get(f"{base}{draft.pk}/"), base
        )  # finalised: not editable

    def test_a_stale_draft_keeps_the_users_text(self) -> None:
        self.login(self.alice)
        base = f"/en/cases/{self.alice_case.number}/risk/"
        draft = services.start_risk_assessment(
            self.alice_case,
            ratings={Area.ONLINE: services.Rating(Level.LOW)},
            by=self.vera,
        )
        services.update_risk_assessment(
            draft,
            ratings={Area.ONLINE: services.Rating(Level.MEDIUM)},
            by=self.vera,
            expected_version=1,
        )
        data = assessment_post(household="low") | {"household_factors": "Mine."}
        response = self.client.post(f"{base}{draft.pk}/", data | {"version": 1})
        self.assertContains(response, "Someone else saved this draft")
        self.assertContains(response, "Mine.")
        self.assertContains(response, 'name="version" value="2"')

    def test_readers_see_the_levels_but_factors_only_within_their_tier(self) -> None:
        self.assess(
            levels={
                Area.RE_TRAFFICKING: (Level.MEDIUM, RECRUITER_NOTE),
                Area.HEALTH_SAFETY: (Level.HIGH, HEALTH_NOTE),
            }
        )
        url = f"/en/cases/{self.alice_case.number}/risk/"
        self.login(self.alice)
        page = self.client.get(url)
        self.assertContains(page, HEALTH_NOTE)
        self.login(self.sid)  # a screener: up to case narrative
        page = self.client.get(url)
        self.assertContains(page, RECRUITER_NOTE)
        self.assertNotContains(page, HEALTH_NOTE)
        self.assertContains(page, "Hidden: beyond your access")
        self.assertContains(page, "The child&#x27;s own health and safety")
        self.assertNotContains(page, "Assess the risks")  # sid may not assess

    def test_a_referral_recipient_sees_levels_and_who_is_responsible_only(self) -> None:
        self.assess()
        services.save_safety_plan(
            self.alice_case,
            details=services.SafetyPlanDetails(
                emergency_contacts="Aunt Saule, +7 701 000 0000",
                measures=[
                    services.MeasureDetails(
                        action="Move to the crisis centre.",
                        area=Area.HOUSEHOLD,
                        responsible_organisation=self.agency_a,
                    )
                ],
            ),
            by=self.alice,
            expected_version=0,
        )
        referral_services.create_referral(
            self.alice_case, by=self.alice, to_organisation=self.shelter,
            reasons=["Shelter"], urgency="routine", legal_basis="child_protection",
            shared_tier=Tier.IDENTITY,
        )  # fmt: skip
        self.login(self.dan)  # the shelter's inbox, not on the team
        page = self.client.get(f"/en/cases/{self.alice_case.number}/risk/")
        self.assertContains(page, "Medium")
        self.assertContains(page, "Agency A")
        for secret in (RECRUITER_NOTE, "Saule", "crisis centre"):
            self.assertNotContains(page, secret)


class SafetyPlanPageTests(PlansTestCase):
    def form(self, version: int, **measure: str) -> dict[str, object]:
        data: dict[str, object] = {
            "plan-emergency_contacts": "Helpline 111; aunt Saule.",
            "plan-safe_places": "Crisis centre.",
            "plan-review_date": "",
            "plan-version": version,
            "measure-TOTAL_FORMS": 2,
            "measure-INITIAL_FORMS": 0,
            # a blank extra measure, as the browser sends it
            "measure-1-action": "",
            "measure-1-area": "",
            "measure-1-responsible_organisation": "",
            "measure-1-responsible_person": "",
            "measure-1-due_date": "",
            "measure-1-status": "planned",
            "measure-0-action": "Block the recruiter.",
            "measure-0-area": "online",
            "measure-0-responsible_organisation": self.agency_a.pk,
            "measure-0-responsible_person": "",
            "measure-0-due_date": "",
            "measure-0-status": "planned",
        }
        data |= {f"measure-0-{k}": v for k, v in measure.items()}
        return data

    def test_the_plan_is_written_revised_and_its_measures_moved_on(self) -> None:
        self.assess()
        self.login(self.alice)
        base = f"/en/cases/{self.alice_case.number}/risk/"
        response = self.client.post(f"{base}plan/", self.form(0), follow=True)
        self.assertContains(response, "The safety plan was saved.")
        self.assertContains(response, "Block the recruiter.")
        page = self.client.get(f"{base}plan/")
        self.assertContains(page, "Block the recruiter.")  # prefilled from version 1
        self.client.post(f"{base}plan/", self.form(1, action="Change the number."))
        self.assertEqual(SafetyPlan.objects.count(), 2)
        stale = self.client.post(f"{base}plan/", self.form(1))
        self.assertContains(stale, "Someone else saved a new version")
        measure = SafetyPlan.objects.current().get().measures.get()
        response = self.client.post(
            f"{base}measures/{measure.pk}/",
            {"status": "in_place", "version": measure.version},
            follow=True,
        )
        self.assertContains(response, "The measure was updated.")
        self.assertContains(response, "Earlier versions of the safety plan")

    def test_a_refused_measure_is_shown_beside_its_field(self) -> None:
        self.assess()
        self.login(self.alice)
        response = self.client.post(
            f"/en/cases/{self.alice_case.number}/risk/plan/",
            self.form(0, responsible_person=str(self.sam.pk)),
        )
        self.assertContains(
            response,
            "The responsible person must work for the responsible organisation.",
        )
        self.assertFalse(SafetyPlan.objects.exists())


class SupportPageTests(PlansTestCase):
    def test_a_plan_is_drafted_approved_served_and_delivered_from_the_page(
        self,
    ) -> None:
        number = self.alice_case.number
        base = f"/en/cases/{number}/support/"
        self.login(self.alice)
        self.client.post(
            f"{base}plan/new/",
            {"plan-goals": "Back to school.", "plan-planned_end_date": ""},
        )
        plan = SupportPlan.objects.get()
        response = self.client.post(
            f"{base}services/new/",
            {
                "service-service_type": ServiceType.PSYCHOLOGICAL,
                "service-provider": self.shelter.pk,
                "service-frequency": "weekly",
                "service-start_date": timezone.localdate().isoformat(),
                "service-end_date": "",
                "service-planned_sessions": "4",
            },
            follow=True,
        )
        self.assertContains(response, "The service was added to the plan.")
        self.assertNotContains(response, "Approve the plan")  # alice drafted it
        self.login(self.vera)
        response = self.client.post(
            f"{base}plan/status/",
            {"status-status": "active", "status-version": plan.version},
            follow=True,
        )
        self.assertContains(response, "The support plan was approved and is active.")
        service = PlannedService.objects.get()
        self.assertNotContains(response, "Record a delivery")  # vera is no provider
        self.login(self.sam)
        self.assertContains(self.client.get(base), "Record a delivery")
        prefix = f"delivery-{str(service.pk)[:8]}"
        response = self.client.post(
            f"{base}services/{service.pk}/deliveries/",
            {
                f"{prefix}-delivered_on": timezone.localdate().isoformat(),
                f"{prefix}-duration_minutes": "45",
                f"{prefix}-attendance": "attended",
                f"{prefix}-accommodations": ["sign_language", "easy_read"],
                f"{prefix}-notes": "Calm session.",
            },
            follow=True,
        )
        self.assertContains(response, "The delivery was recorded.")
        self.assertContains(response, "1 of 4 sessions")
        self.assertContains(response, "Easy-read, Sign language")
        self.login(self.sid)  # tier 2: psychological notes are health details
        page = self.client.get(base)
        self.assertNotContains(page, "Calm session.")
        self.assertContains(page, "Hidden: beyond your access")
        self.assertContains(page, "Back to school.")

    def test_a_provider_outside_the_case_is_warned_about_on_the_page(self) -> None:
        from qorgau.agencies.models import Organisation

        ngo = Organisation.objects.create(
            name_kk="Hope", name_ru="Hope", name_en="Hope NGO", type=self.shelter.type,
            region=self.almaty, is_service_provider=True,
        )  # fmt: skip
        plan = services.create_support_plan(
            self.alice_case, goals="Safety.", by=self.alice
        )
        services.add_planned_service(
            plan,
            details=services.ServiceDetails(
                service_type=ServiceType.LEGAL_AID,
                provider=ngo,
                frequency="once",
                start_date=timezone.localdate(),
            ),  # fmt: skip
            by=self.alice,
        )
        self.login(self.alice)
        page = self.client.get(f"/en/cases/{self.alice_case.number}/support/")
        self.assertContains(
            page, "Hope NGO is neither on the case team nor referred to"
        )

    def test_a_refusal_comes_back_as_a_message(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            f"/en/cases/{self.alice_case.number}/support/plan/status/",
            {"status-status": "completed", "status-version": "1"},
            follow=True,
        )
        self.assertContains(response, "The case has no open support plan.")
        self.assertEqual(
            Case.objects.get(pk=self.alice_case.pk).support_plans.count(), 0
        )
