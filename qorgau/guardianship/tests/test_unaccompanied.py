"""An unaccompanied child must have a guardian: asked for at once, due in working days, and
reported once when late."""

from datetime import date, datetime, timedelta

import time_machine
from django.test import override_settings

from qorgau.agencies.management.commands.run_schedule import SCHEDULE
from qorgau.agencies.models import Notification
from qorgau.agencies.notifications import render
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import Case
from qorgau.guardianship import services
from qorgau.guardianship.models import AgeAssessment, GuardianAppointment
from qorgau.guardianship.tasks import report_overdue_guardian_requests
from qorgau.guardianship.tests.base import ALMATY, FRIDAY, GuardianshipTestCase
from qorgau.test import child

Kind = GuardianAppointment.Kind
Status = GuardianAppointment.Status
Origin = GuardianAppointment.Origin


class RequirementTests(GuardianshipTestCase):
    def test_opening_a_case_for_an_unaccompanied_child_asks_for_a_guardian(
        self,
    ) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case = self.open_undocumented(unaccompanied=True)
        request = case.guardian_appointments.get()
        self.assertEqual(request.origin, Origin.UNACCOMPANIED)
        self.assertEqual(request.kind, Kind.GUARDIAN)  # 13 by the estimated year
        self.assertIsNone(request.participant)
        self.assertIs(services.summary(case).guardian_missing, True)

    def test_the_deadline_counts_working_days_across_the_weekend_and_a_holiday(
        self,
    ) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case = self.open_undocumented(unaccompanied=True)
        # Monday 14, Tuesday 15, (Independence Day 16), Thursday 17 December.
        due = datetime(2026, 12, 18, 0, 0, tzinfo=ALMATY)
        request = case.guardian_appointments.get()
        self.assertEqual(request.due_at, due)
        self.assertIs(request.is_overdue(due - timedelta(minutes=1)), False)
        self.assertIs(request.is_overdue(due + timedelta(minutes=1)), True)

    @override_settings(QORGAU_GUARDIAN_APPOINTMENT_WORKING_DAYS=1)
    def test_the_number_of_working_days_is_configuration(self) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case = self.open_undocumented(unaccompanied=True)
        self.assertEqual(
            case.guardian_appointments.get().due_at,
            datetime(2026, 12, 15, 0, 0, tzinfo=ALMATY),  # the end of Monday
        )

    def test_a_child_of_fourteen_gets_a_trustee(self) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case_services.update_case(
                self.alice_case,
                changes={"unaccompanied": True},
                expected_version=self.alice_case.version,
                by=self.alice,
            )
        self.assertEqual(self.alice_case.guardian_appointments.get().kind, Kind.TRUSTEE)

    def test_marking_a_case_unaccompanied_asks_once(self) -> None:
        case = case_services.update_case(
            self.alice_case,
            changes={"unaccompanied": True},
            expected_version=1,
            by=self.alice,
        )
        case = case_services.update_case(
            case, changes={"unaccompanied": False}, expected_version=2, by=self.alice
        )
        case_services.update_case(
            case, changes={"unaccompanied": True}, expected_version=3, by=self.alice
        )
        self.assertEqual(self.alice_case.guardian_appointments.count(), 1)

    def test_no_request_when_a_guardian_is_already_appointed(self) -> None:
        case = self.open_undocumented()
        self.appoint(
            services.request_appointment(case, kind=Kind.LEGAL_REPRESENTATIVE, by=self.alice)
        )  # fmt: skip
        case_services.update_case(
            case, changes={"unaccompanied": True}, expected_version=1, by=self.alice
        )
        self.assertEqual(case.guardian_appointments.count(), 1)
        self.assertIs(services.summary(self.case(case)).guardian_missing, False)

    def test_a_revoked_guardian_is_asked_for_again_but_majority_ends_the_need(
        self,
    ) -> None:
        case = self.open_undocumented(unaccompanied=True)
        first = self.appoint(case.guardian_appointments.get())
        services.end_appointment(first, reason="revoked", by=self.alice)
        again = case.guardian_appointments.requested().get()
        self.assertEqual(again.origin, Origin.UNACCOMPANIED)
        second = self.appoint(again)
        services.record_age_assessment(
            case,
            method=AgeAssessment.Method.DOCUMENTS,
            conclusion=AgeAssessment.Conclusion.DOCUMENTED,
            documented_birth_date=date(2007, 5, 1),
            assessing_organisation=self.agency_a,
            assessed_on=date(2026, 11, 25),
            reasons="Passport.",
            by=self.alice,
        )
        services.end_appointment(second, reason="majority", by=self.alice)
        self.assertFalse(case.guardian_appointments.requested().exists())
        self.assertIs(services.summary(self.case(case)).guardian_missing, False)

    def test_the_last_request_of_an_unaccompanied_child_is_not_withdrawn(
        self,
    ) -> None:
        case = self.open_undocumented(unaccompanied=True)
        automatic = case.guardian_appointments.get()
        with self.assertRaisesMessage(ServiceError, "stays open"):
            services.withdraw_request(automatic, reason="Not needed.", by=self.alice)
        services.request_appointment(case, kind=Kind.TEMPORARY_GUARDIAN, by=self.alice)
        services.withdraw_request(
            automatic,
            reason="A temporary guardian is asked for instead.",
            by=self.alice,
        )
        self.assertEqual(self.reload(automatic).status, Status.WITHDRAWN)

    def test_a_case_that_is_not_unaccompanied_asks_for_nothing(self) -> None:
        self.open_undocumented()
        self.assertFalse(GuardianAppointment.objects.exists())


class OverdueTests(GuardianshipTestCase):
    def test_the_owner_and_the_supervisors_are_told_once_when_no_guardian_is_appointed(
        self,
    ) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            case = self.open_undocumented(unaccompanied=True)
        due = datetime(2026, 12, 18, 0, 0, tzinfo=ALMATY)
        self.assertEqual(services.report_overdue_requests(due - timedelta(hours=1)), 0)
        self.assertEqual(services.report_overdue_requests(due + timedelta(hours=1)), 1)
        self.assertEqual(services.report_overdue_requests(due + timedelta(days=3)), 0)
        told = Notification.objects.filter(kind="guardianship_overdue")
        self.assertEqual({n.recipient for n in told}, {self.alice, self.vera})
        self.assertIn(case.number, render(told[0]))

    def test_requests_of_closed_cases_and_appointed_ones_are_not_reported(
        self,
    ) -> None:
        with time_machine.travel(FRIDAY, tick=False):
            closed = self.open_undocumented(unaccompanied=True)
            appointed = self.open_undocumented(unaccompanied=True)
        case_services.change_case_status(
            closed, status=Case.Status.CLOSED, reason="transferred", by=self.alice
        )
        self.appoint(appointed.guardian_appointments.get())
        later = datetime(2027, 1, 20, tzinfo=ALMATY)
        self.assertEqual(services.report_overdue_requests(later), 0)
        self.assertFalse(
            Notification.objects.filter(kind="guardianship_overdue").exists()
        )

    def test_the_schedule_runs_the_overdue_report(self) -> None:
        self.assertIn(report_overdue_guardian_requests, [t for _every, t in SCHEDULE])
        with time_machine.travel(FRIDAY, tick=False):
            self.open_undocumented(unaccompanied=True)
        with time_machine.travel(datetime(2026, 12, 21, 9, 0, tzinfo=ALMATY)):
            result = report_overdue_guardian_requests.enqueue()
        self.assertEqual(result.return_value, 1)

    def test_an_unaccompanied_child_opened_without_a_birth_date_is_both_presumed_and_asked_for(
        self,
    ) -> None:
        case = case_services.open_case(
            child(birth_date=None, birth_year=2011),
            by=self.alice,
            unaccompanied=True,
        )
        self.assertIs(services.age_status(case.child).presumed, True)
        self.assertEqual(case.guardian_appointments.requested().count(), 1)
