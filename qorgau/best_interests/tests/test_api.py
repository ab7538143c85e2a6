"""The best-interests API: the same steps, refusals and tier hiding as the page."""

import json
from typing import Any

from django.test.client import Client
from django.utils import timezone

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role, Tier
from qorgau.best_interests import services
from qorgau.best_interests.tests.helpers import CHILD_VIEWS, BestInterestsTestCase
from qorgau.referrals import services as referral_services
from qorgau.test import make_org, make_user


class ApiTestCase(BestInterestsTestCase):
    client: Client

    def path(self, suffix: str = "", case: Any = None) -> str:
        number = (case or self.alice_case).number
        return f"/api/v1/cases/{number}/best-interests{suffix}"

    def send(
        self, method: str, path: str, user: User, body: dict[str, Any] | None = None
    ) -> Any:
        if method == "get":
            return self.client.get(path, headers=self.token(user))
        call = getattr(self.client, method)
        return call(
            path,
            data=json.dumps(body or {}),
            content_type="application/json",
            headers=self.token(user),
        )


class ApiStepTests(ApiTestCase):
    def test_a_caseworker_assesses_and_a_supervisor_determines_through_the_api(
        self,
    ) -> None:
        started = self.send("post", self.path(), self.alice)
        self.assertEqual(started.status_code, 201)
        one = self.path(f"/{started.json()['id']}")
        patched = self.send(
            "patch",
            one,
            self.alice,
            {
                "version": 1,
                "team_participants": ["alice", "vera"],
                "views_method": "aac",
                "accommodations": ["aac_device", "breaks"],
                "views_language": "ru",
                "child_views": CHILD_VIEWS,
                "maturity_considered": True,
                "findings_safety": "The recruiter was arrested.",
                "findings_health": "Uses a tablet to speak.",
            },
        )
        self.assertEqual(patched.status_code, 200, patched.content)
        body = patched.json()
        self.assertEqual(body["child_views"], CHILD_VIEWS)
        self.assertEqual(body["team_participants"], ["alice", "vera"])
        self.assertEqual(body["findings"]["health"], "Uses a tablet to speak.")
        version = body["version"]
        for option in ("Aunt", "Foster family"):
            added = self.send(
                "post",
                one + "/options",
                self.alice,
                {"option": option, "arguments_for": "Safe", "version": version},
            )
            self.assertEqual(added.status_code, 201)
            version += 1
        done = self.send("post", one + "/complete", self.alice, {"version": version})
        self.assertEqual(done.json()["status"], "completed")
        option = done.json()["options"][1]["id"]
        refused = self.send(
            "post",
            one + "/determine",
            self.alice,
            {"option": option, "reasons": "x", "explained_to_child": False},
        )
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(refused.json()["error"]["code"], "refused")
        made = self.send(
            "post",
            one + "/determine",
            self.vera,
            {
                "option": option,
                "reasons": "A family close to her school.",
                "panel": ["alice"],
                "explained_to_child": True,
                "explanation_method": "aac",
            },
        )
        self.assertEqual(made.status_code, 201, made.content)
        self.assertEqual(made.json()["option"], option)
        self.assertEqual(made.json()["status"], "determined")
        appealed = self.send(
            "post",
            one + "/appeal",
            self.alice,
            {
                "lodged_by": "legal_representative",
                "grounds": "The aunt was not considered.",
                "version": made.json()["version"],
            },
        )
        self.assertEqual(appealed.status_code, 201, appealed.content)
        self.assertEqual(appealed.json()["status"], "under_appeal")
        self.assertEqual(appealed.json()["appeal"]["outcome"], "pending")
        decided = self.send(
            "post",
            one + "/decide-appeal",
            self.rita,
            {
                "outcome": "overturned",
                "reasons": "The aunt was never asked.",
                "version": appealed.json()["version"],
            },
        )
        self.assertEqual(decided.status_code, 200, decided.content)
        self.assertEqual(decided.json()["status"], "set_aside")
        listed = self.send("get", self.path(), self.bob).json()
        self.assertEqual(
            listed[0]["determinations"][0]["appeal"]["outcome"], "overturned"
        )

    def test_an_assessment_is_cancelled_and_an_option_removed(self) -> None:
        assessment = self.fill(self.start())
        one = self.path(f"/{assessment.pk}")
        option = assessment.options.first()
        assert option is not None
        removed = self.send(
            "post",
            f"{one}/options/{option.pk}/remove",
            self.alice,
            {"version": assessment.version},
        )
        self.assertEqual(len(removed.json()["options"]), 1)
        cancelled = self.send(
            "post",
            one + "/cancel",
            self.alice,
            {
                "reason": "Started for the wrong child.",
                "version": removed.json()["version"],
            },
        )
        self.assertEqual(cancelled.json()["status"], "cancelled")
        self.assertEqual(
            cancelled.json()["cancellation_reason"], "Started for the wrong child."
        )


class ApiRefusalTests(ApiTestCase):
    def test_it_hides_other_agencies_cases(self) -> None:
        assessment = self.start()
        self.assertEqual(self.send("get", self.path(), self.carol).status_code, 404)
        self.assertEqual(self.send("post", self.path(), self.carol).status_code, 404)
        response = self.send(
            "patch", self.path(f"/{assessment.pk}"), self.carol, {"version": 1}
        )
        self.assertEqual(response.status_code, 404)
        # Another case's assessment is not found through a case the user may see.
        carols = services.start_assessment(self.carol_case, by=self.carol)
        response = self.send(
            "post", self.path(f"/{carols.pk}/complete"), self.alice, {"version": 1}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.send("get", self.path("/not-a-uuid/x"), self.alice).status_code, 404
        )

    def test_it_requires_write_role(self) -> None:
        assessment = self.start()
        self.assertEqual(self.send("post", self.path(), self.bob).status_code, 403)
        response = self.send(
            "patch",
            self.path(f"/{assessment.pk}"),
            self.bob,
            {"version": 1, "child_views": "x"},
        )
        self.assertEqual(response.status_code, 403)

    def test_a_stale_edit_answers_409_with_the_current_version(self) -> None:
        assessment = self.start()
        path = self.path(f"/{assessment.pk}")
        self.send("patch", path, self.alice, {"version": 1, "child_views": "One."})
        stale = self.send(
            "patch", path, self.vera, {"version": 1, "child_views": "Two."}
        )
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["error"]["current_version"], 2)

    def test_unknown_people_and_options_are_named_in_the_error(self) -> None:
        assessment = self.completed()
        path = self.path(f"/{assessment.pk}")
        response = self.send(
            "post",
            path + "/determine",
            self.vera,
            {"option": "not-an-id", "reasons": "x", "explained_to_child": True},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "option")
        option = str(assessment.options.first().pk)  # type: ignore[union-attr]
        response = self.send(
            "post",
            path + "/determine",
            self.vera,
            {
                "option": option,
                "reasons": "x",
                "panel": ["nobody"],
                "explained_to_child": True,
            },
        )
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "panel")

    def test_a_refusal_names_its_field(self) -> None:
        assessment = self.start()
        response = self.send(
            "post",
            self.path(f"/{assessment.pk}/complete"),
            self.alice,
            {"version": 1},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "views_method")


class ApiTierTests(ApiTestCase):
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

    def test_narrative_is_null_below_its_tier(self) -> None:
        made = self.determined()
        row = self.send("get", self.path(), self.dana).json()[0]
        self.assertEqual(row["views_method"], "sign_language")
        self.assertIsNone(row["child_views"])
        self.assertEqual(set(row["findings"].values()), {None})
        self.assertEqual({o["option"] for o in row["options"]}, {None})
        determination = row["determinations"][0]
        self.assertIsNone(determination["reasons"])
        self.assertEqual(determination["review_date"], made.review_date.isoformat())
        self.assertEqual(
            determination["determined_on"], timezone.localdate().isoformat()
        )

    def test_a_tier_two_reader_gets_the_views_but_not_the_health_finding(self) -> None:
        self.fill(self.start())
        row = self.send("get", self.path(), self.sam).json()[0]
        self.assertEqual(row["child_views"], CHILD_VIEWS)
        self.assertIsNone(row["findings"]["health"])
        self.assertEqual(
            row["findings"]["safety"], "The recruiter knows the family's address."
        )
        refused = self.send(
            "patch",
            self.path(f"/{row['id']}"),
            self.sam,
            {"version": row["version"], "findings_health": "Guess."},
        )
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(
            refused.json()["error"]["fields"][0]["field"], "findings_health"
        )
