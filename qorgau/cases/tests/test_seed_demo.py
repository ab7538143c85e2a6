"""The demo country: small, but with every status of the things the pages show."""

import io

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from qorgau.audit.labels import ACTION_LABELS
from qorgau.audit.models import AuditEvent
from qorgau.cases.management.commands import _demo_writer as writer
from qorgau.cases.models import Case
from qorgau.protection.models import Decision
from qorgau.referrals.models import Referral


class SeedDemoTests(TestCase):
    def test_it_builds_a_country_with_referrals_and_decisions_of_every_kind(
        self,
    ) -> None:
        out = io.StringIO()
        # The country `make demo` builds: its defaults, as a fresh clone runs them.
        call_command("seed_demo", "--workers", "0", stdout=out)
        self.assertIn("Password for all of them", out.getvalue())
        self.assertGreaterEqual(Case.objects.count(), 400)
        statuses = set(Referral.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(Referral.Status.values))
        self.assertTrue(Referral.objects.overdue().exists())
        self.assertTrue(Referral.objects.filter(escalation_level__gt=0).exists())
        kinds = set(Decision.objects.values_list("kind", "outcome"))
        for kind in Decision.Kind.values:
            self.assertTrue(any(k == kind for k, _outcome in kinds), kind)
        for outcome in Decision.Outcome.values:
            self.assertTrue(any(o == outcome for _kind, o in kinds), outcome)
        self.assertTrue(
            Case.objects.filter(victim_status=Case.VictimStatus.ACTUAL).exists()
        )
        self.assertTrue(AuditEvent.objects.filter(action="referral.send").exists())
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertEqual(sorted(actions - ACTION_LABELS.keys()), [], "unlabelled")

    def test_it_refuses_to_seed_a_database_that_has_organisations(self) -> None:
        call_command(
            "seed_demo", "--children", "10", "--workers", "0", stdout=io.StringIO()
        )
        out = io.StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        self.assertIn("no demo data added", out.getvalue())

    def test_the_indexes_and_keys_dropped_for_the_bulk_load_are_all_built_again(
        self,
    ) -> None:
        before = catalogue()
        self.assertGreater(len(before[0]), 20)
        if connection.vendor == "postgresql":
            self.assertGreater(len(before[1]), 10)
        with writer.indexes_built_after():
            self.assertEqual(catalogue(), ([], []))
        self.assertEqual(catalogue(), before)


def catalogue() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The secondary indexes and foreign keys of the tables the demo writes in bulk."""
    names = [table.model._meta.db_table for table in writer.tables().values()]
    with connection.cursor() as cursor:
        return writer.secondary_indexes(cursor, names), writer.foreign_keys(
            cursor, names
        )
