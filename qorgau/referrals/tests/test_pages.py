"""Referral pages and API: inboxes, one referral, the steps, and what the recipient may see."""

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings

from qorgau.agencies.models import Notification
from qorgau.agencies.roles import Tier
from qorgau.audit.models import AuditEvent
from qorgau.cases.errors import ServiceError
from qorgau.cases.models import CaseEvent
from qorgau.referrals import services
from qorgau.referrals.models import Referral
from qorgau.referrals.tests.test_services import ReferralTestCase

ALMATY = ZoneInfo("Asia/Almaty")


class InboxPageTests(ReferralTestCase):
    def test_the_inbox_lists_what_awaits_the_organisation_overdue_first(self) -> None:
        with time_machine.travel(
            datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY), tick=False
        ):
            routine = self.refer(urgency=Referral.Urgency.ROUTINE)
        with time_machine.travel(
            datetime(2026, 11, 4, 9, 0, tzinfo=ALMATY), tick=False
        ):
            urgent = self.refer(urgency=Referral.Urgency.URGENT)
        self.login(self.dana)
        with time_machine.travel(
            datetime(2026, 11, 6, 9, 0, tzinfo=ALMATY), tick=False
        ):
            response = self.client.get("/en/referrals/inbox/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertLess(html.index(str(urgent.pk)), html.index(str(routine.pk)))
        self.assertIn("overdue", html)
        self.assertIn(self.alice_case.number, html)
        self.assertNotIn("Жанар", html)  # an inbox names cases, not children

    def test_the_navigation_counts_referrals_awaiting_action(self) -> None:
        self.refer()
        self.refer(to_user=self.dana)
        self.login(self.dana)
        html = self.client.get("/en/").content.decode()
        self.assertIn('href="/en/referrals/inbox/">Inbox <span class="badge">2', html)
        self.assertIn(
            'href="/en/referrals/mine/">Referred to me <span class="badge">1', html
        )

    def test_staff_who_do_not_act_on_inboxes_are_refused_the_inbox(self) -> None:
        self.login(self.sid)
        self.assertEqual(self.client.get("/en/referrals/inbox/").status_code, 403)

    def test_reading_an_inbox_is_audited(self) -> None:
        referral = self.refer()
        self.login(self.dana)
        self.client.get("/en/referrals/inbox/")
        event = AuditEvent.objects.filter(action="referral.list").latest("id")
        self.assertEqual(event.details["referrals"], [str(referral.pk)])


class ReferralPageTests(ReferralTestCase):
    def test_the_recipient_acknowledges_and_accepts_from_the_page(self) -> None:
        referral = self.refer()
        self.login(self.dana)
        page = self.client.get(f"/en/referrals/{referral.pk}/")
        self.assertContains(page, "Needs a place tonight.")
        self.assertContains(page, "Accept and join the case team")
        acknowledged = self.client.post(
            f"/en/referrals/{referral.pk}/acknowledge/",
            {"version": referral.version},
            follow=True,
        )
        self.assertIn(
            "The referral was acknowledged.",
            [str(m) for m in acknowledged.context["messages"]],
        )
        referral.refresh_from_db()
        response = self.client.post(
            f"/en/referrals/{referral.pk}/accept/", {"version": referral.version}
        )
        self.assertRedirects(
            response, f"/en/referrals/{referral.pk}/", fetch_redirect_response=False
        )
        page = self.client.get(f"/en/referrals/{referral.pk}/")
        self.assertContains(
            page, "The referral was accepted: you are now on the case team."
        )
        self.assertNotContains(page, "Withdraw the referral")  # the sender's step
        referral.refresh_from_db()
        self.assertEqual(referral.status, Referral.Status.ACCEPTED)

    def test_a_step_shown_at_an_old_version_changes_nothing_and_says_so(self) -> None:
        referral = self.refer()
        shown = referral.version
        services.accept_referral(referral, by=self.sam)
        self.login(self.dana)
        response = self.client.post(
            f"/en/referrals/{referral.pk}/decline/",
            {"decline-reason": "no_capacity", "decline-version": shown},
            follow=True,
        )
        self.assertContains(response, "Someone else acted on this referral")
        self.assertEqual(
            Referral.objects.get(pk=referral.pk).status, Referral.Status.ACCEPTED
        )

    def test_a_refused_step_shows_why(self) -> None:
        referral = self.refer()
        self.login(self.dana)
        response = self.client.post(
            f"/en/referrals/{referral.pk}/complete/",
            {"version": referral.version},
            follow=True,
        )
        self.assertContains(response, "this step is not possible now")

    def test_an_outsider_gets_404_and_the_attempt_is_audited(self) -> None:
        referral = self.refer()
        for user in (self.cleo, self.carol):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(
                    self.client.get(f"/en/referrals/{referral.pk}/").status_code, 404
                )
        self.assertTrue(AuditEvent.objects.filter(action="referral.denied").exists())
        self.assertEqual(self.client.get("/en/referrals/not-a-uuid/").status_code, 404)

    def test_the_recipient_sees_the_case_up_to_the_shared_tier_only(self) -> None:
        from qorgau.cases.models import CaseNote

        CaseNote.objects.create(
            case=self.alice_case,
            author=self.alice,
            tier=Tier.NARRATIVE,
            text="Lives with an aunt.",
        )
        self.refer(shared_tier=Tier.IDENTITY)
        self.login(self.dana)
        page = self.client.get(self.alice_case.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Жанар")
        self.assertNotContains(page, "Lives with an aunt.")
        self.assertNotContains(page, "Refer to another organisation")

    def test_the_case_page_lists_its_referrals_and_offers_to_refer(self) -> None:
        self.refer()
        self.login(self.alice)
        page = self.client.get(self.alice_case.get_absolute_url())
        self.assertContains(page, "Shelter")
        self.assertContains(page, "Refer to another organisation")


class ReferCasePageTests(ReferralTestCase):
    def form(self, **extra: object) -> dict[str, object]:
        data: dict[str, object] = {
            "to_organisation": self.shelter.pk,
            "reasons": ["Shelter", "MedicalAssistance"],
            "urgency": "urgent",
            "legal_basis": "child_protection",
            "shared_tier": Tier.NARRATIVE,
            "message": "Please call before 18:00.",
        }
        data.update(extra)
        return data

    def test_referring_a_case_sends_it_to_the_inbox(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            f"/en/cases/{self.alice_case.number}/refer/", self.form()
        )
        referral = Referral.objects.get()
        self.assertRedirects(response, f"/en/referrals/{referral.pk}/")
        self.assertEqual(referral.status, Referral.Status.SENT)
        self.assertEqual(referral.reasons, ["MedicalAssistance", "Shelter"])
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.dana, kind="referral_received"
            ).exists()
        )

    def test_sharing_beyond_the_legal_basis_is_refused_with_the_form_kept(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            f"/en/cases/{self.alice_case.number}/refer/",
            self.form(shared_tier=Tier.HEALTH),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "beyond what its legal basis allows")
        self.assertContains(response, "Please call before 18:00.")
        self.assertFalse(Referral.objects.exists())

    def test_a_reader_of_the_case_cannot_refer_it(self) -> None:
        self.login(self.bob)  # an observer on alice's case
        self.assertEqual(
            self.client.get(f"/en/cases/{self.alice_case.number}/refer/").status_code,
            403,
        )


class ReferralApiTests(ReferralTestCase):
    def post(self, path: str, body: dict[str, object], user: object) -> object:
        return self.client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers=self.token(user),  # type: ignore[arg-type]
        )

    def test_the_api_refers_accepts_and_reports_the_referral(self) -> None:
        created = self.post(
            f"/api/v1/cases/{self.alice_case.number}/referrals",
            {
                "to_organisation": self.shelter.pk,
                "reasons": ["Shelter"],
                "urgency": "urgent",
            },
            self.alice,
        )
        self.assertEqual(created.status_code, 201)  # type: ignore[attr-defined]
        body = created.json()  # type: ignore[attr-defined]
        inbox = self.client.get(
            "/api/v1/referrals/inbox", headers=self.token(self.dana)
        )
        self.assertEqual([r["id"] for r in inbox.json()], [body["id"]])
        accepted = self.post(
            f"/api/v1/referrals/{body['id']}/accept",
            {"version": body["version"]},
            self.dana,
        )
        self.assertEqual(accepted.json()["status"], "accepted")  # type: ignore[attr-defined]

    def test_the_api_refuses_sharing_without_consent_naming_the_field(self) -> None:
        refused = self.post(
            f"/api/v1/cases/{self.alice_case.number}/referrals",
            {
                "to_organisation": self.shelter.pk,
                "reasons": ["Shelter"],
                "shared_tier": 3,
            },
            self.alice,
        )
        self.assertEqual(refused.status_code, 400)  # type: ignore[attr-defined]
        fields = refused.json()["error"]["fields"]  # type: ignore[attr-defined]
        self.assertEqual(fields[0]["field"], "shared_tier")
        self.assertFalse(Referral.objects.exists())

    def test_two_agencies_acting_at_once_get_409_for_the_second(self) -> None:
        referral = self.refer()
        first = self.post(
            f"/api/v1/referrals/{referral.pk}/accept",
            {"version": referral.version},
            self.dana,
        )
        second = self.post(
            f"/api/v1/referrals/{referral.pk}/decline",
            {"version": referral.version, "reason": "no_capacity"},
            self.sam,
        )
        self.assertEqual(first.status_code, 200)  # type: ignore[attr-defined]
        self.assertEqual(second.status_code, 409)  # type: ignore[attr-defined]


class EscalationTests(ReferralTestCase):
    def test_an_overdue_referral_goes_to_the_supervisor_then_the_regional_coordinator(
        self,
    ) -> None:
        from qorgau.agencies.roles import Role
        from qorgau.test import make_user

        coordinator = make_user(
            "rita", self.clinic, Role.REGIONAL_COORDINATOR, region_scope=self.almaty
        )
        start = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            referral = self.refer(urgency=Referral.Urgency.IMMEDIATE_DANGER)
        self.assertEqual(services.escalate_overdue(start + timedelta(minutes=59)), 0)
        self.assertEqual(services.escalate_overdue(start + timedelta(minutes=61)), 1)
        self.assertEqual(services.escalate_overdue(start + timedelta(minutes=62)), 0)
        told = Notification.objects.filter(kind="referral_overdue")
        self.assertEqual({n.recipient for n in told}, {self.sam})
        later = start + timedelta(minutes=61, hours=24, seconds=1)
        self.assertEqual(services.escalate_overdue(later), 1)
        self.assertIn(coordinator, {n.recipient for n in told.all()})
        referral.refresh_from_db()
        self.assertEqual(referral.escalation_level, 2)
        self.assertTrue(
            CaseEvent.objects.filter(
                case=self.alice_case, params__step="escalated"
            ).exists()
        )

    def test_acting_on_the_referral_stops_the_clock(self) -> None:
        start = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            referral = self.refer(urgency=Referral.Urgency.IMMEDIATE_DANGER)
            services.accept_referral(referral, by=self.dana)
        self.assertEqual(services.escalate_overdue(start + timedelta(days=3)), 0)

    def test_the_schedule_enqueues_the_sweep_and_the_worker_runs_it(self) -> None:
        from django.core.management import call_command

        start = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            self.refer(urgency=Referral.Urgency.IMMEDIATE_DANGER)
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            call_command("run_schedule", "--once", stdout=io.StringIO())
        self.assertTrue(Notification.objects.filter(kind="referral_overdue").exists())


class ConsentPageTests(ReferralTestCase):
    def test_consent_is_recorded_and_withdrawn_from_the_case_page(self) -> None:
        from qorgau.referrals.models import Consent

        self.login(self.alice)
        number = self.alice_case.number
        self.client.post(
            f"/en/cases/{number}/consents/",
            {
                "consent-purpose": "sharing",
                "consent-organisation": self.shelter.pk,
                "consent-given_by": "both",
                "consent-max_tier": Tier.HEALTH,
                "consent-how_obtained": "Easy-read sheet read with the child",
            },
        )
        consent = Consent.objects.get()
        page = self.client.get(self.alice_case.get_absolute_url())
        self.assertContains(page, "Easy-read sheet read with the child")
        referral = self.refer(shared_tier=Tier.HEALTH, consent=consent)
        self.assertEqual(referral.status, Referral.Status.SENT)
        self.client.post(f"/en/cases/{number}/consents/{consent.pk}/withdraw/")
        self.assertIsNotNone(Consent.objects.get().withdrawn_at)
        with self.assertRaises(ServiceError):
            self.refer(shared_tier=Tier.HEALTH, consent=Consent.objects.get())

    def test_consent_needs_how_it_was_obtained(self) -> None:
        from qorgau.referrals.models import Consent

        response = self.client.post(
            f"/api/v1/cases/{self.alice_case.number}/consents",
            data=json.dumps(
                {"purpose": "assistance", "given_by": "child", "how_obtained": " "}
            ),
            content_type="application/json",
            headers=self.token(self.alice),
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "how_obtained")
        self.assertFalse(Consent.objects.exists())


class DashboardTests(ReferralTestCase):
    def test_the_supervisor_sees_team_load_overdue_referrals_and_decisions_due(
        self,
    ) -> None:
        from qorgau.protection import services as protection_services

        start = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False):
            referral = self.refer(urgency=Referral.Urgency.IMMEDIATE_DANGER)
            protection_services.request_decision(
                self.alice_case, kind="reasonable_grounds", by=self.alice
            )
        self.login(self.sam)  # the shelter's supervisor
        with time_machine.travel(start + timedelta(hours=3), tick=False):
            page = self.client.get("/en/dashboard/")
        self.assertContains(page, "Overdue referrals in our inbox")
        self.assertContains(page, f'href="/en/referrals/{referral.pk}/"')
        self.assertNotContains(page, "Жанар")

    def test_the_regional_coordinator_sees_the_flow_and_the_medians(self) -> None:
        from qorgau.agencies.roles import Role
        from qorgau.test import make_user

        rita = make_user(
            "rita", self.clinic, Role.REGIONAL_COORDINATOR, region_scope=self.almaty
        )
        start = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False) as clock:
            first = self.refer()
            clock.shift(timedelta(hours=2))
            services.acknowledge_referral(first, by=self.dana)
            clock.shift(timedelta(hours=2))
            services.accept_referral(first, by=self.dana)
            second = self.refer()
            services.decline_referral(
                second, by=self.dana, reason=Referral.DeclineReason.NO_CAPACITY
            )
            self.login(rita)
            page = self.client.get("/en/dashboard/").content.decode()
        self.assertIn("Referrals in", page)
        self.assertIn("<dd>2</dd>", page)  # sent
        self.assertIn("1.0 h", page)  # median to acknowledge: 2 h and 0 h
        self.assertIn("4.0 h", page)  # median to accept
        self.assertIn("No capacity now: 1", page)

    def test_the_regional_figures_are_recomputed_by_the_schedule_or_once_they_are_old(
        self,
    ) -> None:
        from qorgau.referrals.dashboards import refresh_dashboard_figures, region_flow

        start = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
        with time_machine.travel(start, tick=False) as clock:
            self.refer()
            self.assertEqual(region_flow(self.almaty.pk).sent, 1)
            self.refer()
            clock.shift(timedelta(minutes=5))
            self.assertEqual(region_flow(self.almaty.pk).sent, 1)  # as computed
            self.assertGreaterEqual(refresh_dashboard_figures(), 1)
            self.assertEqual(region_flow(self.almaty.pk).sent, 2)
            self.refer()
            clock.shift(
                timedelta(seconds=settings.QORGAU_DASHBOARD_MAX_AGE_SECONDS + 1)
            )
            flow = region_flow(self.almaty.pk)  # the schedule stopped: the page counts
        self.assertEqual(flow.sent, 3)

    def test_caseworkers_have_no_dashboard(self) -> None:
        self.login(self.dana)
        self.assertEqual(self.client.get("/en/dashboard/").status_code, 403)
