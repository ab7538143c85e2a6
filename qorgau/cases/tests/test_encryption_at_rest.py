import json
from io import StringIO

from django.core.management import call_command
from django.db import connection

from qorgau.cases.models import Person
from qorgau.lib import crypto
from qorgau.test import BaseTestCase

SECRETS = [
    "Айгерім",
    "Сәрсенбаева",
    "Қанатқызы",
    "AIGERIM",
    "030405650012",
    "+77019876543",
    "Абай даңғылы 10",
]


def whole_database_as_text() -> str:
    """Every row of every table, as a dump would hold it (blobs as hex and as bytes)."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        parts += [raw.hex(), raw.decode("utf-8", "ignore")]
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


class EncryptionAtRestTests(BaseTestCase):
    def create_through_api(self) -> str:
        payload = {
            "child": {
                "given_name": "Айгерім",
                "family_name": "Сәрсенбаева",
                "patronymic": "Қанатқызы",
                "other_spellings": ["AIGERIM SARSENBAYEVA"],
                "birth_year": 2011,
                "age_assessment": "estimated",
                "iin": "030405650012",
                "phone": "+7 701 987 65 43",
                "address": "Абай даңғылы 10",
            },
        }
        response = self.client.post(
            "/api/v1/cases",
            data=json.dumps(payload),
            content_type="application/json",
            headers=self.token(self.alice),
        )
        self.assertEqual(response.status_code, 201, response.content)
        return str(response.json()["child"]["id"])

    def test_it_keeps_names_iin_and_phone_out_of_the_database_in_plain_text(
        self,
    ) -> None:
        person_id = self.create_through_api()
        dump = whole_database_as_text()
        for secret in SECRETS:
            with self.subTest(secret=secret):
                self.assertNotIn(secret, dump)
                self.assertNotIn(secret.encode().hex(), dump)
        person = Person.objects.get(pk=person_id)
        self.assertEqual(
            (person.given_name, person.iin, person.phone),
            ("Айгерім", "030405650012", "+77019876543"),
        )

    def test_it_fails_closed_when_a_ciphertext_is_moved_to_another_person(self) -> None:
        person_id = self.create_through_api()
        other = self.carol_case.child
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT given_name FROM cases_person WHERE id = %s",
                [Person._meta.pk.get_db_prep_value(person_id, connection)],
            )
            blob = cursor.fetchone()[0]
        Person.objects.filter(pk=other.pk).update(given_name=bytes(blob))
        with self.assertRaises(crypto.DecryptionError):
            _ = Person.objects.get(pk=other.pk).given_name

    def test_it_refuses_to_write_plain_text_around_the_model(self) -> None:
        with self.assertRaisesMessage(TypeError, "holds personal data"):
            Person.objects.filter(pk=self.alice_case.child_id).update(
                given_name="Жанар"
            )

    def test_it_rotates_the_master_key_without_losing_data(self) -> None:
        from qorgau.protection.services import decide

        decision = decide(
            self.alice_case,
            kind="preliminary_identification",
            outcome="positive",
            reasons="Работала на рынке без оплаты.",
            by=self.alice,
        )
        before = crypto.keyring().active_kek_id
        out = StringIO()
        call_command("rotate_master_key", stdout=out)
        after = crypto.keyring().active_kek_id
        self.assertNotEqual(before, after)
        self.assertIn("Rows still wrapped by an old master key: 0.", out.getvalue())
        self.assertEqual(
            Person.objects.get(pk=self.alice_case.child_id).given_name, "Жанар"
        )
        self.assertIn("protection.Decision: 1 data keys re-wrapped.", out.getvalue())
        call_command("rotate_master_key", "--retire", stdout=out)
        self.assertEqual(list(crypto.keyring().keks), [after])
        again = type(decision).objects.get(
            pk=decision.pk
        )  # its data key unwrapped anew
        self.assertEqual(again.reasons, "Работала на рынке без оплаты.")
        self.assertEqual(
            Person.objects.get(pk=self.carol_case.child_id).family_name, "Серікбаев"
        )
