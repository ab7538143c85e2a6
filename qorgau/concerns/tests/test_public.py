"""The public concern form: no login, no address kept, flood-proof, and a code to add later."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from qorgau.agencies.models import Notification
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.concerns import services
from qorgau.concerns.models import ConcernAddition, ConcernReport
from qorgau.concerns.tests.helpers import bigger_number, challenge_on, solved
from qorgau.test import BaseTestCase, make_org, make_user

REPORT = {
    "reporter": "adult",
    "danger_now": "no",
    "concern": "A girl of about twelve sells goods at the bazaar every school day.",
    "child_details": "Айгерім, about 12",
    "place": "Barakholka market, row 5",
    "contact": "+7 701 555 12 34",
}


class PublicReportTests(BaseTestCase):
    def setUp(self) -> None:
        caches["shared"].clear()
        self.hotline = make_org("Almaty helpline", self.almaty)
        self.hotline.services = ["hotline"]
        self.hotline.save()
        self.operator = make_user("olga", self.hotline, Role.CASEWORKER)

    def send(self, data: dict[str, Any], url: str = "/kk/report/", **extra: Any) -> Any:
        page = self.client.get(url)
        token = challenge_on(page)
        return self.client.post(
            url, {"challenge": token, "work": solved(token), **data}, **extra
        )

    def test_the_form_is_public_in_three_languages_and_in_easy_read(self) -> None:
        for url, words in (
            ("/kk/report/", "Балаға қатысты алаңдаушылық туралы хабарлау"),
            ("/ru/report/", "Сообщить о тревоге за ребёнка"),
            ("/en/report/", "Report a concern about a child"),
            ("/en/report/easy-read/", "Tell us about a child"),
        ):
            page = self.client.get(url)
            self.assertContains(page, words)
            self.assertEqual(page["Cache-Control"], "no-store")
            self.assertNotContains(page, "https://")  # no third-party script or font

    def test_a_report_lands_in_the_regions_hotline_encrypted_with_a_reference(
        self,
    ) -> None:
        response = self.send({**REPORT, "region": self.almaty.pk})
        self.assertEqual(response.status_code, 200, response.content[:2000])
        report = ConcernReport.objects.get()
        self.assertContains(response, report.reference)
        self.assertRegex(report.reference, r"^QR-[2-9A-Z]{4}-[2-9A-Z]{4}$")
        self.assertEqual(report.organisation, self.hotline)
        self.assertEqual(report.language, "kk")
        self.assertEqual(report.contact, REPORT["contact"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT concern, contact FROM concerns_concernreport")
            stored = b"".join(bytes(c) for c in cursor.fetchone())
        self.assertNotIn(b"bazaar", stored)
        self.assertNotIn(b"701", stored)
        note = Notification.objects.get(recipient=self.operator)
        self.assertEqual(note.params["reference"], report.reference)
        event = AuditEvent.objects.get(action="concern.report")
        self.assertEqual((event.actor_username, event.ip), ("", ""))

    def test_nothing_of_the_senders_address_is_kept(self) -> None:
        self.send({**REPORT}, REMOTE_ADDR="203.0.113.77")
        columns = [
            f.column for f in ConcernReport._meta.concrete_fields
        ]  # no address column at all
        self.assertFalse({"ip", "address", "user_agent"} & set(columns))
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM qorgau_shared_cache")
            keys = " ".join(row[0] for row in cursor.fetchall())
        self.assertNotIn("203.0.113.77", keys)
        self.assertFalse(
            AuditEvent.objects.filter(ip="203.0.113.77").exists(),
            "the public side is audited without the address",
        )

    def test_without_javascript_the_question_lets_a_person_through(self) -> None:
        page = self.client.get("/en/report/easy-read/")
        response = self.client.post(
            "/en/report/easy-read/",
            {**REPORT, "reporter": "child_self", "challenge": challenge_on(page),
             "answer": bigger_number(page)},
        )  # fmt: skip
        self.assertContains(response, "Write this code down")
        self.assertTrue(ConcernReport.objects.get().easy_read)

    def test_a_wrong_answer_or_a_reused_challenge_stores_nothing_and_says_why(
        self,
    ) -> None:
        page = self.client.get("/en/report/")
        token = challenge_on(page)
        wrong = str(10 - int(bigger_number(page)) % 10)
        refused = self.client.post(
            "/en/report/", {**REPORT, "challenge": token, "answer": "0" + wrong}
        )
        self.assertContains(refused, "which number is bigger?")
        self.assertFalse(ConcernReport.objects.exists())
        self.assertContains(refused, REPORT["concern"])  # what was written is kept
        first = self.client.post(
            "/en/report/", {**REPORT, "challenge": token, "work": solved(token)}
        )
        self.assertEqual(first.status_code, 200)
        again = self.client.post(
            "/en/report/", {**REPORT, "challenge": token, "work": solved(token)}
        )
        self.assertContains(again, "This form was already sent")
        self.assertEqual(ConcernReport.objects.count(), 1)

    def test_a_missing_concern_is_named_and_nothing_is_stored(self) -> None:
        response = self.send({**REPORT, "concern": ""}, url="/ru/report/")
        self.assertContains(response, "Обязательное поле")
        self.assertFalse(ConcernReport.objects.exists())

    @override_settings(
        QORGAU_CONCERN_RATES={
            "report": "3/h", "report_all": "100/h", "lookup": "2/h", "lookup_all": "100/h"
        }
    )  # fmt: skip
    def test_a_flood_from_one_sender_is_refused_with_429_and_others_still_get_through(
        self,
    ) -> None:
        for _n in range(3):
            self.assertEqual(
                self.send(REPORT, REMOTE_ADDR="198.51.100.1").status_code, 200
            )
        flooded = self.send(REPORT, REMOTE_ADDR="198.51.100.1")
        self.assertEqual(flooded.status_code, 429)
        self.assertContains(flooded, "102", status_code=429)
        self.assertEqual(ConcernReport.objects.count(), 3)
        other = self.send(REPORT, REMOTE_ADDR="198.51.100.2")
        self.assertEqual(other.status_code, 200)

    def test_the_reporter_adds_information_with_the_code_and_sees_only_the_status(
        self,
    ) -> None:
        report = services.submit_report(
            region=self.almaty,
            reporter="adult",
            danger_now="no",
            concern=REPORT["concern"],
        )
        typed = report.reference.lower().replace("-", " ")  # as a person may type it
        found = self.client.post("/en/report/follow-up/", {"reference": typed})
        self.assertContains(found, "Received; waiting to be read")
        self.assertNotContains(found, "bazaar")  # never what the report says
        token = challenge_on(found)
        added = self.client.post(
            "/en/report/follow-up/",
            {"reference": report.reference, "text": "She was there again today.",
             "challenge": token, "work": solved(token)},
        )  # fmt: skip
        self.assertContains(added, "was sent to the specialist")
        self.assertEqual(
            ConcernAddition.objects.get().text, "She was there again today."
        )
        self.assertTrue(
            Notification.objects.filter(kind="concern_added", recipient=self.operator)
        )

    def test_an_unknown_code_says_so_and_guessing_is_rate_limited(self) -> None:
        with self.settings(
            QORGAU_CONCERN_RATES={
                "report": "5/h", "report_all": "100/h", "lookup": "2/h", "lookup_all": "100/h"
            }
        ):  # fmt: skip
            for _n in range(2):
                miss = self.client.post(
                    "/en/report/follow-up/", {"reference": "QR-2222-2222"}
                )
                self.assertContains(miss, "No report has this code")
            blocked = self.client.post(
                "/en/report/follow-up/", {"reference": "QR-2222-2223"}
            )
            self.assertEqual(blocked.status_code, 429)

    def test_a_region_without_a_hotline_sends_to_its_coordinator_else_the_national_line(
        self,
    ) -> None:
        office = make_org("Astana social protection", self.astana)
        make_user("rita", office, Role.REGIONAL_COORDINATOR)
        self.assertEqual(services.inbox_for(self.astana), office)
        shymkent = self.almaty.__class__.objects.get(code="KZ-79")
        self.assertEqual(services.inbox_for(shymkent), self.hotline)
        self.assertEqual(services.inbox_for(None), self.hotline)


def test_a_typed_code_is_read_whatever_its_case_spacing_or_prefix() -> None:
    assert services.normalised_reference("qr-qrab-2345") == "QR-QRAB-2345"
    assert services.normalised_reference("QRAB 2345") == "QR-QRAB-2345"
    assert services.normalised_reference(" qr qrab2345 ") == "QR-QRAB-2345"
    assert services.normalised_reference("QR-QRAB-234") == ""
