"""The hotline's inbox of concern reports: read, triaged with the hotline instrument, closed."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.concerns import services
from qorgau.concerns.models import ConcernAddition, ConcernReport
from qorgau.screening import services as screening_services
from qorgau.screening.models import Screening
from qorgau.screening.tests.answers import lowest
from qorgau.test import BaseTestCase, child, make_org, make_user


class ConcernInboxTests(BaseTestCase):
    def setUp(self) -> None:
        call_command("import_instruments", "--publish", stdout=io.StringIO())
        self.hotline = make_org("Almaty helpline", self.almaty)
        self.hotline.services = ["hotline"]
        self.hotline.save()
        self.operator = make_user("olga", self.hotline, Role.CASEWORKER)
        self.report = services.submit_report(
            region=self.almaty,
            reporter="child_other",
            danger_now="yes",
            concern="My friend was taken to another city to work and cannot come back.",
            contact="olzhas@example.kz",
            language="kk",
        )

    def test_the_operator_reads_the_report_with_danger_first_and_the_read_is_audited(
        self,
    ) -> None:
        quiet = services.submit_report(
            region=self.almaty, reporter="adult", danger_now="no", concern="Begging."
        )
        self.login(self.operator)
        inbox = self.client.get("/en/concerns/")
        body = inbox.content.decode()
        self.assertLess(body.index(self.report.reference), body.index(quiet.reference))
        page = self.client.get(f"/en/concerns/{self.report.reference}/")
        self.assertContains(page, "cannot come back")
        self.assertContains(page, "olzhas@example.kz")
        self.assertContains(page, "in danger right now")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="concern.read", object_id=self.report.reference
            ).exists()
        )

    def test_another_organisation_gets_404_and_a_role_without_an_inbox_403(
        self,
    ) -> None:
        self.login(self.carol)
        self.assertEqual(
            self.client.get(f"/en/concerns/{self.report.reference}/").status_code, 404
        )
        self.assertNotContains(self.client.get("/en/concerns/"), self.report.reference)
        analyst = make_user("ann", self.hotline, Role.ANALYST)
        self.login(analyst)
        self.assertEqual(self.client.get("/en/concerns/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/en/concerns/{self.report.reference}/").status_code, 404
        )

    def test_triage_starts_the_hotline_instrument_in_the_reports_language(
        self,
    ) -> None:
        self.login(self.operator)
        response = self.client.post(
            f"/en/concerns/{self.report.reference}/triage/",
            {"version": self.report.row_version},
        )
        screening = Screening.objects.get()
        self.assertRedirects(
            response,
            f"/en/screening/{screening.reference}/section/1/",
            fetch_redirect_response=False,
        )
        self.assertEqual(screening.version.instrument.code, "hotline-intake-triage")
        self.assertEqual((screening.setting, screening.language), ("hotline", "kk"))
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "triage")
        self.assertEqual(self.report.screening, screening)
        again = self.client.post(f"/en/concerns/{self.report.reference}/triage/")
        self.assertEqual(Screening.objects.count(), 1, "a second click continues")
        self.assertEqual(again.status_code, 302)

    def test_closing_needs_a_reason_and_a_stale_form_changes_nothing(self) -> None:
        self.login(self.operator)
        url = f"/en/concerns/{self.report.reference}/close/"
        missing = self.client.post(url, {"version": self.report.row_version})
        self.assertEqual(missing.status_code, 400)
        self.assertEqual(self.reload(self.report).status, "new")
        stale = self.client.post(
            url, {"closure": "no_concern", "version": self.report.row_version + 1}
        )
        self.assertContains(stale, "changed this report meanwhile", status_code=400)
        closed = self.client.post(
            url,
            {"closure": "passed_on", "note": "Police informed by phone.",
             "version": self.report.row_version},
        )  # fmt: skip
        self.assertRedirects(closed, "/en/concerns/", fetch_redirect_response=False)
        report = self.reload(self.report)
        self.assertEqual((report.status, report.closure), ("closed", "passed_on"))
        self.assertEqual(report.closed_by, self.operator)

    def test_information_added_to_a_closed_report_opens_it_again(self) -> None:
        services.close_report(self.report, by=self.operator, closure="not_enough")
        services.add_information(
            self.reload(self.report), "He is at the bus station now."
        )
        report = self.reload(self.report)
        self.assertEqual((report.status, report.closure), ("new", ""))
        self.assertEqual(ConcernReport.objects.get().additions.count(), 1)

    def test_the_api_lists_reads_triages_and_closes_under_the_same_rules(self) -> None:
        headers = self.token(self.operator)
        listed = self.client.get("/api/v1/concerns", headers=headers).json()
        self.assertEqual([r["reference"] for r in listed], [self.report.reference])
        url = f"/api/v1/concerns/{self.report.reference}"
        whole = self.client.get(url, headers=headers).json()
        self.assertEqual(whole["contact"], "olzhas@example.kz")
        self.assertEqual(
            self.client.get(url, headers=self.token(self.carol)).status_code, 404
        )
        triage = self.client.post(
            f"{url}/triage", data={}, content_type="application/json", headers=headers
        )
        self.assertEqual(triage.status_code, 200, triage.content)
        self.assertEqual(triage.json()["screening"], Screening.objects.get().reference)
        version = self.reload(self.report).row_version
        refused = self.client.post(
            f"{url}/close", data={"closure": "maybe", "version": version},
            content_type="application/json", headers=headers,
        )  # fmt: skip
        self.assertEqual(refused.status_code, 400)
        closed = self.client.post(
            f"{url}/close", data={"closure": "known", "version": version},
            content_type="application/json", headers=headers,
        )  # fmt: skip
        self.assertEqual(closed.json()["status"], "closed")

    def test_referring_the_triaged_child_closes_the_report_as_referred(self) -> None:
        screening = services.start_triage(self.report, by=self.operator)
        definition = screening.version.parsed
        danger = next(i for i in definition.all_items() if i.immediate_danger)
        answers = {i.code: lowest(i) for i in definition.all_items()}
        answers[danger.code] = "yes"
        screening, _errors = screening_services.save_answers(
            screening, raw=answers, items=set(answers),
            expected_version=screening.row_version, by=self.operator, complete_section=False,
        )  # fmt: skip
        screening, _errors = screening_services.complete_screening(
            screening, expected_version=screening.row_version, by=self.operator
        )
        case, _alert = screening_services.open_case_for_screening(
            screening, child("Дана", "Серік"), by=self.operator,
            case_type="potential_victim", priority="urgent",
        )  # fmt: skip
        report = self.reload(self.report)
        self.assertEqual((report.status, report.closure), ("closed", "referred"))
        self.assertIn(case.number, report.closure_note)

    def test_a_report_closed_without_a_referral_is_deleted_after_its_retention(
        self,
    ) -> None:
        services.add_information(self.report, "More.")
        kept = services.submit_report(
            region=self.almaty, reporter="adult", danger_now="no", concern="Begging."
        )
        services.close_report(self.report, by=self.operator, closure="no_concern")
        services.close_report(kept, by=self.operator, closure="referred")
        later = timezone.now() + timedelta(days=366)
        self.assertEqual(services.delete_expired_reports(timezone.now()), 0)
        self.assertEqual(services.delete_expired_reports(later), 1)
        self.assertEqual(
            list(ConcernReport.objects.values_list("reference", flat=True)),
            [kept.reference],
        )
        self.assertFalse(ConcernAddition.objects.exists())
