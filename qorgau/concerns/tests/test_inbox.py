"""The hotline's inbox of concern reports: read, triaged with the hotline instrument, closed."""

from __future__ import annotations

import io

from django.core.management import call_command

from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.concerns import services
from qorgau.concerns.models import ConcernReport
from qorgau.screening.models import Screening
from qorgau.test import BaseTestCase, make_org, make_user


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
