"""The plans API: the same access, refusals and tier hiding as the pages."""

import json
from typing import Any

from django.test.client import Client
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.plans.models import Area, Level
from qorgau.plans.tests.base import HEALTH_NOTE, RECRUITER_NOTE, PlansTestCase


class ApiTestCase(PlansTestCase):
    def call(self, method: str, path: str, user: User, body: Any = None) -> Any:
        url = f"/api/v1/cases/{self.alice_case.number}/{path}"
        send = getattr(Client(), method)
        kwargs: dict[str, Any] = {"headers": self.token(user)}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        return send(url, **kwargs)


class RiskApiTests(ApiTestCase):
    def test_an_assessment_is_written_read_and_hidden_by_tier(self) -> None:
        body = {
            "ratings": {
                "re_trafficking": {"level": "medium", "factors": RECRUITER_NOTE},
                "health_safety": {"level": "high", "factors": HEALTH_NOTE},
            },
            "finalise": True,
        }
        created = self.call("post", "risk-assessments", self.alice, body)
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["overall_level"], "high")
        self.assertTrue(created.json()["current"])
        rows = self.call("get", "risk-assessments", self.sid).json()  # tier 2
        factors = {r["area"]: r["factors"] for r in rows[0]["ratings"]}
        self.assertEqual(factors["re_trafficking"], RECRUITER_NOTE)
        self.assertIsNone(factors["health_safety"])
        levels = {r["area"]: r["level"] for r in rows[0]["ratings"]}
        self.assertEqual(levels["health_safety"], "high")
        full = self.call("get", "risk-assessments", self.alice).json()
        self.assertEqual(full[0]["ratings"][-1]["factors"], HEALTH_NOTE)

    def test_it_hides_other_agencies_cases(self) -> None:
        for method, path in (
            ("get", "risk-assessments"),
            ("get", "safety-plan"),
            ("get", "support-plan"),
        ):
            with self.subTest(path=path):
                self.assertEqual(self.call(method, path, self.carol).status_code, 404)
        body = {"ratings": {"online": {"level": "low"}}}
        response = self.call("post", "risk-assessments", self.carol, body)
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_role(self) -> None:
        body = {"ratings": {"online": {"level": "low"}}}
        response = self.call("post", "risk-assessments", self.bob, body)
        self.assertEqual(response.status_code, 403)

    def test_a_draft_is_updated_finalised_and_refusals_name_the_field(self) -> None:
        draft = self.call(
            "post",
            "risk-assessments",
            self.alice,
            {"ratings": {"online": {"level": "high"}}},
        ).json()
        path = f"risk-assessments/{draft['id']}"
        refused = self.call("post", f"{path}/finalise", self.alice, {"version": 1})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(
            refused.json()["error"]["fields"][0]["field"], "online_factors"
        )
        body = {
            "ratings": {"online": {"level": "high", "factors": RECRUITER_NOTE}},
            "version": 1,
        }
        self.assertEqual(self.call("put", path, self.vera, body).status_code, 200)
        stale = self.call("put", path, self.alice, body)
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["error"]["current_version"], 2)
        final = self.call("post", f"{path}/finalise", self.alice, {"version": 2})
        self.assertEqual(final.json()["status"], "final")
        self.assertEqual(self.call("post", f"{path}/discard", self.alice,
                                   {"version": 3}).status_code, 400)  # fmt: skip
        self.assertEqual(
            self.call(
                "put", "risk-assessments/not-a-uuid", self.alice, body
            ).status_code,
            404,
        )


class SafetyPlanApiTests(ApiTestCase):
    def body(self, version: int) -> dict[str, Any]:
        return {
            "version": version,
            "emergency_contacts": "Helpline 111.",
            "safe_places": "Crisis centre.",
            "measures": [
                {
                    "action": "Block the recruiter.",
                    "area": "online",
                    "responsible_organisation": self.agency_a.pk,
                    "responsible_person": "alice",
                }
            ],
        }

    def test_the_plan_is_put_in_versions_and_read_with_its_history(self) -> None:
        self.assess(levels={Area.ONLINE: (Level.HIGH, RECRUITER_NOTE)})
        first = self.call("put", "safety-plan", self.alice, self.body(0))
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first.json()["measures"][0]["responsible_person"], "alice")
        self.assertEqual(self.call("put", "safety-plan", self.alice,
                                   self.body(0)).status_code, 409)  # fmt: skip
        second = self.call("put", "safety-plan", self.vera, self.body(1)).json()
        read = self.call("get", "safety-plan", self.alice).json()
        self.assertEqual(read["current"]["version"], 2)
        self.assertEqual([p["version"] for p in read["earlier"]], [1])
        measure = second["measures"][0]
        moved = self.call(
            "post",
            f"safety-plan/measures/{measure['id']}/status",
            self.alice,
            {"status": "in_place", "version": measure["version"]},
        )
        self.assertEqual(moved.json()["status"], "in_place")

    def test_an_unknown_organisation_is_refused_with_its_field(self) -> None:
        self.assess()
        body = self.body(0)
        body["measures"][0]["responsible_organisation"] = 999999
        refused = self.call("put", "safety-plan", self.alice, body)
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(
            refused.json()["error"]["fields"][0]["field"],
            "measures.0.responsible_organisation",
        )


class SupportPlanApiTests(ApiTestCase):
    def test_a_plan_is_drafted_approved_served_and_delivered(self) -> None:
        self.assertIsNone(self.call("get", "support-plan", self.alice).json()["plan"])
        plan = self.call(
            "post", "support-plan", self.alice, {"goals": "Back to school."}
        )
        self.assertEqual(plan.status_code, 201)
        today = timezone.localdate().isoformat()
        service = self.call(
            "post",
            "support-plan/services",
            self.alice,
            {
                "service_type": "psychological",
                "provider": self.shelter.pk,
                "frequency": "weekly",
                "start_date": today,
                "planned_sessions": 6,
            },
        )
        self.assertEqual(service.status_code, 201)
        self.assertEqual(service.json()["warnings"], [])
        refused = self.call(
            "post",
            "support-plan/status",
            self.alice,
            {"status": "active", "version": 1},
        )
        self.assertEqual(refused.status_code, 400)
        active = self.call(
            "post", "support-plan/status", self.vera, {"status": "active", "version": 1}
        )
        self.assertEqual(active.json()["status"], "active")
        service_id = service.json()["id"]
        delivery = {
            "delivered_on": today,
            "duration_minutes": 45,
            "attendance": "attended",
            "accommodations": ["interpreter"],
            "notes": "Calm session.",
        }
        path = f"support-plan/services/{service_id}/deliveries"
        self.assertEqual(self.call("post", path, self.alice, delivery).status_code, 400)
        recorded = self.call("post", path, self.sam, delivery)
        self.assertEqual(recorded.status_code, 201)
        read = self.call("get", "support-plan", self.sid).json()["plan"]
        self.assertEqual(read["goals"], "Back to school.")
        self.assertEqual(read["htcds_types"], ["Health"])
        served = read["services"][0]
        self.assertEqual(
            (served["planned_sessions"], served["delivered_sessions"]), (6, 1)
        )
        self.assertIsNone(served["deliveries"][0]["notes"])  # health notes, tier 3
        own = self.call("get", "support-plan", self.sam).json()["plan"]
        self.assertEqual(own["services"][0]["deliveries"][0]["notes"], "Calm session.")
        completed = self.call(
            "post",
            f"support-plan/services/{service_id}/status",
            self.alice,
            {"status": "completed", "version": served["version"]},
        )
        self.assertEqual(completed.json()["status"], "completed")

    def test_goals_are_put_with_locking(self) -> None:
        self.call("post", "support-plan", self.alice, {"goals": "Safety."})
        body = {"goals": "Safety first.", "version": 1}
        self.assertEqual(
            self.call("put", "support-plan", self.alice, body).status_code, 200
        )
        self.assertEqual(
            self.call("put", "support-plan", self.alice, body).status_code, 409
        )
