"""The age and guardianship page, the case page's section, the home page and the case forms."""

from datetime import date, datetime

import time_machine

from qorgau.audit.models import AuditEvent
from qorgau.cases.models import Case
from qorgau.guardianship import services
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment
from qorgau.guardianship.tests.base import ALMATY, FRIDAY, GuardianshipTestCase
from qorgau.guardianship.views import prefix

Kind = GuardianAppointment.Kind


class GuardianshipPageTests(GuardianshipTestCase):
    def url(self, case: Case | None = None, lang: str = "en") -> str:
        return f"/{lang}/cases/{(case or self.alice_case).number}/guardianship/"

    def age_form(self, **values: str) -> dict[str, str]:
        data = {
            "age-method": "medical_examination",
            "age-conclusion": "estimated",
            "age-age_min": "15",
            "age-age_max": "17",
            "age-assessing_organisation": str(self.clinic.pk),
            "age-assessed_on": "2026-11-20",
            "age-reasons": "Dental examination: third molars not erupted.",
        }
        return data | {f"age-{k}": v for k, v in values.items()}

    def test_the_case_page_says_the_child_is_presumed_a_minor_and_links_the_page(
        self,
    ) -> None:
        case = self.open_undocumented()
        self.login(self.alice)
        page = self.client.get(f"/en/cases/{case.number}/")
        self.assertContains(page, "Presumed a minor.")
        self.assertContains(page, f'href="{self.url(case)}"')
        self.assertContains(page, "Presumed a minor: the age is not documented")
        self.assertNotContains(page, "Warning: unaccompanied child")

    def test_the_case_page_warns_while_an_unaccompanied_child_has_no_guardian(
        self,
    ) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case = self.open_undocumented(unaccompanied=True)
        with time_machine.travel(datetime(2026, 12, 18, 9, 0, tzinfo=ALMATY)):
            self.login(self.alice)  # sessions expire: log in at the later time
            page = self.client.get(f"/ru/cases/{case.number}/")
        self.assertContains(
            page, "Внимание: несопровождаемый ребёнок без опекуна"
        )  # "Warning: unaccompanied child without a guardian"
        self.assertContains(page, "18.12.2026 00:00")  # the deadline, in Russian format
        self.assertContains(page, '<strong class="overdue-label">')
        self.appoint(case.guardian_appointments.get())
        self.login(self.alice)
        page = self.client.get(f"/en/cases/{case.number}/")
        self.assertNotContains(page, "Warning: unaccompanied child")
        self.assertContains(page, "Гүлнар")  # the guardian appointed

    def test_writers_see_the_forms_and_readers_only_the_history(self) -> None:
        services.request_appointment(self.alice_case, kind=Kind.TRUSTEE, by=self.alice)
        self.login(self.alice)
        page = self.client.get(self.url())
        for text in (
            "Record an age assessment",
            "Ask for an appointment",
            "Record the appointment",
            "Withdraw the request",
        ):
            self.assertContains(page, text)
        self.login(self.bob)
        page = self.client.get(self.url())
        self.assertContains(page, "Trustee (child of 14 to 18)")
        self.assertNotContains(page, '<form method="post" action="/en/cases/')
        self.login(self.sam)  # a screener: may ask, not record
        page = self.client.get(self.url())
        self.assertContains(page, "Ask for an appointment")
        self.assertNotContains(page, "Record an age assessment")
        self.assertNotContains(page, "Record the appointment")

    def test_it_hides_other_agencies_cases(self) -> None:
        self.login(self.carol)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        response = self.client.post(self.url() + "age/", self.age_form())
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_role(self) -> None:
        self.login(self.bob)
        response = self.client.post(self.url() + "age/", self.age_form())
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            self.url() + "request/", {"request-kind": "guardian"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(AgeAssessment.objects.exists())

    def test_an_assessment_is_recorded_from_the_page(self) -> None:
        self.login(self.alice)
        response = self.client.post(self.url() + "age/", self.age_form(), follow=True)
        self.assertContains(response, "The age assessment was recorded.")
        self.assertContains(response, "15–17 years")
        self.assertEqual(
            AgeAssessment.objects.get().assessing_organisation, self.clinic
        )

    def test_a_refused_assessment_comes_back_with_the_reason_beside_the_field(
        self,
    ) -> None:
        self.login(self.alice)
        reads = AuditEvent.objects.filter(action="guardianship.read").count()
        response = self.client.post(
            self.url() + "age/", self.age_form(age_min="", age_max="")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_age-age_min_error"')
        self.assertContains(response, "Give the estimated age range")
        self.assertContains(response, "Dental examination")  # what was typed is kept
        self.assertFalse(AgeAssessment.objects.exists())
        self.assertEqual(
            AuditEvent.objects.filter(action="guardianship.read").count(), reads + 1
        )

    def test_medical_findings_are_hidden_below_the_health_tier(self) -> None:
        for method, reasons in (
            (AgeAssessment.Method.MEDICAL, "Bone age 15 by X-ray."),
            (AgeAssessment.Method.PSYCHOSOCIAL, "School history fits 15."),
        ):
            services.record_age_assessment(
                self.alice_case,
                method=method,
                conclusion="estimated",
                age_min=15,
                age_max=16,
                assessing_organisation=self.clinic,
                assessed_on=date(2026, 11, 20),
                reasons=reasons,
                by=self.alice,
            )
        self.login(self.sam)  # a screener reads up to case narrative
        page = self.client.get(self.url())
        self.assertNotContains(page, "Bone age 15")
        self.assertContains(page, "School history fits 15.")
        self.assertContains(page, "Not shown at your access level")
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "Bone age 15")

    def test_a_guardian_is_appointed_and_the_appointment_ended_from_the_page(
        self,
    ) -> None:
        request = services.request_appointment(
            self.alice_case, kind=Kind.TRUSTEE, by=self.alice
        )
        guardian = self.link_guardian(self.alice_case)
        self.login(self.alice)
        p = prefix("appoint", request)
        response = self.client.post(
            self.url() + f"{request.pk}/appoint/",
            {
                f"{p}-version": "1",
                f"{p}-participant": str(guardian.pk),
                f"{p}-appointing_authority": str(self.guardianship_body.pk),
                f"{p}-legal_act_reference": "Постановление № 1234",
                f"{p}-legal_act_date": "2026-11-20",
            },
            follow=True,
        )
        self.assertContains(response, "The appointment was recorded.")
        self.assertContains(response, "Постановление № 1234")
        p = prefix("end", request)
        response = self.client.post(
            self.url() + f"{request.pk}/end/",
            {f"{p}-version": "2", f"{p}-reason": "revoked"},
            follow=True,
        )
        self.assertContains(response, "The appointment was ended.")
        self.assertEqual(self.reload(request).status, "ended")

    def test_a_step_on_a_changed_appointment_is_refused_without_change(self) -> None:
        request = services.request_appointment(
            self.alice_case, kind=Kind.TRUSTEE, by=self.alice
        )
        services.request_appointment(self.alice_case, kind=Kind.GUARDIAN, by=self.alice)
        self.login(self.alice)
        p = prefix("withdraw", request)
        response = self.client.post(
            self.url() + f"{request.pk}/withdraw/",
            {f"{p}-version": "7", f"{p}-reason": "Asked for twice."},
            follow=True,
        )
        self.assertContains(response, "Someone else changed this appointment")
        self.assertEqual(self.reload(request).status, "requested")

    def test_the_page_speaks_kazakh_and_russian(self) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            self.open_undocumented(unaccompanied=True)
        case = Case.objects.order_by("-id").first()
        assert case is not None
        self.login(self.alice)
        for lang in ("kk", "ru"):
            with self.subTest(lang=lang):
                page = self.client.get(self.url(case, lang))
                self.assertContains(page, f'<html lang="{lang}">')
                self.assertContains(page, "18.12.2026")


class HomeAndCaseFormTests(GuardianshipTestCase):
    def test_my_work_lists_the_guardians_awaited_for_my_cases(self) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case = self.open_undocumented(unaccompanied=True)
        with time_machine.travel(datetime(2026, 12, 21, 10, 0, tzinfo=ALMATY)):
            self.login(self.alice)
            page = self.client.get("/en/")
        self.assertContains(page, "Guardians to be appointed for my cases")
        self.assertContains(page, f'href="/en/cases/{case.number}/guardianship/"')
        self.assertContains(page, '<strong class="overdue-label">overdue</strong>')
        self.login(self.vera)  # not the owner
        self.assertNotContains(
            self.client.get("/en/"), "Guardians to be appointed for my cases"
        )

    def test_a_case_opened_as_unaccompanied_from_the_form_asks_for_a_guardian(
        self,
    ) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/en/cases/new/",
            {
                "child-given_name": "Данияр",
                "child-birth_year": "2012",
                "child-age_assessment": "estimated",
                "child-sex": "male",
                "child-disability_status": "none",
                "case-case_type": "potential_victim",
                "case-priority": "high",
                "case-unaccompanied": "on",
                "confirm": "new",
            },
        )
        case = Case.objects.order_by("-id").first()
        assert case is not None
        self.assertRedirects(
            response, case.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertIs(case.unaccompanied, True)
        self.assertEqual(case.guardian_appointments.requested().count(), 1)
        self.assertIs(services.age_status(case.child).presumed, True)

    def test_the_case_edit_form_marks_the_child_unaccompanied(self) -> None:
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/edit/"
        self.assertContains(self.client.get(url), "Unaccompanied or separated child")
        response = self.client.post(
            url,
            {
                "type": "potential_victim",
                "priority": "high",
                "region": self.almaty.pk,
                "unaccompanied": "on",
                "version": 1,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertIs(self.reload(self.alice_case).unaccompanied, True)
        self.assertEqual(self.alice_case.guardian_appointments.count(), 1)
