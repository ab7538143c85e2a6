"""Guardian and legal-representative appointments: every step, who may take it, what is refused."""

from datetime import date

import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import Http404

from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseParticipant
from qorgau.guardianship import services
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment
from qorgau.guardianship.tests.base import FRIDAY, GuardianshipTestCase
from qorgau.test import child

Kind = GuardianAppointment.Kind
Status = GuardianAppointment.Status
EndReason = GuardianAppointment.EndReason


class AppointmentTests(GuardianshipTestCase):
    def request(
        self,
        kind: str = Kind.LEGAL_REPRESENTATIVE,
        case: Case | None = None,
        notes: str = "",
    ) -> GuardianAppointment:
        return services.request_appointment(
            case or self.alice_case, kind=kind, by=self.alice, notes=notes
        )

    def test_a_request_is_appointed_by_a_legal_act_and_later_ended(self) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            requested = self.request(notes="Criminal case: the child will testify.")
        guardian = self.link_guardian(self.alice_case)
        appointed = self.appoint(requested, participant=guardian)
        self.assertEqual(appointed.status, Status.APPOINTED)
        self.assertEqual(appointed.participant, guardian)
        self.assertEqual(appointed.appointing_authority, self.guardianship_body)
        self.assertEqual(appointed.version, 2)
        ended = services.end_appointment(
            appointed,
            reason=EndReason.REVOKED,
            note="Conflict of interest.",
            by=self.alice,
        )
        self.assertEqual((ended.status, ended.end_reason), (Status.ENDED, "revoked"))
        steps = list(
            CaseEvent.objects.filter(
                case=self.alice_case, kind=CaseEvent.Kind.GUARDIANSHIP
            )
            .order_by("id")
            .values_list("params__step", flat=True)
        )
        self.assertEqual(steps, ["requested", "appointed", "ended"])
        actions = set(
            AuditEvent.objects.filter(case_id=self.alice_case.pk).values_list(
                "action", flat=True
            )
        )
        self.assertLessEqual(
            {"guardianship.request", "guardianship.appoint", "guardianship.end"},
            actions,
        )

    def test_an_organisation_may_be_appointed_instead_of_a_person(self) -> None:
        appointed = self.appoint(
            self.request(Kind.TEMPORARY_GUARDIAN),
            organisation=self.guardianship_body,
        )
        self.assertIsNone(appointed.participant)
        self.assertEqual(appointed.organisation, self.guardianship_body)

    def test_a_new_appointment_of_the_same_kind_replaces_the_current_one(
        self,
    ) -> None:
        first = self.appoint(self.request())
        second = self.appoint(self.request(), participant=self.link_guardian(
            self.alice_case, "Бақыт"
        ))  # fmt: skip
        first.refresh_from_db()
        self.assertEqual((first.status, first.end_reason), (Status.ENDED, "replaced"))
        self.assertEqual(second.status, Status.APPOINTED)
        self.assertEqual(self.alice_case.guardian_appointments.appointed().count(), 1)
        self.assertEqual(self.alice_case.guardian_appointments.count(), 2)

    def test_the_database_keeps_one_current_appointment_per_kind(self) -> None:
        first = self.appoint(self.request())
        second = self.request()
        # Complete in every way, so only the one-per-kind rule can refuse it.
        second.organisation = self.guardianship_body
        second.appointing_authority = first.appointing_authority
        second.legal_act_reference, second.legal_act_date = "№ 2", date(2026, 11, 21)
        second.status, second.appointed_at = Status.APPOINTED, first.appointed_at
        with self.assertRaises(IntegrityError), transaction.atomic():
            second.save()

    def test_the_same_appointment_is_asked_for_only_once_at_a_time(self) -> None:
        self.request()
        with self.assertRaises(ServiceError) as caught:
            self.request()
        self.assertEqual(caught.exception.field, "kind")
        self.request(Kind.TRUSTEE)  # another kind is another request

    def test_it_refuses_steps_out_of_order(self) -> None:
        requested = self.request()
        with self.assertRaisesMessage(ServiceError, "Only a current appointment"):
            services.end_appointment(requested, reason=EndReason.REVOKED, by=self.alice)
        appointed = self.appoint(requested)
        with self.assertRaisesMessage(ServiceError, "Only an appointment asked for"):
            self.appoint(appointed)
        with self.assertRaisesMessage(ServiceError, "still asked for"):
            services.withdraw_request(appointed, reason="Mistake.", by=self.alice)
        services.end_appointment(appointed, reason=EndReason.REVOKED, by=self.alice)
        with self.assertRaisesMessage(ServiceError, "Only a current appointment"):
            services.end_appointment(appointed, reason=EndReason.REVOKED, by=self.alice)

    def test_it_refuses_an_incomplete_or_wrong_appointment(self) -> None:
        requested = self.request()
        guardian = self.link_guardian(self.alice_case)
        parent = case_services.link_person(
            self.alice_case,
            details=child("Ерлан", "Қайырбеков", kind="adult", birth_date=date(1979, 1, 5)),
            relation=CaseParticipant.Relation.PARENT,
            by=self.alice,
        )  # fmt: skip
        other_case_guardian = self.link_guardian(self.open_undocumented())
        refusals = [
            ({"participant": guardian, "organisation": self.guardianship_body}, "participant"),
            ({"participant": parent}, "participant"),
            ({"participant": other_case_guardian}, "participant"),
            ({"participant": guardian, "appointing_authority": None}, "appointing_authority"),
            ({"participant": guardian, "legal_act_reference": " "}, "legal_act_reference"),
            ({"participant": guardian, "legal_act_date": date(2099, 1, 1)}, "legal_act_date"),
        ]  # fmt: skip
        for options, field in refusals:
            with self.subTest(field=field):
                with self.assertRaises(ServiceError) as caught:
                    self.appoint(requested, **options)  # type: ignore[arg-type]
                self.assertEqual(caught.exception.field, field)
        self.assertEqual(GuardianAppointment.objects.get().status, Status.REQUESTED)

    def test_the_kind_must_fit_a_documented_age(self) -> None:
        # alice_case's child was born on 17 May 2012: 14 in December 2026.
        with time_machine.travel(FRIDAY, tick=False):
            with self.assertRaisesMessage(ServiceError, "has a trustee"):
                self.appoint(self.request(Kind.GUARDIAN))
            self.appoint(self.request(Kind.TRUSTEE))
        with time_machine.travel(date(2026, 3, 2), tick=False):
            case = case_services.open_case(
                child("Әлия", "Нұрланова"), by=self.alice
            )  # same birthday: 13 in March 2026
            with self.assertRaisesMessage(ServiceError, "A trustee is appointed"):
                self.appoint(
                    self.request(Kind.TRUSTEE, case=case),
                    legal_act_date=date(2026, 3, 1),
                )

    def test_a_presumed_minor_may_have_a_guardian_or_a_trustee(self) -> None:
        case = self.open_undocumented()
        self.appoint(self.request(Kind.GUARDIAN, case=case))
        self.appoint(self.request(Kind.TRUSTEE, case=case))
        self.assertEqual(case.guardian_appointments.appointed().count(), 2)

    def test_majority_ends_an_appointment_only_on_documents(self) -> None:
        case = self.open_undocumented()
        appointed = self.appoint(self.request(Kind.TRUSTEE, case=case))
        with self.assertRaisesMessage(ServiceError, "presumed a minor"):
            services.end_appointment(
                appointed, reason=EndReason.MAJORITY, by=self.alice
            )
        services.record_age_assessment(
            case,
            method=AgeAssessment.Method.DOCUMENTS,
            conclusion=AgeAssessment.Conclusion.DOCUMENTED,
            documented_birth_date=date(2008, 1, 15),
            assessing_organisation=self.agency_a,
            assessed_on=date(2026, 11, 25),
            reasons="Passport found with the child's belongings.",
            by=self.alice,
        )
        ended = services.end_appointment(
            appointed, reason=EndReason.MAJORITY, by=self.alice
        )
        self.assertEqual(ended.end_reason, "majority")

    def test_case_closure_ends_an_appointment_only_once_the_case_is_closed(
        self,
    ) -> None:
        appointed = self.appoint(self.request())
        with self.assertRaisesMessage(ServiceError, "still open"):
            services.end_appointment(
                appointed, reason=EndReason.CASE_CLOSED, by=self.alice
            )
        case_services.change_case_status(
            self.alice_case, status=Case.Status.CLOSED, reason="reintegrated", by=self.alice
        )  # fmt: skip
        ended = services.end_appointment(
            appointed, reason=EndReason.CASE_CLOSED, by=self.alice
        )
        self.assertEqual(ended.status, Status.ENDED)
        with self.assertRaisesMessage(ServiceError, "The case is closed"):
            self.request()

    def test_a_stale_step_is_refused_and_changes_nothing(self) -> None:
        requested = self.request()
        self.appoint(requested, expected_version=1)
        with self.assertRaises(StaleEdit):
            services.withdraw_request(
                requested, reason="Twice.", by=self.alice, expected_version=1
            )
        self.assertEqual(GuardianAppointment.objects.get().status, Status.APPOINTED)

    def test_a_screener_may_ask_for_a_guardian_but_not_record_the_appointment(
        self,
    ) -> None:
        requested = services.request_appointment(
            self.alice_case, kind=Kind.GUARDIAN, by=self.sam
        )
        with self.assertRaisesMessage(ServiceError, "Your role does not record"):
            self.appoint(requested, by=self.sam)
        with self.assertRaisesMessage(ServiceError, "Your role does not record"):
            services.withdraw_request(requested, reason="Not needed.", by=self.sam)

    def test_observers_and_other_agencies_take_no_step(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.request_appointment(
                self.alice_case, kind=Kind.GUARDIAN, by=self.bob
            )
        with self.assertRaises(Http404):
            services.request_appointment(
                self.alice_case, kind=Kind.GUARDIAN, by=self.carol
            )
        requested = self.request()
        with self.assertRaises(PermissionDenied):
            services.withdraw_request(requested, reason="No.", by=self.bob)
        with self.assertRaises(Http404):
            self.appoint(requested, by=self.carol)
        self.assertEqual(GuardianAppointment.objects.get().status, Status.REQUESTED)

    def test_a_withdrawn_request_keeps_its_reason_encrypted(self) -> None:
        requested = self.request()
        services.withdraw_request(
            requested, reason="The father arrived from Shymkent.", by=self.alice
        )
        self.appoint(
            self.request(),
            legal_act_reference="Приказ № 77-ОП",
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT withdraw_reason, legal_act_reference FROM guardianship_guardianappointment"
            )
            stored = [bytes(v) for row in cursor.fetchall() for v in row if v]
        self.assertEqual(len(stored), 2)
        self.assertFalse(any(b"Shymkent" in v or "77-ОП".encode() in v for v in stored))
        self.assertEqual(
            GuardianAppointment.objects.get(pk=requested.pk).withdraw_reason,
            "The father arrived from Shymkent.",
        )
