from datetime import timedelta

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone, translation

from qorgau.agencies.models import Notification, User
from qorgau.audit.models import AuditEvent
from qorgau.cases import services
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import CaseAccessGrant
from qorgau.reference.loading import load_regions, load_vocabularies
from qorgau.reference.models import Region, Term
from qorgau.test import BaseTestCase, child, make_org, make_user

REASON = {
    "case_number": "",
    "reason_code": "immediate_danger",
    "reason": "The child called 111 from a car near the border.",
}


class BreakGlassTests(BaseTestCase):
    sara: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sara = make_user(
            "sara", cls.agency_b, "supervisor", email="sara@example.kz"
        )
        cls.carol.email = "carol@example.kz"
        cls.carol.save()

    def invoke(self) -> object:
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                "/en/emergency-access/",
                {**REASON, "case_number": self.carol_case.number},
            )

    def test_it_opens_read_only_access_to_one_case_for_two_hours(self) -> None:
        self.assertEqual(
            self.client.get(self.carol_case.get_absolute_url()).status_code, 302
        )
        self.invoke()
        response = self.client.get(self.carol_case.get_absolute_url())
        self.assertContains(response, "Emergency access, read only")
        self.assertEqual(
            self.client.get(f"/en/cases/{self.carol_case.number}/edit/").status_code,
            403,
        )
        with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
            self.login(self.alice)
            self.assertEqual(
                self.client.get(self.carol_case.get_absolute_url()).status_code, 404
            )

    def test_it_tells_the_owner_and_the_supervisor_at_once(self) -> None:
        self.invoke()
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)),
            {"carol", "sara"},
        )
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["carol@example.kz", "sara@example.kz"],
        )
        self.assertIn(self.carol_case.number, mail.outbox[0].body)

    def test_it_marks_every_read_under_emergency_access_in_the_audit(self) -> None:
        self.invoke()
        grant = CaseAccessGrant.objects.get()
        self.client.get(self.carol_case.get_absolute_url())
        last = AuditEvent.objects.order_by("id").last()
        assert last is not None
        self.assertEqual(
            (last.action, last.break_glass_id, last.purpose),
            ("case.read", grant.pk, "break_glass"),
        )

    def test_it_requires_a_reason_of_some_length(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/en/emergency-access/",
            {**REASON, "case_number": self.carol_case.number, "reason": "urgent"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CaseAccessGrant.objects.exists())

    def test_it_is_reviewed_by_the_owning_organisations_supervisor(self) -> None:
        self.invoke()
        grant = CaseAccessGrant.objects.get()
        self.login(self.sara)
        self.assertContains(
            self.client.get("/en/emergency-access/reviews/"), self.carol_case.number
        )
        self.client.post(
            f"/en/emergency-access/{grant.pk}/review/",
            {f"g{grant.pk}-outcome": "justified", f"g{grant.pk}-note": "ok"},
        )
        grant.refresh_from_db()
        self.assertEqual(
            (grant.review_outcome, grant.reviewed_by), ("justified", self.sara)
        )

    def test_it_is_not_available_to_roles_without_duty(self) -> None:
        analyst = make_user("ana", self.agency_a, "analyst")
        self.login(analyst)
        self.assertEqual(self.client.get("/en/emergency-access/").status_code, 403)

    def test_it_cannot_be_reviewed_by_the_person_who_used_it(self) -> None:
        grant = services.invoke_break_glass(
            self.carol_case,
            reason_code="immediate_danger",
            reason=REASON["reason"],
            by=self.sara,
        )
        with (
            translation.override("en"),
            self.assertRaisesMessage(ServiceError, "own emergency access"),
        ):
            services.review_break_glass(
                grant, outcome="justified", note="", by=self.sara
            )


class WorkerTests(TransactionTestCase):
    """The real worker, outside a test transaction: it commits, and closes connections as in production."""

    def setUp(self) -> None:
        # Reference data comes from migrations, and a TransactionTestCase before this one may have
        # flushed it; loading is idempotent.
        load_regions(Region)
        load_vocabularies(Term)

    @override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    )
    def test_it_sends_notification_e_mails_from_the_database_worker(self) -> None:
        region = Region.objects.get(code="KZ-75")
        owner = make_user(
            "carol",
            make_org("Agency B", region),
            "caseworker",
            email="carol@example.kz",
        )
        case = services.open_case(child(), by=owner)
        duty = make_user("alice", make_org("Agency A", region), "caseworker")
        services.invoke_break_glass(
            case, reason_code="immediate_danger", reason=REASON["reason"], by=duty
        )
        self.assertEqual(mail.outbox, [])
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "*",
            verbosity=0,
        )
        self.assertEqual([m.to for m in mail.outbox], [["carol@example.kz"]])
