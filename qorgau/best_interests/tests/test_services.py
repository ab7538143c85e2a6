"""Best-interests assessments and determinations: every step, who may take it and who may not."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from qorgau.agencies.models import Notification
from qorgau.agencies.roles import CAPABILITIES, Role, roles_with
from qorgau.audit.models import AuditEvent
from qorgau.best_interests import services
from qorgau.best_interests.models import (
    BestInterestsAppeal,
    BestInterestsAssessment,
    BestInterestsDetermination,
)
from qorgau.best_interests.tests.helpers import CHILD_VIEWS, BestInterestsTestCase
from qorgau.cases import services as case_services
from qorgau.cases.errors import ServiceError, StaleEdit
from qorgau.cases.models import Case, CaseEvent, CaseMember

ALMATY = ZoneInfo("Asia/Almaty")
AStatus = BestInterestsAssessment.Status
DStatus = BestInterestsDetermination.Status
Outcome = BestInterestsAppeal.Outcome


class CapabilityTests(BestInterestsTestCase):
    def test_only_supervisors_and_regional_coordinators_determine_best_interests(
        self,
    ) -> None:
        self.assertEqual(
            sorted(roles_with("determines_best_interests")),
            sorted([Role.SUPERVISOR, Role.REGIONAL_COORDINATOR]),
        )
        self.assertIs(CAPABILITIES[Role.CASEWORKER].determines_best_interests, False)


class AssessmentTests(BestInterestsTestCase):
    def test_a_caseworker_starts_an_assessment_and_is_recorded_as_taking_part(
        self,
    ) -> None:
        assessment = self.start()
        self.assertEqual(assessment.status, AStatus.IN_PROGRESS)
        self.assertEqual(list(assessment.team_participants.all()), [self.alice])
        self.assertIsNone(assessment.reviews)

    def test_an_observer_may_not_start_or_change_an_assessment(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.start(by=self.bob)
        assessment = self.start()
        with self.assertRaises(PermissionDenied):
            services.update_assessment(
                assessment, changes={"child_views": "…"}, by=self.bob
            )
        with self.assertRaises(PermissionDenied):
            services.add_option(
                assessment,
                option="A shelter",
                arguments_for="Safe",
                arguments_against="",
                by=self.bob,
            )
        with self.assertRaises(PermissionDenied):
            services.cancel_assessment(assessment, reason="No.", by=self.bob)

    def test_another_agency_cannot_even_find_the_assessment(self) -> None:
        with self.assertRaises(Http404):
            self.start(by=self.carol)
        assessment = self.start()
        with self.assertRaises(Http404):
            services.update_assessment(
                assessment, changes={"child_views": "…"}, by=self.carol
            )
        with self.assertRaises(Http404):
            services.complete_assessment(assessment, by=self.carol)

    def test_one_assessment_is_in_progress_at_a_time_and_none_on_a_closed_case(
        self,
    ) -> None:
        self.start()
        with self.assertRaisesMessage(ServiceError, "already in progress"):
            self.start(by=self.vera)
        case_services.change_case_status(
            self.carol_case,
            status=Case.Status.CLOSED,
            reason="reintegrated",
            by=self.carol,
        )
        with self.assertRaisesMessage(ServiceError, "The case is closed."):
            services.start_assessment(self.carol_case, by=self.carol)

    def test_the_childs_views_findings_and_options_are_encrypted_at_rest(self) -> None:
        self.completed()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT child_views, findings_health, other_participants "
                "FROM best_interests_bestinterestsassessment"
            )
            stored = [bytes(v) for row in cursor.fetchall() for v in row if v]
            cursor.execute(
                "SELECT option, arguments_for FROM best_interests_bestinterestsoption"
            )
            stored += [bytes(v) for row in cursor.fetchall() for v in row if v]
        self.assertEqual(len(stored), 7)
        for plain in ("тёти", "Hearing", "переводчик", "aunt", "wish"):
            self.assertFalse(any(plain.encode() in value for value in stored), plain)
        self.assertEqual(BestInterestsAssessment.objects.get().child_views, CHILD_VIEWS)

    def test_a_writer_below_the_health_tier_cannot_change_the_health_finding(
        self,
    ) -> None:
        assessment = self.start()
        with self.assertRaisesMessage(ServiceError, "does not reach") as caught:
            services.update_assessment(
                assessment, changes={"findings_health": ""}, by=self.sam
            )
        self.assertEqual(caught.exception.field, "findings_health")
        services.update_assessment(
            assessment, changes={"findings_safety": "Safe at school."}, by=self.sam
        )
        self.assertEqual(self.reload(assessment).findings_safety, "Safe at school.")

    def test_only_members_of_the_case_team_are_named_as_taking_part(self) -> None:
        assessment = self.start()
        with self.assertRaisesMessage(ServiceError, "Only members of the case team"):
            services.update_assessment(
                assessment, changes={"team_participants": [self.carol]}, by=self.alice
            )

    def test_unknown_choices_are_refused_by_field(self) -> None:
        assessment = self.start()
        for changes, field in (
            ({"views_method": "telepathy"}, "views_method"),
            ({"views_language": "xx"}, "views_language"),
            ({"accommodations": ["magic"]}, "accommodations"),
            ({"status": "completed"}, "status"),
        ):
            with self.subTest(field=field), self.assertRaises(ServiceError) as caught:
                services.update_assessment(assessment, changes=changes, by=self.alice)
            self.assertEqual(caught.exception.field, field)

    def test_a_stale_edit_is_refused_and_nothing_is_saved(self) -> None:
        assessment = self.start()
        services.update_assessment(
            assessment,
            changes={"child_views": "First."},
            by=self.alice,
            expected_version=1,
        )
        with self.assertRaises(StaleEdit) as caught:
            services.update_assessment(
                assessment,
                changes={"child_views": "Second."},
                by=self.vera,
                expected_version=1,
            )
        self.assertEqual(caught.exception.current_version, 2)
        self.assertEqual(self.reload(assessment).child_views, "First.")

    def test_completing_needs_the_childs_voice_maturity_safety_and_two_options(
        self,
    ) -> None:
        assessment = self.start()
        steps: list[tuple[str, dict[str, Any]]] = [
            ("views_method", {"views_method": "spoken"}),
            ("child_views", {"child_views": "I want to go to school."}),
            ("views_language", {"views_language": "other"}),
            ("views_language_other", {"views_language_other": "Uzbek"}),
            ("maturity_considered", {"maturity_considered": False}),
            ("maturity_note", {"maturity_note": "She is seven; weighed with care."}),
            ("findings_safety", {"findings_safety": "No contact with the recruiter."}),
        ]
        for field, fix in steps:
            with self.subTest(field=field), self.assertRaises(ServiceError) as caught:
                services.complete_assessment(assessment, by=self.alice)
            self.assertEqual(caught.exception.field, field)
            services.update_assessment(assessment, changes=fix, by=self.alice)
        services.add_option(
            assessment,
            option="School boarding",
            arguments_for="School",
            arguments_against="",
            by=self.alice,
        )
        with self.assertRaisesMessage(ServiceError, "at least two options"):
            services.complete_assessment(assessment, by=self.alice)
        services.add_option(
            assessment,
            option="Home",
            arguments_for="",
            arguments_against="Risk",
            by=self.alice,
        )
        done = services.complete_assessment(assessment, by=self.sam)
        self.assertEqual(done.status, AStatus.COMPLETED)
        self.assertEqual(done.completed_by, self.sam)
        with self.assertRaisesMessage(ServiceError, "Only an assessment in progress"):
            services.update_assessment(
                done, changes={"child_views": "Later."}, by=self.alice
            )

    def test_views_not_obtained_need_a_reason_and_a_childs_silence_is_respected(
        self,
    ) -> None:
        assessment = self.fill(
            self.start(), views_method="not_obtained", child_views="", views_language=""
        )
        with self.assertRaisesMessage(ServiceError, "could not be obtained") as caught:
            services.complete_assessment(assessment, by=self.alice)
        self.assertEqual(caught.exception.field, "views_not_obtained_reason")
        services.update_assessment(
            assessment,
            changes={
                "views_method": "chose_not",
                "views_not_obtained_reason": "",
            },
            by=self.alice,
        )
        done = services.complete_assessment(assessment, by=self.alice)
        self.assertIsNone(
            done.child_views
        )  # chosen silence needs no words and no language

    def test_options_are_added_and_removed_only_while_in_progress(self) -> None:
        assessment = self.fill(self.start())
        with self.assertRaisesMessage(ServiceError, "Describe the option"):
            services.add_option(
                assessment,
                option=" ",
                arguments_for="x",
                arguments_against="",
                by=self.alice,
            )
        with self.assertRaisesMessage(ServiceError, "for or against"):
            services.add_option(
                assessment,
                option="Shelter",
                arguments_for="",
                arguments_against="",
                by=self.alice,
            )
        first = self.option(assessment)
        services.remove_option(first, by=self.alice)
        self.assertEqual(assessment.options.count(), 1)
        with self.assertRaises(StaleEdit):
            services.remove_option(
                self.option(assessment), by=self.alice, expected_version=1
            )

    def test_an_assessment_is_cancelled_with_a_reason_but_not_once_determined(
        self,
    ) -> None:
        assessment = self.start()
        with self.assertRaisesMessage(ServiceError, "reason for cancelling"):
            services.cancel_assessment(assessment, reason=" ", by=self.alice)
        cancelled = services.cancel_assessment(
            assessment, reason="Opened twice by mistake.", by=self.alice
        )
        self.assertEqual(cancelled.status, AStatus.CANCELLED)
        with self.assertRaisesMessage(ServiceError, "already cancelled"):
            services.cancel_assessment(cancelled, reason="Again.", by=self.alice)
        # A completed assessment not yet determined can still be cancelled…
        services.cancel_assessment(self.completed(), reason="Moved.", by=self.alice)
        # …a determined one cannot.
        determination = self.determined()
        with self.assertRaisesMessage(ServiceError, "determined assessment"):
            services.cancel_assessment(
                determination.assessment, reason="No.", by=self.alice
            )

    def test_a_completed_assessment_awaiting_determination_blocks_a_new_one(
        self,
    ) -> None:
        self.completed()
        with self.assertRaisesMessage(ServiceError, "awaits its determination"):
            self.start()


class DeterminationTests(BestInterestsTestCase):
    def test_only_a_supervisor_or_regional_coordinator_on_the_case_determines(
        self,
    ) -> None:
        assessment = self.completed()
        decision = self.determining(assessment)
        for user in (self.alice, self.pete, self.sam):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(ServiceError, "Only a supervisor"),
            ):
                services.determine(assessment, decision=decision, by=user)
        with self.assertRaises(PermissionDenied):
            services.determine(assessment, decision=decision, by=self.bob)
        with self.assertRaises(Http404):
            services.determine(assessment, decision=decision, by=self.carol)
        made = services.determine(assessment, decision=decision, by=self.rita)
        self.assertEqual(made.status, DStatus.DETERMINED)
        self.assertEqual(made.determined_by, self.rita)
        self.assertEqual(list(made.panel.all()), [self.alice])

    def test_a_regional_coordinator_off_the_team_only_reads_the_case(self) -> None:
        assessment = self.completed()
        CaseMember.objects.filter(user=self.rita).update(removed_at=timezone.now())
        with self.assertRaises(PermissionDenied):
            services.determine(
                assessment, decision=self.determining(assessment), by=self.rita
            )

    def test_an_assessment_in_progress_cannot_be_determined_and_a_determined_one_only_once(
        self,
    ) -> None:
        assessment = self.fill(self.start())
        with self.assertRaisesMessage(ServiceError, "Only a completed assessment"):
            services.determine(
                assessment, decision=self.determining(assessment), by=self.vera
            )
        services.complete_assessment(assessment, by=self.alice)
        services.determine(
            assessment, decision=self.determining(assessment), by=self.vera
        )
        with self.assertRaisesMessage(ServiceError, "has been determined"):
            services.determine(
                assessment, decision=self.determining(assessment), by=self.rita
            )

    def test_a_determination_needs_an_option_reasons_a_panel_and_an_explanation(
        self,
    ) -> None:
        assessment = self.completed()
        elsewhere = services.start_assessment(self.carol_case, by=self.carol)
        services.add_option(
            elsewhere,
            option="x",
            arguments_for="y",
            arguments_against="",
            by=self.carol,
        )
        today = timezone.localdate()
        cases: list[tuple[dict[str, Any], str]] = [
            ({"option": None}, "option"),
            ({"option": self.option(elsewhere)}, "option"),
            ({"reasons": "  "}, "reasons"),
            ({"panel": [], "panel_others": ""}, "panel"),
            ({"panel": [self.carol]}, "panel"),
            ({"determined_on": today + timedelta(days=1)}, "determined_on"),
            ({"determined_on": today - timedelta(days=1)}, "determined_on"),
            ({"review_date": today}, "review_date"),
            ({"explanation_method": "chose_not"}, "explanation_method"),
            (
                {"explained_to_child": False, "explanation_method": ""},
                "explanation_note",
            ),
        ]
        for overrides, field in cases:
            with self.subTest(field=field, overrides=overrides):
                with self.assertRaises(ServiceError) as caught:
                    services.determine(
                        assessment,
                        decision=self.determining(assessment, **overrides),
                        by=self.vera,
                    )
                self.assertEqual(caught.exception.field, field)
        made = services.determine(
            assessment,
            decision=self.determining(
                assessment,
                explained_to_child=False,
                explanation_method="spoken",
                explanation_note="She is in hospital; the guardian will tell her.",
                panel=[],
                review_date=today + timedelta(days=60),
            ),
            by=self.vera,
        )
        self.assertEqual(made.explanation_method, "")  # not explained: no method kept
        self.assertEqual(made.review_date, today + timedelta(days=60))

    def test_the_review_date_is_ninety_days_on_unless_the_panel_sets_one(self) -> None:
        with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=ALMATY), tick=False):
            made = self.determined()
        self.assertEqual(made.determined_on, date(2026, 11, 2))
        self.assertEqual(made.review_date, date(2027, 1, 31))
        with (
            override_settings(QORGAU_BEST_INTERESTS_REVIEW_DAYS=30),
            time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=ALMATY), tick=False),
        ):
            services.lodge_appeal(
                made, lodged_by="child", grounds="I was not heard.", by=self.alice
            )
            services.decide_appeal(
                made, outcome=Outcome.OVERTURNED, reasons="Not heard.", by=self.rita
            )
            again = services.determine(
                made.assessment,
                decision=self.determining(made.assessment),
                by=self.vera,
            )
        self.assertEqual(again.review_date, date(2026, 12, 2))

    def test_the_case_owner_is_told_of_the_determination(self) -> None:
        self.determined()
        told = Notification.objects.get(kind="best_interests_determined")
        self.assertEqual(told.recipient, self.alice)
        self.assertIn(self.alice_case.number, told.params["case_number"])


class AppealTests(BestInterestsTestCase):
    def test_an_appeal_by_the_child_is_upheld_by_someone_not_involved(self) -> None:
        made = self.determined()
        appeal = services.lodge_appeal(
            made,
            lodged_by="child",
            grounds="I want to live with my grandmother.",
            by=self.alice,
        )
        self.assertEqual(self.reload(made).status, DStatus.UNDER_APPEAL)
        self.assertTrue(
            Notification.objects.filter(
                kind="best_interests_appealed", recipient=self.vera
            ).exists()
        )
        for user, message in (
            (self.vera, "took no part"),  # made the determination
            (self.alice, "Only a supervisor"),  # on the panel, and no capability
        ):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(ServiceError, message),
            ):
                services.decide_appeal(
                    made, outcome=Outcome.UPHELD, reasons="x", by=user
                )
        with self.assertRaises(PermissionDenied):
            services.decide_appeal(
                made, outcome=Outcome.UPHELD, reasons="x", by=self.bob
            )
        decided = services.decide_appeal(
            made,
            outcome=Outcome.UPHELD,
            reasons="The grandmother cannot care for her.",
            by=self.rita,
        )
        self.assertEqual(decided.status, DStatus.APPEAL_DECIDED)
        appeal.refresh_from_db()
        self.assertEqual(appeal.outcome, Outcome.UPHELD)
        self.assertEqual(appeal.decided_by, self.rita)

    def test_a_panel_member_with_the_capability_does_not_decide_the_appeal(
        self,
    ) -> None:
        made = self.determined(panel=[self.rita])
        services.lodge_appeal(made, lodged_by="child", grounds="No.", by=self.alice)
        with self.assertRaisesMessage(ServiceError, "took no part"):
            services.decide_appeal(
                made, outcome=Outcome.UPHELD, reasons="x", by=self.rita
            )

    def test_an_appeal_may_change_the_option_chosen(self) -> None:
        made = self.determined()
        first, second = list(made.assessment.options.all())
        services.lodge_appeal(
            made,
            lodged_by="legal_representative",
            grounds="The aunt has moved abroad.",
            by=self.alice,
        )
        with self.assertRaisesMessage(ServiceError, "another option"):
            services.decide_appeal(
                made, outcome=Outcome.CHANGED, reasons="x", option=first, by=self.rita
            )
        with self.assertRaisesMessage(ServiceError, "options considered"):
            services.decide_appeal(
                made, outcome=Outcome.CHANGED, reasons="x", by=self.rita
            )
        changed = services.decide_appeal(
            made,
            outcome=Outcome.CHANGED,
            reasons="With the aunt abroad, home with support is safest.",
            option=second,
            by=self.rita,
        )
        self.assertEqual(changed.option, second)
        self.assertEqual(changed.appeal.option_before, first)

    def test_an_overturned_determination_is_set_aside_and_determined_again(
        self,
    ) -> None:
        made = self.determined()
        services.lodge_appeal(
            made, lodged_by="child", grounds="Nobody signed to me.", by=self.alice
        )
        services.decide_appeal(
            made,
            outcome=Outcome.OVERTURNED,
            reasons="The child was not heard in sign language.",
            by=self.rita,
        )
        self.assertEqual(self.reload(made).status, DStatus.SET_ASIDE)
        self.assertIsNone(services.determination_in_force(self.alice_case))
        assessment = made.assessment
        self.assertIs(assessment.awaits_determination(), True)
        again = services.determine(
            assessment,
            decision=self.determining(assessment, option=self.option(assessment, 1)),
            by=self.rita,
        )
        self.assertEqual(again.replaces, made)
        self.assertEqual(services.determination_in_force(self.alice_case), again)

    def test_an_appeal_needs_grounds_says_who_lodged_it_and_comes_once(self) -> None:
        made = self.determined()
        today = made.determined_on
        refused: list[tuple[dict[str, Any], str]] = [
            ({"lodged_by": "neighbour"}, "lodged_by"),
            ({"lodged_by": "other"}, "lodged_by_detail"),
            ({"grounds": " "}, "grounds"),
            ({"lodged_on": today + timedelta(days=1)}, "lodged_on"),
            ({"lodged_on": today - timedelta(days=1)}, "lodged_on"),
        ]
        for overrides, field in refused:
            values = {"lodged_by": "child", "grounds": "Not heard."} | overrides
            with self.subTest(field=field), self.assertRaises(ServiceError) as caught:
                services.lodge_appeal(made, by=self.alice, **values)
            self.assertEqual(caught.exception.field, field)
        with self.assertRaises(PermissionDenied):
            services.lodge_appeal(made, lodged_by="child", grounds="x", by=self.bob)
        services.lodge_appeal(
            made,
            lodged_by="other",
            lodged_by_detail="The school's social pedagogue",
            grounds="The school was not asked.",
            by=self.sam,
        )
        with self.assertRaisesMessage(ServiceError, "has not been appealed"):
            services.lodge_appeal(made, lodged_by="child", grounds="x", by=self.alice)

    def test_a_determination_not_under_appeal_has_no_appeal_to_decide(self) -> None:
        made = self.determined()
        with self.assertRaisesMessage(ServiceError, "not under appeal"):
            services.decide_appeal(
                made, outcome=Outcome.UPHELD, reasons="x", by=self.rita
            )

    def test_a_stale_appeal_decision_is_refused(self) -> None:
        made = self.determined()
        services.lodge_appeal(made, lodged_by="child", grounds="x", by=self.alice)
        with self.assertRaises(StaleEdit):
            services.decide_appeal(
                made,
                outcome=Outcome.UPHELD,
                reasons="x",
                by=self.rita,
                expected_version=made.version,
            )

    def test_appeal_grounds_and_reasons_are_encrypted_at_rest(self) -> None:
        made = self.determined()
        services.lodge_appeal(
            made, lodged_by="child", grounds="Grandmother's village", by=self.alice
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT grounds FROM best_interests_bestinterestsappeal")
            grounds = bytes(cursor.fetchone()[0])
            cursor.execute(
                "SELECT reasons FROM best_interests_bestinterestsdetermination"
            )
            reasons = bytes(cursor.fetchone()[0])
        self.assertNotIn(b"Grandmother", grounds)
        self.assertNotIn(b"aunt", reasons)


class ReviewTests(BestInterestsTestCase):
    def determined_on(self, day: datetime) -> BestInterestsDetermination:
        with time_machine.travel(day, tick=False):
            return self.determined()

    def test_the_case_owner_is_told_once_when_the_review_is_due(self) -> None:
        made = self.determined_on(datetime(2026, 11, 2, 10, tzinfo=ALMATY))
        # 31 January 2027 is the review date, in Almaty's day.
        self.assertEqual(
            services.report_reviews_due(datetime(2027, 1, 30, 23, 0, tzinfo=ALMATY)), 0
        )
        due = datetime(2027, 1, 31, 0, 30, tzinfo=ALMATY)
        self.assertEqual(services.report_reviews_due(due), 1)
        self.assertEqual(services.report_reviews_due(due + timedelta(days=1)), 0)
        self.assertEqual(self.reload(made).status, DStatus.REVIEW_DUE)
        told = Notification.objects.filter(kind="best_interests_review_due")
        self.assertEqual([n.recipient for n in told], [self.alice])
        self.assertTrue(
            CaseEvent.objects.filter(
                kind=CaseEvent.Kind.BEST_INTERESTS, params__step="review_due"
            ).exists()
        )

    def test_a_determination_under_appeal_or_on_a_closed_case_is_not_reported(
        self,
    ) -> None:
        made = self.determined_on(datetime(2026, 11, 2, 10, tzinfo=ALMATY))
        later = datetime(2027, 2, 15, 10, tzinfo=ALMATY)
        with time_machine.travel(datetime(2026, 11, 3, 10, tzinfo=ALMATY)):
            services.lodge_appeal(made, lodged_by="child", grounds="x", by=self.alice)
        self.assertEqual(services.report_reviews_due(later), 0)
        with time_machine.travel(datetime(2026, 11, 4, 10, tzinfo=ALMATY)):
            services.decide_appeal(
                made, outcome=Outcome.UPHELD, reasons="x", by=self.rita
            )
        case_services.change_case_status(
            self.alice_case,
            status=Case.Status.CLOSED,
            reason="reintegrated",
            by=self.alice,
        )
        self.assertEqual(services.report_reviews_due(later), 0)

    def test_a_review_starts_a_new_assessment_whose_determination_replaces_the_old(
        self,
    ) -> None:
        made = self.determined_on(datetime(2026, 11, 2, 10, tzinfo=ALMATY))
        services.report_reviews_due(datetime(2027, 2, 1, 10, tzinfo=ALMATY))
        review = self.start(by=self.pete)
        self.assertEqual(review.reviews, made)
        self.assertEqual(self.reload(made).status, DStatus.UNDER_REVIEW)
        with self.assertRaisesMessage(ServiceError, "has no determination in force"):
            services.in_force_on(review)
        services.complete_assessment(self.fill(review), by=self.alice)
        newer = services.determine(
            review, decision=self.determining(self.reload(review)), by=self.vera
        )
        self.assertEqual(self.reload(made).status, DStatus.REPLACED)
        self.assertEqual(services.determination_in_force(self.alice_case), newer)
        # The replaced assessment no longer waits for anything.
        self.assertIs(made.assessment.awaits_determination(), False)

    def test_a_cancelled_review_leaves_the_review_due(self) -> None:
        made = self.determined_on(datetime(2026, 11, 2, 10, tzinfo=ALMATY))
        services.report_reviews_due(datetime(2027, 2, 1, 10, tzinfo=ALMATY))
        review = self.start()
        services.cancel_assessment(review, reason="The wrong child.", by=self.alice)
        self.assertEqual(self.reload(made).status, DStatus.REVIEW_DUE)

    def test_an_early_review_cancelled_goes_back_to_waiting_for_its_date(self) -> None:
        made = self.determined()
        services.cancel_assessment(self.start(), reason="Too early.", by=self.alice)
        self.assertEqual(self.reload(made).status, DStatus.DETERMINED)
        with time_machine.travel(made.review_date + timedelta(days=1)):
            self.assertEqual(services.report_reviews_due(), 1)

    def test_a_determination_under_appeal_is_not_reviewed_until_decided(self) -> None:
        made = self.determined()
        services.lodge_appeal(made, lodged_by="child", grounds="x", by=self.alice)
        with self.assertRaisesMessage(ServiceError, "under appeal"):
            self.start()


class TrailTests(BestInterestsTestCase):
    def test_every_step_is_on_the_timeline_without_personal_data_and_audited(
        self,
    ) -> None:
        made = self.determined()
        services.lodge_appeal(made, lodged_by="child", grounds="Секрет", by=self.alice)
        services.decide_appeal(made, outcome="upheld", reasons="Секрет", by=self.rita)
        events = CaseEvent.objects.filter(kind=CaseEvent.Kind.BEST_INTERESTS)
        steps = {e.params["step"] for e in events}
        self.assertLessEqual(
            {"started", "updated", "option_added", "completed", "determined"}, steps
        )
        self.assertLessEqual({"appealed", "appeal_decided"}, steps)
        for event in events:
            text = str(event.params)
            self.assertNotIn("Секрет", text)
            self.assertNotIn("aunt", text)
            self.assertTrue(event.describe())
        actions = set(
            AuditEvent.objects.filter(action__startswith="best_interests.").values_list(
                "action", flat=True
            )
        )
        self.assertEqual(
            actions,
            {
                "best_interests.start",
                "best_interests.update",
                "best_interests.option_add",
                "best_interests.complete",
                "best_interests.determine",
                "best_interests.appeal",
                "best_interests.appeal_decide",
            },
        )
