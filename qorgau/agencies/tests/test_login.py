import time
from datetime import timedelta

import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.test import override_settings

from qorgau.agencies.middleware import SESSION_STARTED
from qorgau.test import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def test_it_hashes_new_passwords_with_argon2(self) -> None:
        with self.settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]
        ):
            self.alice.set_password("another-long-passphrase")
            self.assertEqual(identify_hasher(self.alice.password).algorithm, "argon2")

    def test_it_logs_in_and_lands_on_my_work(self) -> None:
        response = self.client.post(
            "/en/login/", {"username": "alice", "password": PASSWORD}
        )
        self.assertRedirects(response, "/en/", fetch_redirect_response=False)

    def test_it_locks_out_after_five_failures(self) -> None:
        for _ in range(5):
            self.client.post("/en/login/", {"username": "alice", "password": "wrong"})
        response = self.client.post(
            "/en/login/", {"username": "alice", "password": PASSWORD}
        )
        self.assertContains(
            response, "Too many failed log-in attempts", status_code=429
        )

    def test_it_refuses_a_wrong_password_with_a_clear_message(self) -> None:
        response = self.client.post(
            "/en/login/", {"username": "alice", "password": "wrong"}
        )
        self.assertContains(response, "The user name or password is not correct")

    def test_it_has_no_self_registration(self) -> None:
        self.assertEqual(self.client.get("/en/register/").status_code, 404)
        self.assertEqual(self.client.get("/en/signup/").status_code, 404)

    @override_settings(QORGAU_SESSION_ABSOLUTE_SECONDS=60)
    def test_it_ends_a_session_after_its_absolute_lifetime(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get("/en/").status_code, 200)
        session = self.client.session
        session[SESSION_STARTED] = time.time() - 61
        session.save()
        response = self.client.get("/en/")
        self.assertRedirects(response, "/en/login/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/en/").status_code, 302)

    def test_it_ends_a_session_idle_for_thirty_minutes_and_keeps_an_active_one(
        self,
    ) -> None:
        with time_machine.travel("2026-11-02 09:00 +05:00", tick=False) as clock:
            self.login(self.alice)
            self.assertEqual(self.client.get("/en/").status_code, 200)
            for _step in range(3):  # active for an hour, a request every 25 minutes
                clock.shift(timedelta(minutes=25))
                self.assertEqual(self.client.get("/en/").status_code, 200)
            clock.shift(timedelta(minutes=31))
            response = self.client.get("/en/")
        self.assertRedirects(
            response, "/en/login/?next=/en/", fetch_redirect_response=False
        )

    def test_a_request_soon_after_the_last_one_does_not_write_the_session(self) -> None:
        with time_machine.travel("2026-11-02 09:00 +05:00", tick=False) as clock:
            self.login(self.alice)
            self.client.get("/en/")
            key = self.client.session.session_key
            expiry = Session.objects.get(pk=key).expire_date
            clock.shift(timedelta(seconds=30))
            self.client.get("/en/")
            self.assertEqual(Session.objects.get(pk=key).expire_date, expiry)
            clock.shift(timedelta(seconds=61))
            self.client.get("/en/")
            self.assertGreater(Session.objects.get(pk=key).expire_date, expiry)

    def test_it_clears_the_browser_on_logout(self) -> None:
        self.login(self.alice)
        response = self.client.post("/en/logout/")
        self.assertIn("storage", response["Clear-Site-Data"])


class NotificationDeliveryTests(BaseTestCase):
    def test_a_user_who_chose_a_digest_gets_one_email_a_day_listing_everything(
        self,
    ) -> None:
        from django.core import mail

        from qorgau.agencies.notifications import notify
        from qorgau.agencies.tasks import send_daily_digests

        self.login(self.alice)
        self.client.post("/en/notifications/delivery/", {"email_delivery": "daily"})
        self.alice.refresh_from_db()
        self.alice.email = "alice@example.kz"
        self.alice.save()
        for number in ("KZ75-2026-00001", "KZ75-2026-00002"):
            notify(
                self.alice,
                kind="referral_received",
                case_number=number,
                urgency="urgent",
            )
        self.assertEqual(len(mail.outbox), 0)  # nothing at once
        with time_machine.travel("2026-11-02 08:00 +05:00", tick=False) as clock:
            self.assertEqual(send_daily_digests.call(), 1)
            self.assertEqual(len(mail.outbox), 1)
            self.assertIn("KZ75-2026-00002", mail.outbox[0].body)
            clock.shift(timedelta(hours=2))
            notify(self.alice, kind="referral_received", case_number="KZ75-2026-00003")
            self.assertEqual(send_daily_digests.call(), 0)  # not twice a day
            clock.shift(timedelta(hours=22))
            self.assertEqual(send_daily_digests.call(), 1)
        self.assertIn("KZ75-2026-00003", mail.outbox[1].body)
        self.assertNotIn("KZ75-2026-00001", mail.outbox[1].body)

    def test_a_user_who_chose_immediate_email_gets_one_per_notification(self) -> None:
        from django.core import mail

        from qorgau.agencies.notifications import notify

        self.alice.email = "alice@example.kz"
        self.alice.save()
        with self.captureOnCommitCallbacks(execute=True):
            notify(self.alice, kind="referral_received", case_number="KZ75-2026-00001")
        self.assertEqual(len(mail.outbox), 1)
