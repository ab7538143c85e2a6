"""Age assessments and the presumption of minority: from opening, through assessments, to lifting."""

from datetime import date
from typing import Any

import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case, CaseEvent, Person
from qorgau.guardianship import services
from qorgau.guardianship.minority import Minority
from qorgau.guardianship.models import AgeAssessment
from qorgau.guardianship.tests.base import FRIDAY, GuardianshipTestCase
from qorgau.test import child

Method = AgeAssessment.Method
Conclusion = AgeAssessment.Conclusion


class AgeAssessmentTestCase(GuardianshipTestCase):
    def assess(self, case: Case, **options: Any) -> AgeAssessment:
        values: dict[str, Any] = {
            "method": Method.MEDICAL,
            "conclusion": Conclusion.ESTIMATED,
            "age_min": 15,
            "age_max": 17,
            "assessing_organisation": self.clinic,
            "assessed_on": date(2026, 11, 20),
            "reasons": "Wrist X-ray and dental examination: bone age 15 to 17.",
            "by": self.alice,
        }
        return services.record_age_assessment(case, **(values | options))

    def person(self, case: Case) -> Person:
        return Person.objects.get(pk=case.child_id)

    def age_events(self, case: Case) -> list[dict[str, Any]]:
        events = CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.AGE_ASSESSMENT
        ).order_by("id")
        return [e.params for e in events]


class PresumptionAtOpeningTests(AgeAssessmentTestCase):
    def test_a_child_without_a_documented_date_of_birth_is_presumed_a_minor_from_opening(
        self,
    ) -> None:
        case = self.open_undocumented()
        self.assertEqual(
            self.person(case).age_assessment, Person.AgeAssessment.PRESUMED_MINOR
        )
        self.assertEqual(
            self.age_events(case), [{"step": "presumed", "cause": "opened"}]
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="age.presume", case_id=case.pk).exists()
        )
        self.assertIs(services.age_status(case.child).presumed, True)

    def test_a_child_with_a_documented_date_of_birth_is_not_presumed(self) -> None:
        self.assertEqual(self.age_events(self.alice_case), [])
        self.assertEqual(
            services.age_status(self.alice_case.child).minority,
            Minority.DOCUMENTED_MINOR,
        )


class AssessmentTests(AgeAssessmentTestCase):
    def test_an_estimated_range_keeps_the_presumption_and_the_youngest_age(
        self,
    ) -> None:
        case = self.open_undocumented()
        with time_machine.travel(FRIDAY, tick=False):
            self.assess(case, age_min=16, age_max=19)
        person = self.person(case)
        self.assertEqual(person.age_assessment, Person.AgeAssessment.PRESUMED_MINOR)
        self.assertEqual(person.birth_year, 2010)  # the benefit of the doubt
        last = self.age_events(case)[-1]
        self.assertEqual(last["conclusion"], "estimated")
        self.assertEqual((last["age_min"], last["age_max"]), (16, 19))
        self.assertEqual(last["minority"], "presumed")

    def test_an_estimate_under_eighteen_casts_doubt_on_a_documented_date(
        self,
    ) -> None:
        self.assess(self.alice_case, method=Method.PSYCHOSOCIAL, age_min=12, age_max=14)
        self.assertEqual(
            self.person(self.alice_case).age_assessment,
            Person.AgeAssessment.PRESUMED_MINOR,
        )
        self.assertEqual(
            self.age_events(self.alice_case)[-1],
            {"step": "presumed", "cause": "assessment"},
        )

    def test_documents_showing_a_minor_replace_the_presumption(self) -> None:
        case = self.open_undocumented()
        with time_machine.travel(FRIDAY, tick=False):
            self.assess(
                case,
                method=Method.DOCUMENTS,
                conclusion=Conclusion.DOCUMENTED,
                documented_birth_date=date(2011, 4, 9),
                age_min=None,
                age_max=None,
                reasons="Birth certificate issued in Tashkent, seen by the embassy.",
            )
            status = services.age_status(case.child)
        person = self.person(case)
        self.assertEqual(status.minority, Minority.DOCUMENTED_MINOR)
        self.assertEqual(person.age_assessment, Person.AgeAssessment.DOCUMENTED)
        self.assertEqual(person.birth_date_value, date(2011, 4, 9))
        self.assertEqual(person.birth_year, 2011)

    def test_only_documents_showing_eighteen_or_more_lift_the_presumption(
        self,
    ) -> None:
        case = self.open_undocumented()
        with time_machine.travel(FRIDAY, tick=False):
            self.assess(case, age_min=19, age_max=23)
            self.assertIs(services.age_status(case.child).presumed, True)
            self.assess(
                case,
                method=Method.DOCUMENTS,
                conclusion=Conclusion.DOCUMENTED,
                documented_birth_date=date(2007, 2, 1),
                age_min=None,
                age_max=None,
                reasons="Passport of the Kyrgyz Republic verified by the consulate.",
            )
            status = services.age_status(case.child)
        self.assertEqual(status.minority, Minority.DOCUMENTED_ADULT)
        self.assertEqual(
            self.person(case).age_assessment, Person.AgeAssessment.DOCUMENTED
        )
        self.assertEqual(self.age_events(case)[-1], {"step": "lifted"})
        self.assertTrue(
            AuditEvent.objects.filter(
                action="age.presumption_lift", case_id=case.pk
            ).exists()
        )

    def test_the_history_is_kept_and_the_latest_assessment_governs(self) -> None:
        case = self.open_undocumented()
        first = self.assess(case, assessed_on=date(2026, 11, 2))
        second = self.assess(
            case,
            method=Method.PSYCHOSOCIAL,
            conclusion=Conclusion.DISPUTED,
            age_min=None,
            age_max=None,
            assessed_on=date(2026, 11, 25),
            reasons="The child gives two different ages.",
        )
        self.assertEqual(list(case.age_assessments.all()), [second, first])
        self.assertEqual(services.age_status(case.child).latest, second)

    def test_it_refuses_an_assessment_that_does_not_hold_together(self) -> None:
        refusals: list[tuple[dict[str, Any], str]] = [
            ({"conclusion": Conclusion.DOCUMENTED}, "method"),
            (
                {
                    "method": Method.DOCUMENTS,
                    "conclusion": Conclusion.DOCUMENTED,
                    "documented_birth_date": None,
                },
                "documented_birth_date",
            ),
            ({"age_min": None, "age_max": None}, "age_min"),
            ({"age_min": 17, "age_max": 15}, "age_min"),
            ({"age_min": 15, "age_max": 40}, "age_min"),
            ({"assessed_on": date(2099, 1, 1)}, "assessed_on"),
            ({"reasons": "  "}, "reasons"),
            ({"method": "x-ray"}, "method"),
        ]
        for options, field in refusals:
            with self.subTest(field=field, options=options):
                with self.assertRaises(ServiceError) as caught:
                    self.assess(self.alice_case, **options)
                self.assertEqual(caught.exception.field, field)
        self.assertFalse(AgeAssessment.objects.exists())

    def test_only_case_professionals_of_the_team_record_an_assessment(self) -> None:
        with self.assertRaises(PermissionDenied):  # bob observes the case
            self.assess(self.alice_case, by=self.bob)
        with self.assertRaises(Http404):  # carol's agency cannot see it
            self.assess(self.alice_case, by=self.carol)
        with self.assertRaisesMessage(ServiceError, "Your role does not record"):
            self.assess(self.alice_case, by=self.sam)  # a screener
        self.assess(self.alice_case, by=self.vera)  # a supervisor of the agency
        self.assertEqual(AgeAssessment.objects.count(), 1)

    def test_reasons_and_the_documented_date_are_encrypted_at_rest(self) -> None:
        case = self.open_undocumented()
        self.assess(case)
        self.assess(
            case,
            method=Method.DOCUMENTS,
            conclusion=Conclusion.DOCUMENTED,
            documented_birth_date=date(2011, 4, 9),
            reasons="Birth certificate seen by the embassy.",
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reasons, documented_birth_date FROM guardianship_ageassessment"
            )
            stored = [bytes(v) for row in cursor.fetchall() for v in row if v]
        self.assertEqual(len(stored), 3)
        for plain in (b"Wrist X-ray", b"Birth certificate", b"2011-04-09"):
            self.assertFalse(any(plain in value for value in stored), plain)


class ExistingChildTests(AgeAssessmentTestCase):
    def test_a_second_case_for_a_presumed_child_records_the_presumption_again(
        self,
    ) -> None:
        first = self.open_undocumented()
        second = case_services.open_case(
            child(), by=self.alice, existing_child=first.child
        )
        self.assertEqual(
            self.age_events(second), [{"step": "presumed", "cause": "opened"}]
        )
