from io import StringIO

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from qorgau.audit.models import AuditEvent
from qorgau.test import BaseTestCase


def _tamper(sql: str, params: list[int | str]) -> None:
    """Changes the trail as an intruder with database access would: with the triggers out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
            cursor.execute(sql, params)


class AuditChainTests(BaseTestCase):
    def verify(self) -> str:
        out = StringIO()
        call_command("audit_verify", stdout=out)
        return out.getvalue()

    def test_it_verifies_an_intact_chain(self) -> None:
        self.assertIn("Audit chain intact", self.verify())

    def test_it_refuses_update_and_delete_in_the_database(self) -> None:
        event = AuditEvent.objects.first()
        assert event is not None
        for statement in (
            "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with (
                self.subTest(statement=statement),
                self.assertRaises(DatabaseError),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [event.pk])
        self.assertEqual(AuditEvent.objects.get(pk=event.pk).action, event.action)

    def test_it_names_the_first_changed_event(self) -> None:
        target = AuditEvent.objects.order_by("id")[2]
        _tamper(
            "UPDATE audit_auditevent SET actor_username = 'nobody' WHERE id = %s",
            [target.pk],
        )
        with self.assertRaisesMessage(CommandError, f"broken at event #{target.pk}"):
            self.verify()

    def test_it_detects_a_removed_event(self) -> None:
        victim = AuditEvent.objects.order_by("id")[1]
        _tamper("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
        with self.assertRaisesMessage(
            CommandError, f"broken at event #{victim.pk + 1}"
        ):
            self.verify()

    def test_it_detects_a_recomputed_plain_hash(self) -> None:
        # Without the HMAC key, an intruder who rewrites an event cannot produce a matching hash.
        target = AuditEvent.objects.order_by("id").last()
        assert target is not None
        _tamper(
            "UPDATE audit_auditevent SET object_id = 'KZ00-0000-00000', hash = %s WHERE id = %s",
            ["0" * 64, target.pk],
        )
        with self.assertRaisesMessage(CommandError, f"broken at event #{target.pk}"):
            self.verify()


class ReadAuditTests(BaseTestCase):
    def test_it_writes_exactly_one_event_for_each_read_of_a_case_page(self) -> None:
        self.login(self.alice)
        before = AuditEvent.objects.count()
        self.client.get(self.alice_case.get_absolute_url())
        events = list(AuditEvent.objects.filter(id__gt=before))
        self.assertEqual(
            [(e.action, e.object_id, e.actor_username) for e in events],
            [("case.read", self.alice_case.number, "alice")],
        )
        self.assertEqual(events[0].tier, 3)
        self.assertEqual(events[0].purpose, "team")
        self.assertEqual(len(events[0].request_id), 32)

    def test_it_writes_exactly_one_event_for_each_read_of_a_case_through_the_api(
        self,
    ) -> None:
        headers = self.token(self.alice)
        before = AuditEvent.objects.count()
        self.client.get(f"/api/v1/cases/{self.alice_case.number}", headers=headers)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(id__gt=before).values_list(
                    "action", "channel"
                )
            ),
            [("case.read", "api")],
        )

    def test_it_writes_exactly_one_event_for_each_read_of_a_person_through_the_api(
        self,
    ) -> None:
        headers = self.token(self.alice)
        before = AuditEvent.objects.count()
        self.client.get(f"/api/v1/persons/{self.alice_case.child_id}", headers=headers)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(id__gt=before).values_list(
                    "action", "object_id"
                )
            ),
            [("person.read", str(self.alice_case.child_id))],
        )

    def test_it_records_a_refused_look_at_another_agencys_case(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.carol_case.get_absolute_url())
        self.assertEqual(response.status_code, 404)
        last = AuditEvent.objects.order_by("id").last()
        assert last is not None
        self.assertEqual(
            (last.action, last.actor_username, last.case_id),
            ("case.denied", "alice", self.carol_case.pk),
        )

    def test_it_shows_the_access_log_to_the_owner_but_not_to_an_observer(self) -> None:
        self.login(self.alice)
        self.client.get(self.alice_case.get_absolute_url())
        response = self.client.get(f"/en/cases/{self.alice_case.number}/access-log/")
        self.assertContains(response, "Viewed the case")
        self.assertContains(response, "Opened the case")
        self.login(self.bob)
        self.assertEqual(
            self.client.get(
                f"/ru/cases/{self.alice_case.number}/access-log/"
            ).status_code,
            403,
        )
