"""The screening API: the same services, access and audit as the pages."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command

from qorgau.agencies.models import Ministry
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.cases.models import Case
from qorgau.referrals.models import Referral
from qorgau.screening.models import InstrumentVersion, Screening
from qorgau.screening.tests.answers import lowest
from qorgau.test import BaseTestCase, make_org, make_user

SCHOOL = "school-vulnerability"


class ScreeningApiTests(BaseTestCase):
    def setUp(self) -> None:
        call_command("import_instruments", "--publish", stdout=io.StringIO())
        self.teacher = make_user("tom", self.agency_a, Role.SCREENER)
        self.definition = InstrumentVersion.objects.get(instrument__code=SCHOOL).parsed

    def call(self, method: str, path: str, body: Any = None, user: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.token(user or self.teacher)}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def start(self) -> dict[str, Any]:
        response = self.call(
            "post",
            "/screenings",
            {"instrument": SCHOOL, "setting": "school", "mode": "easy_read"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        return dict(response.json())

    def test_a_screening_is_started_answered_and_completed_through_the_api(
        self,
    ) -> None:
        listed = self.call("get", "/screening/instruments").json()
        self.assertIn(SCHOOL, [i["code"] for i in listed])
        whole = self.call("get", f"/screening/instruments/{SCHOOL}").json()
        self.assertEqual(whole["definition"]["code"], SCHOOL)
        started = self.start()
        answers = {item.code: lowest(item) for item in self.definition.all_items()}
        saved = self.call(
            "put", f"/screenings/{started['reference']}/answers",
            {"answers": answers, "version": started["row_version"]},
        )  # fmt: skip
        self.assertEqual(saved.status_code, 200, saved.content)
        body = saved.json()
        self.assertLessEqual(
            set(body["answers"]), set(body["shown"]), "hidden answers dropped"
        )
        done = self.call(
            "post",
            f"/screenings/{started['reference']}/complete",
            {"version": body["row_version"]},
        )
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["result"], "negative")
        self.assertEqual(Screening.objects.get().status, "completed")
        self.assertTrue(AuditEvent.objects.filter(action="screening.complete").exists())

    def test_a_wrong_answer_is_refused_naming_the_item_and_a_stale_version_is_409(
        self,
    ) -> None:
        started = self.start()
        first = self.definition.sections[0].items[0]
        wrong = self.call(
            "put", f"/screenings/{started['reference']}/answers",
            {"answers": {first.code: "perhaps"}, "version": started["row_version"]},
        )  # fmt: skip
        self.assertEqual(wrong.status_code, 422)
        self.assertEqual(
            wrong.json()["error"]["fields"][0]["field"], f"answers.{first.code}"
        )
        stale = self.call(
            "put", f"/screenings/{started['reference']}/answers",
            {"answers": {first.code: "no"}, "version": started["row_version"] + 5},
        )  # fmt: skip
        self.assertEqual(stale.status_code, 409)

    def test_another_organisation_gets_404(self) -> None:
        started = self.start()
        response = self.call(
            "get", f"/screenings/{started['reference']}", user=self.carol
        )
        self.assertEqual(response.status_code, 404)

    def completed(self, *, danger: bool) -> dict[str, Any]:
        started = self.start()
        answers = {item.code: lowest(item) for item in self.definition.all_items()}
        if danger:
            item = next(i for i in self.definition.all_items() if i.immediate_danger)
            answers[item.code] = "yes"
        saved = self.call(
            "put", f"/screenings/{started['reference']}/answers",
            {"answers": answers, "version": started["row_version"]},
        ).json()  # fmt: skip
        done = self.call(
            "post", f"/screenings/{started['reference']}/complete",
            {"version": saved["row_version"]},
        )  # fmt: skip
        return dict(done.json())

    def refer(self, screening: dict[str, Any], user: Any = None) -> Any:
        child = {"given_name": "Айгүл", "family_name": "Серікова", "birth_year": 2013,
                 "sex": "female"}  # fmt: skip
        return self.call(
            "post", f"/screenings/{screening['reference']}/case",
            {"child": child, "case_type": "potential_victim", "priority": "urgent"},
            user=user,
        )  # fmt: skip

    def test_an_immediate_danger_result_referred_opens_the_case_and_alerts_at_once(
        self,
    ) -> None:
        police = make_org("Almaty police", self.almaty, ministry=Ministry.INTERNAL_AFFAIRS,
                          type_code="LawEnforcement")  # fmt: skip
        screening = self.completed(danger=True)
        self.assertEqual(screening["result"], "immediate_danger")
        self.assertEqual(self.refer(screening, user=self.carol).status_code, 404)
        response = self.refer(screening)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["screening"]["status"], "referred")
        self.assertEqual(body["screening"]["case"], body["case"])
        self.assertEqual(
            [(r["to_organisation_id"], r["urgency"]) for r in body["referrals"]],
            [(police.pk, "immediate_danger")],
        )
        self.assertEqual(body["missing"], ["child_protection"])
        self.assertEqual(Referral.objects.get().case.number, body["case"])
        self.assertEqual(self.refer(screening).status_code, 400)  # once only

    def test_a_negative_result_is_not_referred_and_nothing_is_opened(self) -> None:
        screening = self.completed(danger=False)
        response = self.refer(screening)
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(Case.objects.count(), 2)  # alice's and carol's only
