import json
from io import StringIO
from typing import Any

from django.core.management import call_command

from qorgau.agencies.models import ApiToken, User
from qorgau.cases import services
from qorgau.cases.models import Case
from qorgau.test import BaseTestCase


class ApiTests(BaseTestCase):
    def get(self, path: str, user: User | None = None, **headers: str) -> Any:
        return self.client.get(
            path, headers={**self.token(user or self.alice), **headers}
        )

    def send(
        self,
        method: str,
        path: str,
        body: dict[str, Any],
        user: User | None = None,
        **headers: str,
    ) -> Any:
        call = getattr(self.client, method)
        return call(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers={**self.token(user or self.alice), **headers},
        )

    def test_it_publishes_an_openapi_schema(self) -> None:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/api/v1/cases/{number}", response.json()["paths"])

    def test_it_refuses_a_missing_or_revoked_token_with_the_common_error_shape(
        self,
    ) -> None:
        response = self.client.get("/api/v1/cases")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "unauthenticated")
        row, token = ApiToken.issue(self.alice, name="old")
        ApiToken.objects.filter(pk=row.pk).update(revoked_at="2026-01-01T00:00:00Z")
        self.assertEqual(
            self.client.get(
                "/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
            ).status_code,
            401,
        )

    def test_it_stores_only_a_hash_of_each_token(self) -> None:
        out = StringIO()
        call_command("create_token", "alice", stdout=out)
        token = out.getvalue().strip()
        self.assertTrue(token.startswith("qg_"))
        self.assertFalse(ApiToken.objects.filter(token_hash=token).exists())
        self.assertEqual(
            self.client.get(
                "/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
            ).status_code,
            200,
        )

    def test_it_lists_only_visible_cases(self) -> None:
        numbers = [c["number"] for c in self.get("/api/v1/cases").json()["results"]]
        self.assertEqual(numbers, [self.alice_case.number])

    def test_it_answers_404_for_another_agencys_case_and_person(self) -> None:
        for path in (
            f"/api/v1/cases/{self.carol_case.number}",
            f"/api/v1/persons/{self.carol_case.child_id}",
            "/api/v1/cases/KZ99-0000-00000",
            "/api/v1/persons/not-a-uuid",
        ):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["error"]["code"], "not_found")

    def test_it_names_the_field_at_fault_in_a_translated_message(self) -> None:
        body = {"child": {"given_name": "Жанар", "birth_year": 2012, "iin": "123"}}
        response = self.client.post(
            "/api/v1/cases",
            data=json.dumps(body),
            content_type="application/json",
            headers={**self.token(self.alice), "Accept-Language": "en"},
        )
        self.assertEqual(response.status_code, 422)
        error = response.json()["error"]
        self.assertEqual(error["fields"][0]["field"], "iin")
        self.assertIn("not a valid IIN", error["fields"][0]["message"])
        self.assertEqual(Case.objects.count(), 2)

    def test_it_names_a_missing_field(self) -> None:
        response = self.send(
            "post", "/api/v1/cases", {"child": {"family_name": "Омарова"}}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["error"]["fields"][0]["field"], "child.given_name"
        )

    def test_it_refuses_a_stale_update_with_409_and_the_current_version(self) -> None:
        services.update_case(
            self.alice_case,
            changes={"priority": "low"},
            expected_version=1,
            by=self.alice,
        )
        response = self.send(
            "patch",
            f"/api/v1/cases/{self.alice_case.number}",
            {"version": 1, "priority": "urgent"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["error"]["current_version"], 2)
        self.assertEqual(self.reload(self.alice_case).priority, "low")

    def test_it_updates_a_person_with_optimistic_locking(self) -> None:
        path = f"/api/v1/persons/{self.alice_case.child_id}"
        body = {
            "given_name": "Жанара",
            "birth_year": 2012,
            "version": 1,
            "case_number": self.alice_case.number,
        }
        response = self.send("patch", path, body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["version"], 2)
        self.assertEqual(self.send("patch", path, body).status_code, 409)

    def test_it_requires_write_role(self) -> None:
        response = self.send(
            "post",
            f"/api/v1/cases/{self.alice_case.number}/notes",
            {"text": "x", "tier": 1},
            user=self.bob,
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"]["code"], "forbidden")

    def test_it_adds_a_note_and_shows_it_only_up_to_the_readers_tier(self) -> None:
        path = f"/api/v1/cases/{self.alice_case.number}/notes"
        self.assertEqual(
            self.send("post", path, {"text": "Says she is 14.", "tier": 3}).status_code,
            201,
        )
        self.assertEqual(
            [n["text"] for n in self.get(path).json()], ["Says she is 14."]
        )

    def test_it_manages_the_case_team(self) -> None:
        path = f"/api/v1/cases/{self.alice_case.number}/team"
        created = self.send("post", path, {"username": "carol", "role": "investigator"})
        self.assertEqual(created.status_code, 201)
        self.assertEqual(
            self.get(
                f"/api/v1/cases/{self.alice_case.number}", user=self.carol
            ).status_code,
            200,
        )
        member_id = created.json()["id"]
        self.assertEqual(
            self.client.delete(
                f"{path}/{member_id}", headers=self.token(self.alice)
            ).status_code,
            204,
        )
        self.assertEqual(
            self.get(
                f"/api/v1/cases/{self.alice_case.number}", user=self.carol
            ).status_code,
            404,
        )

    def test_it_finds_persons_by_any_spelling(self) -> None:
        response = self.get("/api/v1/persons?q=ZHANAR")
        self.assertEqual([p["given_name"] for p in response.json()], ["Жанар"])

    def test_it_speaks_the_language_asked_for(self) -> None:
        response = self.client.get("/api/v1/cases", headers={"Accept-Language": "ru"})
        self.assertIn("токен", response.json()["error"]["message"])
