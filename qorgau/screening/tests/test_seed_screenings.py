"""seed_screenings: rows as the services leave them, tallies that match them."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from qorgau.agencies.roles import Role
from qorgau.cases.management.commands import _demo_writer as writer
from qorgau.screening import scoring, services
from qorgau.screening.management.commands._screening_writer import NOTES
from qorgau.screening.models import (
    AnswerTally,
    InstrumentVersion,
    ResultTally,
    Screening,
)
from qorgau.screening.tests.answers import lowest
from qorgau.test import BaseTestCase, make_org, make_user


class SeedScreeningsTests(BaseTestCase):
    catalogue: tuple[list[tuple[str, str]], list[tuple[str, str, str]]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        call_command("import_instruments", "--publish", stdout=io.StringIO())
        school = make_org("School", cls.almaty, type_code="SchoolOrCollege")
        clinic = make_org("Clinic", cls.astana, type_code="HealthServiceOrganisation")
        teacher = make_user("teacher", school, Role.SCREENER)
        make_user("nurse", clinic, Role.SCREENER, preferred_language="kk")
        # One screening through the services first: the seed adds to its tallies.
        version = InstrumentVersion.objects.get(instrument__code="school-vulnerability")
        screening = services.start_screening(version, by=teacher, setting="school")
        answers = {i.code: lowest(i) for i in version.parsed.all_items()}
        screening, _errors = services.save_answers(
            screening, raw=answers, items=set(answers), expected_version=1,
            by=teacher, complete_section=False,
        )  # fmt: skip
        services.complete_screening(screening, expected_version=2, by=teacher)
        cls.catalogue = catalogue()
        call_command("seed_screenings", "400", "--batch", "150", stdout=io.StringIO())

    def test_it_writes_completed_screenings_with_the_mix_of_results(self) -> None:
        self.assertEqual(Screening.objects.count(), 401)
        bands = Counter(Screening.objects.values_list("band", flat=True))
        self.assertEqual(set(bands), {"negative", "positive", "immediate_danger"})
        self.assertGreater(bands["negative"], 300)
        self.assertIs(
            Screening.objects.exclude(status=Screening.Status.COMPLETED).exists(), False
        )
        self.assertEqual(Screening.objects.values("reference").distinct().count(), 401)

    def test_the_indexes_dropped_for_the_load_are_built_again(self) -> None:
        indexes, keys = self.catalogue
        self.assertIn("screening_to_delete_idx", [name for name, _sql in indexes])
        if connection.vendor == "postgresql":
            self.assertGreater(len(keys), 5)
        self.assertEqual(catalogue(), self.catalogue)

    def test_its_answers_decrypt_and_score_as_stored(self) -> None:
        today, notes = timezone.localdate(), set()
        for s in Screening.objects.select_related("version"):
            definition = s.version.parsed
            self.assertIs(bool(s.answers), True)
            cleaned, errors = scoring.clean(definition, s.answers, complete=True)
            self.assertEqual((cleaned, errors), (s.answers, {}))
            result = scoring.score(definition, s.answers)
            self.assertEqual((s.band, s.score), (result.band, result.score))
            self.assertEqual(s.danger, list(result.danger))
            self.assertEqual(s.dimensions_met, list(result.dimensions_met))
            self.assertIn(s.setting, definition.settings)
            if s.band == "negative":
                # Kept until its retention end, which is not past yet.
                self.assertIs(
                    s.delete_after is not None and s.delete_after >= today, True
                )
            else:
                self.assertIsNone(s.delete_after)
            notes.add(s.accommodations_note)
        self.assertEqual(notes - {None}, set(NOTES))

    def test_it_keeps_each_screener_to_their_organisation(self) -> None:
        pairs = set(
            Screening.objects.values_list(
                "screener__organisation", "organisation", "screener__organisation__region", "region"
            )
        )  # fmt: skip
        self.assertIs(all(a == b and c == d for a, b, c, d in pairs), True)
        by_type = set(
            Screening.objects.values_list("organisation__type__code", "setting")
        )
        self.assertIn(("SchoolOrCollege", "school"), by_type)
        self.assertIn(("HealthServiceOrganisation", "clinic"), by_type)

    def test_its_tallies_count_every_result_and_endorsed_answer(self) -> None:
        results: Counter[tuple[Any, ...]] = Counter()
        answers: Counter[tuple[Any, ...]] = Counter()
        for s in Screening.objects.select_related("version"):
            month = timezone.localdate(s.completed_at).replace(day=1)
            results[(s.version_id, s.setting, s.region_id, month, s.result)] += 1
            for code in scoring.score(s.version.parsed, s.answers).endorsed:
                answers[(s.version_id, s.setting, month, code)] += 1
        self.assertEqual(
            Counter(
                {
                    (t.version_id, t.setting, t.region_id, t.month, t.band): t.count
                    for t in ResultTally.objects.all()
                }
            ),
            results,
        )
        self.assertEqual(
            Counter(
                {
                    (t.version_id, t.setting, t.month, t.answer): t.count
                    for t in AnswerTally.objects.all()
                }
            ),
            answers,
        )


def catalogue() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The screening table's secondary indexes and foreign keys."""
    names = [Screening._meta.db_table]
    with connection.cursor() as cursor:
        return writer.secondary_indexes(cursor, names), writer.foreign_keys(
            cursor, names
        )
