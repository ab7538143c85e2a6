"""The reviews and follow-ups API: same access layer, same refusals, narrative only to tier 2."""

import json
from typing import Any

from qorgau.agencies.models import Ministry
from qorgau.agencies.roles import Role, Tier
from qorgau.cases import services as case_services
from qorgau.cases.models import Case
from qorgau.reviews.models import CaseReview, FollowUp
from qorgau.reviews.tests.test_follow_ups import FollowUpTestCase
from qorgau.reviews.tests.test_reviews import ReviewTestCase
from qorgau.test import make_org, make_user


class ApiMixin:
    client: Any

    def call(
        self, method: str, path: str, user: Any, body: dict[str, Any] | None = None
    ) -> Any:
        kwargs: dict[str, Any] = {"headers": self.token(user)}  # type: ignore[attr-defined]
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(self.client, method)(path, **kwargs)


class ReviewApiTests(ApiMixin, ReviewTestCase):
    def path(self) -> str:
        return f"/api/v1/cases/{self.alice_case.number}/reviews"

    def hold_body(self, **change: Any) -> dict[str, Any]:
        return {
            "summary": "Back at school; the plan holds.",
            "outcome": "continue",
            "participants": ["alice", "dan"],
            "other_participants": "The child",
        } | change

    def test_the_api_holds_a_review_and_lists_the_next_and_the_history(self) -> None:
        before = self.call("get", self.path(), self.alice).json()
        self.assertEqual(before["interval_days"], 14)
        self.assertEqual(before["history"], [])
        version = before["next"]["version"]
        held = self.call(
            "post", self.path(), self.alice, self.hold_body(version=version)
        )
        self.assertEqual(held.status_code, 201)
        self.assertEqual(held.json()["participants"], ["alice", "dan"])
        after = self.call("get", self.path(), self.alice).json()
        self.assertEqual(after["next"]["due_on"], held.json()["next_due_on"])
        self.assertEqual(
            after["history"][0]["summary"], "Back at school; the plan holds."
        )
        stale = self.call(
            "post", self.path(), self.dan, self.hold_body(version=version)
        )
        self.assertEqual(stale.status_code, 409)

    def test_the_api_names_the_field_it_refuses(self) -> None:
        for change, field in (
            ({"outcome": "later"}, "outcome"),
            ({"participants": ["carol"]}, "participants"),
            ({"summary": ""}, "summary"),
            ({"next_due_on": "2099-01-01"}, "next_due_on"),
        ):
            response = self.call(
                "post", self.path(), self.alice, self.hold_body(**change)
            )
            with self.subTest(field=field):
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"]["fields"][0]["field"], field)
        self.assertFalse(CaseReview.objects.filter(status="held").exists())

    def test_it_hides_other_agencies_cases_and_requires_write_role(self) -> None:
        self.assertEqual(self.call("get", self.path(), self.carol).status_code, 404)
        self.assertEqual(
            self.call("post", self.path(), self.carol, self.hold_body()).status_code,
            404,
        )
        self.assertEqual(
            self.call("post", self.path(), self.bob, self.hold_body()).status_code, 403
        )
        self.assertEqual(self.call("get", self.path(), self.bob).status_code, 200)

    def test_narrative_is_returned_only_to_readers_of_tier_two(self) -> None:
        self.call("post", self.path(), self.alice, self.hold_body())
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
        held = self.call("get", self.path(), pavel).json()["history"][0]
        self.assertEqual(
            (held["outcome"], held["summary"], held["other_participants"]),
            ("continue", None, None),
        )


class FollowUpApiTests(ApiMixin, FollowUpTestCase):
    def path(self, suffix: str = "") -> str:
        return f"/api/v1/cases/{self.alice_case.number}/follow-ups{suffix}"

    def test_the_api_records_a_follow_up_and_opens_a_new_case_for_a_child_at_risk(
        self,
    ) -> None:
        listed = self.call("get", self.path(), self.alice).json()
        self.assertEqual(listed["closure"]["reason"], "reintegrated")
        six = listed["follow_ups"][0]
        self.assertEqual((six["months"], six["due_on"]), (6, "2027-02-28"))
        body = {
            "contact_made": True,
            "contact_method": "phone",
            "situation": "at_risk",
            "notes": "Seen at the bazaar again.",
            "done_on": "2026-11-20",
            "version": six["version"],
        }
        refused = self.call(
            "post",
            self.path(f"/{six['id']}"),
            self.alice,
            body | {"contact_method": ""},
        )
        self.assertEqual(
            refused.json()["error"]["fields"][0]["field"], "contact_method"
        )
        done = self.call("post", self.path(f"/{six['id']}"), self.alice, body)
        self.assertEqual((done.status_code, done.json()["situation"]), (200, "at_risk"))
        opened = self.call("post", self.path(f"/{six['id']}/new-case"), self.alice)
        self.assertEqual(opened.status_code, 201)
        case = Case.objects.get(number=opened.json()["number"])
        self.assertEqual(case.child_id, self.alice_case.child_id)
        self.assertEqual(FollowUp.objects.get(pk=six["id"]).new_case, case)

    def test_it_hides_other_agencies_cases_and_requires_write_role(self) -> None:
        six = FollowUp.objects.get(case=self.alice_case, months=6)
        body = {"contact_made": False, "situation": "lost_contact", "version": 1}
        self.assertEqual(self.call("get", self.path(), self.carol).status_code, 404)
        for user, status in ((self.carol, 404), (self.bob, 403)):
            response = self.call("post", self.path(f"/{six.pk}"), user, body)
            with self.subTest(user=user.username):
                self.assertEqual(response.status_code, status)
        self.assertEqual(
            self.call("post", self.path("/nonsense"), self.alice, body).status_code, 404
        )
