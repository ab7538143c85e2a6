"""Importing, publishing and administering instruments; retention of negative results."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
import yaml
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from qorgau.agencies.models import Notification
from qorgau.agencies.notifications import render
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.reference.models import Region
from qorgau.screening import services
from qorgau.screening.models import (
    AnswerTally,
    InstrumentVersion,
    ResultTally,
    Screening,
)
from qorgau.screening.tests.answers import lowest
from qorgau.test import BaseTestCase, make_org, make_user

FOLDER = Path(__file__).resolve().parent.parent / "instruments"
SCHOOL = (FOLDER / "school-vulnerability-v1.yaml").read_text(encoding="utf-8")


def school_file(**changes: Any) -> str:
    data = yaml.safe_load(SCHOOL)
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class InstrumentTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.editor = make_user("edna", self.agency_a, Role.EDITOR)
        self.teacher = make_user("tom", self.agency_a, Role.SCREENER)

    def published(self, text: str = SCHOOL) -> InstrumentVersion:
        version, _stored = services.import_instrument(text, by=self.editor)
        return services.publish_version(version, by=self.editor)


class ImportTests(InstrumentTestCase):
    def test_an_editor_imports_a_file_as_a_draft_and_publishes_it(self) -> None:
        version, stored = services.import_instrument(SCHOOL, by=self.editor)
        self.assertTrue(stored)
        self.assertEqual(version.status, "draft")
        services.publish_version(version, by=self.editor)
        version.refresh_from_db()
        self.assertEqual(version.status, "published")
        self.assertEqual(version.published_by, self.editor)
        actions = AuditEvent.objects.values_list("action", flat=True)
        self.assertIn("instrument.publish", actions)

    def test_only_editors_change_instruments(self) -> None:
        with self.assertRaisesMessage(ServiceError, "Only editors"):
            services.import_instrument(SCHOOL, by=self.teacher)

    def test_a_file_with_problems_is_refused_naming_each_and_nothing_is_stored(
        self,
    ) -> None:
        data = yaml.safe_load(SCHOOL)
        data["sections"][0]["items"][0]["text"].pop("kk")
        data["scoring"]["method"] = "vibes"
        text = yaml.safe_dump(data, allow_unicode=True)
        with self.assertRaises(ServiceError) as refused:
            services.import_instrument(text, by=self.editor)
        self.assertIn(
            "sections[0].items[0].text: missing in kk", str(refused.exception)
        )
        self.assertIn("scoring.method", str(refused.exception))
        self.assertFalse(InstrumentVersion.objects.exists())

    def test_a_published_version_is_never_replaced_by_a_different_file(self) -> None:
        self.published()
        self.assertEqual(services.import_instrument(SCHOOL, by=self.editor)[1], False)
        changed = school_file(sources=["Another source"])
        with self.assertRaisesMessage(
            ServiceError, "give the new text the next version"
        ):
            services.import_instrument(changed, by=self.editor)
        version, stored = services.import_instrument(
            school_file(version=2, sources=["Another source"]), by=self.editor
        )
        self.assertTrue(stored)
        services.publish_version(version, by=self.editor)
        statuses = dict(InstrumentVersion.objects.values_list("version", "status"))
        self.assertEqual(statuses, {1: "retired", 2: "published"})


class PublishedVersionsAreFrozenTests(HypothesisTestCase):
    """Whatever is written to a published row, the database keeps what was published."""

    version: InstrumentVersion

    @classmethod
    def setUpTestData(cls) -> None:
        ministry = make_org("Ministry", Region.objects.get(code="KZ-71"))
        editor = make_user("edna", ministry, Role.EDITOR)
        version, _stored = services.import_instrument(SCHOOL, by=editor)
        cls.version = services.publish_version(version, by=editor)

    @settings(max_examples=40, deadline=None)
    @given(
        column=st.sampled_from(["definition", "source", "digest", "version"]),
        value=st.one_of(st.text(max_size=30), st.integers(2, 99)),
    )
    def test_no_update_of_a_published_version_gets_through(
        self, column: str, value: Any
    ) -> None:
        before = InstrumentVersion.objects.values().get(pk=self.version.pk)
        new = {"definition": {"code": str(value)}, "version": 7}.get(column, str(value))
        with self.assertRaises(DatabaseError), transaction.atomic():
            InstrumentVersion.objects.filter(pk=self.version.pk).update(**{column: new})
        self.assertEqual(
            InstrumentVersion.objects.values().get(pk=self.version.pk), before
        )

    def test_a_published_version_cannot_be_deleted(self) -> None:
        delete = "DELETE FROM screening_instrumentversion WHERE id = %s"
        with (
            self.assertRaises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(delete, [self.version.pk])
        self.assertTrue(InstrumentVersion.objects.filter(pk=self.version.pk).exists())


class ScreeningTests(InstrumentTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.version = self.published()
        self.definition = self.version.parsed

    def start(self, **kwargs: Any) -> Screening:
        return services.start_screening(
            self.version, by=self.teacher, setting="school", **kwargs
        )

    def answer_all(self, screening: Screening, overrides: dict[str, Any]) -> Screening:
        """Answers every visible item "no" or its first option, section by section."""
        for section in self.definition.sections:
            raw = {}
            for item in section.items:
                raw[item.code] = overrides.get(item.code, lowest(item))
            screening, errors = services.save_answers(
                screening,
                raw=raw,
                items={i.code for i in section.items},
                expected_version=screening.row_version,
                by=self.teacher,
                complete_section=False,
            )
            self.assertEqual(errors, {})
        return screening

    def test_a_screening_holds_a_reference_and_no_identity(self) -> None:
        screening = self.start(participation=["easy_read", "pictograms"])
        self.assertRegex(screening.reference, r"^SK-[2-9A-Z]{4}-[2-9A-Z]{4}$")
        field_names = {f.name for f in Screening._meta.get_fields()}
        self.assertFalse(field_names & {"person", "name", "child", "iin"})
        self.assertEqual(screening.region, self.agency_a.region)

    def test_a_negative_result_is_scored_with_its_version_and_kept_for_the_retention_only(
        self,
    ) -> None:
        screening = self.answer_all(self.start(), {})
        screening, errors = services.complete_screening(
            screening, expected_version=screening.row_version, by=self.teacher
        )
        self.assertEqual(errors, {})
        self.assertEqual(screening.band, "negative")
        self.assertEqual(screening.version, self.version)
        self.assertEqual(
            screening.delete_after, timezone.localdate() + timedelta(days=365)
        )
        self.assertEqual(ResultTally.objects.get().count, 1)
        with time_machine.travel(timezone.now() + timedelta(days=366)):
            self.assertEqual(services.delete_expired_screenings(), 1)
        self.assertFalse(Screening.objects.exists())
        self.assertEqual(ResultTally.objects.get().count, 1, "statistics outlive it")

    def test_a_screening_left_unfinished_is_deleted_after_the_retention_too(
        self,
    ) -> None:
        self.start()
        with time_machine.travel(timezone.now() + timedelta(days=364)):
            self.assertEqual(services.delete_expired_screenings(), 0)
        with time_machine.travel(timezone.now() + timedelta(days=366)):
            self.assertEqual(services.delete_expired_screenings(), 1)

    def test_an_immediate_danger_answer_gives_that_result_and_no_deletion_date(
        self,
    ) -> None:
        danger = next(i for i in self.definition.all_items() if i.immediate_danger)
        screening = self.answer_all(self.start(), {danger.code: "yes"})
        screening, _errors = services.complete_screening(
            screening, expected_version=screening.row_version, by=self.teacher
        )
        self.assertEqual(screening.result, "immediate_danger")
        self.assertIsNone(screening.delete_after)
        self.assertTrue(AnswerTally.objects.filter(answer=danger.code).exists())

    def test_an_immediate_danger_result_is_told_to_the_supervisors_else_the_coordinators(
        self,
    ) -> None:
        danger = next(i for i in self.definition.all_items() if i.immediate_danger)
        coordinator = make_user("rita", self.agency_b, Role.REGIONAL_COORDINATOR,
                                region_scope=self.almaty)  # fmt: skip
        for supervised in (False, True):
            if supervised:
                head = make_user("vera", self.agency_a, Role.SUPERVISOR)
            screening = self.answer_all(self.start(), {danger.code: "yes"})
            services.complete_screening(
                screening, expected_version=screening.row_version, by=self.teacher
            )
            told = Notification.objects.filter(
                kind="screening_danger", params__reference=screening.reference
            )
            expected = head if supervised else coordinator
            self.assertEqual([n.recipient for n in told], [expected])
        self.assertIn("found a child in immediate danger", render(told.get()))

    def test_a_missing_required_answer_is_named_and_nothing_completes(self) -> None:
        screening = self.start()
        screening, errors = services.complete_screening(
            screening, expected_version=screening.row_version, by=self.teacher
        )
        self.assertIn("Answer this question.", errors.values())
        self.assertEqual(Screening.objects.get().status, "in_progress")

    def test_a_stale_save_is_refused_and_the_first_one_kept(self) -> None:
        screening = self.start()
        first = self.definition.sections[0].items[0]
        saved, _errors = services.save_answers(
            screening, raw={first.code: "yes"}, items={first.code},
            expected_version=screening.row_version, by=self.teacher,
        )  # fmt: skip
        with self.assertRaises(StaleEdit):
            services.save_answers(
                screening, raw={first.code: "no"}, items={first.code},
                expected_version=screening.row_version, by=self.teacher,
            )  # fmt: skip
        self.assertEqual(Screening.objects.get().answers[first.code], "yes")
        self.assertEqual(saved.row_version, screening.row_version + 1)

    def test_an_override_needs_a_reason_and_keeps_the_scored_band_beside_it(
        self,
    ) -> None:
        screening = self.answer_all(self.start(), {})
        with self.assertRaisesMessage(ServiceError, "why your result differs"):
            services.complete_screening(
                screening, expected_version=screening.row_version, by=self.teacher,
                override_band="positive",
            )  # fmt: skip
        screening, _errors = services.complete_screening(
            screening, expected_version=screening.row_version, by=self.teacher,
            override_band="positive",
            override_reason="The child told me about an uncle's job offer abroad.",
        )  # fmt: skip
        self.assertEqual((screening.band, screening.result), ("negative", "positive"))
        self.assertIsNone(screening.delete_after)

    def test_only_the_screener_who_started_continues_and_only_screening_roles_start(
        self,
    ) -> None:
        screening = self.start()
        with self.assertRaisesMessage(ServiceError, "Only the screener"):
            services.save_answers(
                screening, raw={}, items=set(), expected_version=None, by=self.alice
            )
        with self.assertRaisesMessage(ServiceError, "does not administer"):
            services.start_screening(self.version, by=self.editor, setting="school")
