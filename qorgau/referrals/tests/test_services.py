"""The referral status machine: every transition, allowed and refused, by side and role."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.http import Http404

from qorgau.agencies.models import Ministry, Notification, Organisation, User
from qorgau.agencies.roles import Role, Tier
from qorgau.audit.models import AuditEvent
from qorgau.cases.access import Basis, access_case, effective_access
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember
from qorgau.referrals import services
from qorgau.referrals.models import Consent, Referral
from qorgau.test import BaseTestCase, make_org, make_user

ALMATY = ZoneInfo("Asia/Almaty")
Status = Referral.Status


class ReferralTestCase(BaseTestCase):
    """alice (agency A) refers alice_case to a shelter, where dana, sam (supervisor) and sid (a
    screener) work; cleo works at a clinic."""

    shelter: Organisation
    clinic: Organisation
    dana: User
    sam: User
    sid: User
    cleo: User
    onward: Referral

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shelter = make_org(
            "Shelter", cls.almaty, ministry=Ministry.NONE, type_code="NGO"
        )
        cls.clinic = make_org("Clinic", cls.almaty, ministry=Ministry.HEALTH)
        cls.dana = make_user("dana", cls.shelter, Role.CASEWORKER)
        cls.sam = make_user("sam", cls.shelter, Role.SUPERVISOR)
        cls.sid = make_user("sid", cls.shelter, Role.SCREENER)
        cls.cleo = make_user("cleo", cls.clinic, Role.CASEWORKER)

    def refer(self, **overrides: Any) -> Referral:
        values: dict[str, Any] = {
            "by": self.alice,
            "to_organisation": self.shelter,
            "reasons": ["Shelter"],
            "urgency": Referral.Urgency.URGENT,
            "legal_basis": Referral.LegalBasis.CHILD_PROTECTION,
            "shared_tier": Tier.NARRATIVE,
            "message": "Needs a place tonight.",
        }
        values.update(overrides)
        return services.create_referral(self.alice_case, **values)

    def moved(self, referral: Referral, *path: str) -> Referral:
        """Walks a referral along `path`, each step by the side that may take it."""
        steps = {
            "acknowledge": lambda r: services.acknowledge_referral(r, by=self.dana),
            "accept": lambda r: services.accept_referral(r, by=self.dana),
            "decline": lambda r: services.decline_referral(
                r, by=self.dana, reason=Referral.DeclineReason.NO_CAPACITY
            ),
            "redirect": lambda r: services.redirect_referral(
                r, by=self.dana, to_organisation=self.clinic
            ),
            "start_service": lambda r: services.start_service(r, by=self.dana),
            "complete": lambda r: services.complete_referral(r, by=self.dana),
            "withdraw": lambda r: services.withdraw_referral(
                r, by=self.alice, reason="The family moved away."
            ),
        }
        for step in path:
            result = steps[step](referral)
            referral = Referral.objects.get(pk=referral.pk)
            if step == "redirect":
                self.onward = result
        return referral


class TransitionTests(ReferralTestCase):
    def test_sending_puts_the_referral_in_the_recipients_inbox_with_deadlines(
        self,
    ) -> None:
        with time_machine.travel(
            datetime(2026, 11, 27, 16, 0, tzinfo=ALMATY), tick=False
        ):
            referral = self.refer()
        self.assertEqual(referral.status, Status.SENT)
        self.assertEqual(
            referral.acknowledge_by, datetime(2026, 11, 28, 16, 0, tzinfo=ALMATY)
        )
        # Three working days from a Friday: Monday to Wednesday.
        self.assertEqual(referral.decide_by, datetime(2026, 12, 3, 0, 0, tzinfo=ALMATY))
        told = Notification.objects.filter(kind="referral_received")
        self.assertEqual({n.recipient for n in told}, {self.dana, self.sam})
        self.assertTrue(
            CaseEvent.objects.filter(
                case=self.alice_case, kind=CaseEvent.Kind.REFERRAL
            ).exists()
        )
        self.assertTrue(AuditEvent.objects.filter(action="referral.send").exists())

    def test_every_path_of_the_status_machine_ends_where_it_should(self) -> None:
        paths = {
            ("acknowledge", "accept", "start_service", "complete"): Status.COMPLETED,
            ("accept",): Status.ACCEPTED,
            ("acknowledge", "decline"): Status.DECLINED,
            ("decline",): Status.DECLINED,
            ("redirect",): Status.REDIRECTED,
            ("acknowledge", "redirect"): Status.REDIRECTED,
            ("withdraw",): Status.WITHDRAWN,
            ("acknowledge", "withdraw"): Status.WITHDRAWN,
            ("accept", "withdraw"): Status.WITHDRAWN,
            ("accept", "start_service", "withdraw"): Status.WITHDRAWN,
        }
        for path, end in paths.items():
            with self.subTest(path=path):
                self.assertEqual(self.moved(self.refer(), *path).status, end)

    def test_a_draft_can_be_sent_or_withdrawn_and_nothing_else(self) -> None:
        draft = self.refer(send=False)
        self.assertEqual(draft.status, Status.DRAFT)
        for step in (
            "acknowledge",
            "accept",
            "decline",
            "redirect",
            "start_service",
            "complete",
        ):
            with self.subTest(step=step), self.assertRaises(ServiceError):
                self.moved(draft, step)
        self.assertEqual(
            services.send_referral(draft, by=self.alice).status, Status.SENT
        )

    def test_transitions_not_in_the_machine_are_refused_and_change_nothing(
        self,
    ) -> None:
        refused = {
            (): ("start_service", "complete"),
            ("acknowledge",): ("acknowledge", "start_service", "complete"),
            ("accept",): ("acknowledge", "accept", "decline", "redirect", "complete"),
            ("decline",): ("acknowledge", "accept", "decline", "withdraw", "complete"),
            ("accept", "start_service", "complete"): ("withdraw", "accept", "complete"),
            ("withdraw",): ("withdraw", "accept", "acknowledge"),
        }
        for path, steps in refused.items():
            for step in steps:
                with self.subTest(path=path, step=step):
                    referral = self.moved(self.refer(), *path)
                    with self.assertRaises(ServiceError):
                        self.moved(referral, step)
                    after = Referral.objects.get(pk=referral.pk)
                    self.assertEqual(
                        (after.status, after.version),
                        (referral.status, referral.version),
                    )

    def test_only_the_recipient_side_acts_on_a_received_referral(self) -> None:
        referral = self.refer()
        for user in (self.alice, self.bob, self.carol, self.cleo, self.sid):
            with self.subTest(user=user.username):
                with self.assertRaises(ServiceError):
                    services.accept_referral(referral, by=user)
                with self.assertRaises(ServiceError):
                    services.acknowledge_referral(referral, by=user)
        self.assertEqual(
            services.acknowledge_referral(referral, by=self.sam).status,
            Status.ACKNOWLEDGED,
        )

    def test_only_the_referring_side_withdraws(self) -> None:
        referral = self.moved(self.refer(), "accept")  # dana is on the team now
        for user in (self.dana, self.sam, self.carol, self.bob):  # bob only observes
            with self.subTest(user=user.username), self.assertRaises(ServiceError):
                services.withdraw_referral(
                    referral, by=user, reason="No longer needed."
                )

    def test_a_referral_to_a_named_person_may_be_taken_by_that_person(self) -> None:
        referral = self.refer(to_user=self.sid)
        self.assertIn("accept", services.allowed_actions(self.sid, referral))
        accepted = services.accept_referral(referral, by=self.sid)
        self.assertEqual(accepted.status, Status.ACCEPTED)

    def test_accepting_puts_the_accepting_person_on_the_case_team(self) -> None:
        referral = self.moved(self.refer(), "accept")
        member = CaseMember.objects.active().get(case=self.alice_case, user=self.dana)
        self.assertEqual(member.role, CaseMember.Role.SERVICE_PROVIDER)
        self.assertIsNotNone(referral.decided_at)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.alice, kind="referral_accepted"
            ).exists()
        )

    def test_declining_needs_a_reason_and_explaining_other(self) -> None:
        referral = self.refer()
        with self.assertRaises(ServiceError):
            services.decline_referral(referral, by=self.dana, reason="")
        with self.assertRaises(ServiceError):
            services.decline_referral(
                referral, by=self.dana, reason=Referral.DeclineReason.OTHER
            )
        declined = services.decline_referral(
            referral,
            by=self.dana,
            reason=Referral.DeclineReason.OTHER,
            detail="We only take girls over 14.",
        )
        self.assertEqual(declined.decline_detail, "We only take girls over 14.")

    def test_redirecting_keeps_the_chain_and_sends_on_to_the_third_organisation(
        self,
    ) -> None:
        first = self.moved(self.refer(), "redirect")
        onward = self.onward
        self.assertEqual(first.status, Status.REDIRECTED)
        self.assertEqual(onward.redirected_from, first)
        self.assertEqual(onward.status, Status.SENT)
        self.assertEqual(onward.from_organisation, self.shelter)
        self.assertEqual(onward.to_organisation, self.clinic)
        self.assertEqual(onward.shared_tier, first.shared_tier)
        self.assertEqual(
            services.accept_referral(onward, by=self.cleo).status, Status.ACCEPTED
        )

    def test_redirecting_back_to_the_sender_or_to_oneself_is_refused(self) -> None:
        referral = self.refer()
        for org in (self.agency_a, self.shelter):
            with self.subTest(org=org.name_en), self.assertRaises(ServiceError):
                services.redirect_referral(referral, by=self.dana, to_organisation=org)

    def test_a_stale_version_is_refused_so_two_agencies_never_overwrite_each_other(
        self,
    ) -> None:
        referral = self.refer()
        seen = referral.version
        services.accept_referral(referral, by=self.dana, expected_version=seen)
        with self.assertRaises(StaleEdit):
            services.decline_referral(
                referral,
                by=self.sam,
                reason=Referral.DeclineReason.NO_CAPACITY,
                expected_version=seen,
            )
        self.assertEqual(Referral.objects.get(pk=referral.pk).status, Status.ACCEPTED)

    def test_unknown_reasons_urgencies_and_foreign_consents_are_refused(self) -> None:
        other_consent = Consent.objects.create(
            case=self.carol_case,
            purpose=Consent.Purpose.SHARING,
            given_by=Consent.GivenBy.REPRESENTATIVE,
            max_tier=Tier.HEALTH,
            how_obtained="Signed form",
            recorded_by=self.carol,
        )
        bad: dict[str, Any]
        for bad in (
            {"reasons": []},
            {"reasons": ["Spa holiday"]},
            {"urgency": "whenever"},
            {"legal_basis": "because"},
            {"shared_tier": 9},
            {"consent": other_consent},
            {"to_user": self.cleo},
        ):
            with self.subTest(bad=bad), self.assertRaises(ServiceError):
                self.refer(**bad)
        self.assertFalse(Referral.objects.exists())

    def test_a_user_who_cannot_change_the_case_cannot_refer_it(self) -> None:
        with self.assertRaises((ServiceError, Http404, Exception)):
            services.create_referral(
                self.alice_case,
                by=self.carol,
                to_organisation=self.shelter,
                reasons=["Shelter"],
                urgency=Referral.Urgency.ROUTINE,
                legal_basis=Referral.LegalBasis.CHILD_PROTECTION,
                shared_tier=Tier.IDENTITY,
            )
        self.assertFalse(Referral.objects.exists())


class ConsentTests(ReferralTestCase):
    def consent(self, **overrides: Any) -> Consent:
        values: dict[str, Any] = {
            "case": self.alice_case,
            "purpose": Consent.Purpose.SHARING,
            "organisation": self.shelter,
            "given_by": Consent.GivenBy.BOTH,
            "max_tier": Tier.HEALTH,
            "how_obtained": "Easy-read form, read with the child",
            "recorded_by": self.alice,
        }
        values.update(overrides)
        return Consent.objects.create(**values)

    def test_sharing_health_details_without_consent_is_refused(self) -> None:
        with self.assertRaises(ServiceError) as refused:
            self.refer(shared_tier=Tier.HEALTH)
        self.assertEqual(refused.exception.field, "shared_tier")
        self.assertFalse(Referral.objects.exists())

    def test_a_current_consent_covering_the_recipient_allows_it(self) -> None:
        referral = self.refer(shared_tier=Tier.HEALTH, consent=self.consent())
        self.assertEqual(referral.status, Status.SENT)

    def test_a_withdrawn_or_narrower_consent_does_not(self) -> None:
        from django.utils import timezone

        for consent in (
            self.consent(withdrawn_at=timezone.now()),
            self.consent(max_tier=Tier.NARRATIVE),
            self.consent(organisation=self.clinic),
            self.consent(purpose=Consent.Purpose.RESEARCH),
        ):
            with self.subTest(consent=consent.pk), self.assertRaises(ServiceError):
                self.refer(shared_tier=Tier.HEALTH, consent=consent)

    def test_an_override_with_a_reason_is_allowed_and_audited(self) -> None:
        referral = self.refer(
            shared_tier=Tier.HEALTH,
            override_reason="The child is injured; the shelter nurse must know now.",
        )
        self.assertEqual(referral.status, Status.SENT)
        event = AuditEvent.objects.get(action="referral.consent_override")
        self.assertEqual(event.details["tier"], Tier.HEALTH)

    def test_criminal_procedure_shares_criminal_details_with_the_police_only(
        self,
    ) -> None:
        to_police = self.refer(
            to_organisation=self.agency_b,
            reasons=["LawEnforcement"],
            legal_basis=Referral.LegalBasis.CRIMINAL_PROCEDURE,
            shared_tier=Tier.CRIMINAL,
        )
        self.assertEqual(to_police.status, Status.SENT)
        with self.assertRaises(ServiceError):
            self.refer(
                legal_basis=Referral.LegalBasis.CRIMINAL_PROCEDURE,
                shared_tier=Tier.CRIMINAL,
            )


class RecipientAccessTests(ReferralTestCase):
    def test_the_recipient_sees_only_the_shared_tiers_and_cannot_write(self) -> None:
        self.refer(shared_tier=Tier.IDENTITY)
        access = effective_access(self.dana, self.alice_case)
        assert access is not None
        self.assertEqual(
            (access.basis, access.max_tier, access.can_write),
            (Basis.REFERRAL, Tier.IDENTITY, False),
        )
        self.assertIn(self.alice_case, Case.objects.visible_to(self.dana))

    def test_joining_the_team_by_accepting_gives_the_role_its_usual_reach(self) -> None:
        self.moved(self.refer(shared_tier=Tier.IDENTITY), "accept")
        access = effective_access(self.dana, self.alice_case)
        assert access is not None
        self.assertEqual(access.basis, Basis.TEAM)
        self.assertTrue(access.can_write)

    def test_access_ends_when_the_referral_is_declined_or_withdrawn(self) -> None:
        for path in (("decline",), ("withdraw",)):
            with self.subTest(path=path):
                self.moved(self.refer(), *path)
                self.assertIsNone(effective_access(self.dana, self.alice_case))
                with self.assertRaises(Http404):
                    access_case(self.dana, self.alice_case.number)

    def test_staff_without_a_case_role_and_other_organisations_see_nothing(
        self,
    ) -> None:
        self.refer()
        for user in (self.sid, self.cleo, self.carol):
            with self.subTest(user=user.username):
                self.assertIsNone(effective_access(user, self.alice_case))
                self.assertNotIn(self.alice_case, Case.objects.visible_to(user))


class CaseLifecycleTests(ReferralTestCase):
    """The case's own status machine (domain.md §5.3): forward along the NRM path."""

    def test_every_move_the_machine_allows_is_made_and_every_other_refused(
        self,
    ) -> None:
        from qorgau.cases import services as case_services

        for start in Case.Status.values:
            for target in Case.Status.values:
                allowed = target in Case.next_statuses(start)
                with self.subTest(start=start, target=target, allowed=allowed):
                    Case.objects.filter(pk=self.alice_case.pk).update(status=start)
                    case = Case.objects.get(pk=self.alice_case.pk)
                    if allowed:
                        moved = case_services.change_case_status(
                            case,
                            status=target,
                            by=self.alice,
                            reason="other",
                            detail="Family moved.",
                        )
                        self.assertEqual(moved.status, target)
                    else:
                        with self.assertRaises(ServiceError):
                            case_services.change_case_status(
                                case,
                                status=target,
                                by=self.alice,
                                reason="Family moved.",
                            )
                        self.assertEqual(Case.objects.get(pk=case.pk).status, start)

    def test_the_path_only_goes_forward_and_closed_cases_stay_closed(self) -> None:
        self.assertNotIn(Case.Status.DRAFT, Case.next_statuses(Case.Status.REFERRED))
        self.assertIn(
            Case.Status.ASSISTANCE_ACTIVE, Case.next_statuses(Case.Status.FOLLOW_UP)
        )
        for closed in Case.CLOSED_STATUSES:
            self.assertEqual(Case.next_statuses(closed), [])
        self.assertNotIn(
            Case.Status.CLOSED_NOT_VICTIM,
            Case.next_statuses(Case.Status.ASSISTANCE_ACTIVE),
        )

    def test_readers_cannot_change_the_status(self) -> None:
        from django.core.exceptions import PermissionDenied

        from qorgau.cases import services as case_services

        with self.assertRaises(PermissionDenied):
            case_services.change_case_status(
                self.alice_case, status=Case.Status.REFERRED, by=self.bob
            )
