"""The API's age assessments and appointments: same access layer, rules and errors as the pages."""

import json
from typing import Any

from django.test import Client

from qorgau.cases.models import Case
from qorgau.guardianship import services
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment
from qorgau.guardianship.tests.base import GuardianshipTestCase


class GuardianshipApiTests(GuardianshipTestCase):
    client: Client

    def path(self, tail: str = "guardianship", case: Case | None = None) -> str:
        return f"/api/v1/cases/{(case or self.alice_case).number}/{tail}"

    def post(self, path: str, body: dict[str, Any], user: Any = None) -> Any:
        return self.client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers=self.token(user or self.alice),
        )

    def assessment(self, **values: Any) -> dict[str, Any]:
        return {
            "method": "medical_examination",
            "conclusion": "estimated",
            "age_min": 15,
            "age_max": 17,
            "assessing_organisation": self.clinic.pk,
            "assessed_on": "2026-11-20",
            "reasons": "Bone age 15 to 17 by X-ray.",
        } | values

    def test_an_assessment_is_recorded_and_the_presumption_reported(self) -> None:
        response = self.post(self.path("age-assessments"), self.assessment())
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(body["minority"], "presumed")
        self.assertIs(body["presumed_minor"], True)
        self.assertEqual(body["assessment"]["age_min"], 15)
        listing = self.client.get(
            self.path("age-assessments"), headers=self.token(self.alice)
        ).json()
        self.assertEqual(len(listing["assessments"]), 1)
        self.assertEqual(
            listing["assessments"][0]["reasons"], "Bone age 15 to 17 by X-ray."
        )

    def test_medical_reasons_are_withheld_below_the_health_tier(self) -> None:
        self.post(self.path("age-assessments"), self.assessment())
        listing = self.client.get(
            self.path("age-assessments"), headers=self.token(self.sam)
        ).json()
        self.assertIsNone(listing["assessments"][0]["reasons"])

    def test_refusals_name_the_field(self) -> None:
        response = self.post(
            self.path("age-assessments"), self.assessment(age_min=None, age_max=None)
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "age_min")
        response = self.post(
            self.path("age-assessments"), self.assessment(assessing_organisation=999999)
        )
        self.assertEqual(response.status_code, 422)
        self.assertFalse(AgeAssessment.objects.exists())

    def test_it_hides_other_agencies_cases(self) -> None:
        for tail in ("guardianship", "age-assessments"):
            response = self.client.get(self.path(tail), headers=self.token(self.carol))
            self.assertEqual(response.status_code, 404)
        response = self.post(self.path(), {"kind": "guardian"}, user=self.carol)
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_role(self) -> None:
        response = self.post(self.path(), {"kind": "guardian"}, user=self.bob)
        self.assertEqual(response.status_code, 403)
        response = self.post(
            self.path("age-assessments"), self.assessment(), user=self.bob
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(GuardianAppointment.objects.exists())

    def test_a_request_is_appointed_and_ended_step_by_step(self) -> None:
        created = self.post(self.path(), {"kind": "trustee", "notes": "Urgent."})
        self.assertEqual(created.status_code, 201)
        appointment = created.json()
        self.assertIsNotNone(appointment["due_at"])
        guardian = self.link_guardian(self.alice_case)
        step = f"{self.path()}/{appointment['id']}"
        appointed = self.post(
            f"{step}/appoint",
            {
                "version": 1,
                "participant": guardian.pk,
                "appointing_authority": self.guardianship_body.pk,
                "legal_act_reference": "Постановление № 1234",
                "legal_act_date": "2026-11-20",
            },
        )
        self.assertEqual(appointed.status_code, 200)
        self.assertEqual(appointed.json()["status"], "appointed")
        self.assertEqual(appointed.json()["appointee_name"], "Ахметова Гүлнар")
        stale = self.post(f"{step}/end", {"version": 1, "reason": "revoked"})
        self.assertEqual(stale.status_code, 409)
        ended = self.post(f"{step}/end", {"version": 2, "reason": "revoked"})
        self.assertEqual(ended.json()["end_reason"], "revoked")
        listing = self.client.get(self.path(), headers=self.token(self.bob)).json()
        self.assertEqual(listing["appointments"][0]["status"], "ended")
        self.assertEqual(listing["appointments"][0]["notes"], "Urgent.")

    def test_an_unknown_step_or_appointment_is_not_found(self) -> None:
        appointment = services.request_appointment(
            self.alice_case, kind="guardian", by=self.alice
        )
        base = f"{self.path()}/{appointment.pk}"
        self.assertEqual(self.post(f"{base}/approve", {"version": 1}).status_code, 404)
        self.assertEqual(
            self.post(f"{self.path()}/not-a-uuid/end", {"version": 1}).status_code, 404
        )
        other = services.request_appointment(
            self.carol_case, kind="guardian", by=self.carol
        )
        response = self.post(f"{self.path()}/{other.pk}/withdraw", {"version": 1})
        self.assertEqual(response.status_code, 404)

    def test_the_case_api_opens_and_marks_unaccompanied_children(self) -> None:
        created = self.post(
            "/api/v1/cases",
            {
                "child": {"given_name": "Нұрсұлтан", "birth_year": 2014},
                "unaccompanied": True,
            },
        )
        self.assertEqual(created.status_code, 201)
        self.assertIs(created.json()["unaccompanied"], True)
        number = created.json()["number"]
        listing = self.client.get(
            f"/api/v1/cases/{number}/guardianship", headers=self.token(self.alice)
        ).json()
        self.assertIs(listing["guardian_missing"], True)
        self.assertEqual(listing["minority"], "presumed")
        self.assertEqual(len(listing["appointments"]), 1)
        patched = self.client.patch(
            f"/api/v1/cases/{self.alice_case.number}",
            data=json.dumps({"version": 1, "unaccompanied": True}),
            content_type="application/json",
            headers=self.token(self.alice),
        )
        self.assertIs(patched.json()["unaccompanied"], True)
        self.assertEqual(self.alice_case.guardian_appointments.count(), 1)
