"""The screening pages: start, one section at a time, review, result; who may see what."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.management import call_command

from qorgau.agencies.models import Ministry
from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.cases import services as case_services
from qorgau.cases.models import CaseMember
from qorgau.protection import services as protection_services
from qorgau.referrals.models import Referral
from qorgau.screening.models import InstrumentVersion, Screening
from qorgau.screening.tests.answers import lowest
from qorgau.test import BaseTestCase, child, make_org, make_user

SCHOOL = "school-vulnerability"


class ScreeningPageTests(BaseTestCase):
    def setUp(self) -> None:
        call_command("import_instruments", "--publish", stdout=io.StringIO())
        self.teacher = make_user("tom", self.agency_a, Role.SCREENER)
        self.head = make_user("vera", self.agency_a, Role.SUPERVISOR)
        self.version = InstrumentVersion.objects.get(instrument__code=SCHOOL)
        self.definition = self.version.parsed

    def start(self, mode: str = "standard", language: str = "en") -> Screening:
        self.login(self.teacher)
        response = self.client.post(
            f"/en/screening/start/{SCHOOL}/",
            {"setting": "school", "mode": mode, "language": language,
             "participation": ["easy_read", "pictograms"],
             "accommodations": ["quiet_room"]},
        )  # fmt: skip
        screening = Screening.objects.get()
        self.assertRedirects(
            response,
            f"/en/screening/{screening.reference}/section/1/",
            fetch_redirect_response=False,
        )
        return screening

    def post_section(
        self, screening: Screening, part: int, data: dict[str, Any]
    ) -> Any:
        screening.refresh_from_db()
        shown = [i.code for i in self.items_on(screening, part)]
        return self.client.post(
            f"/en/screening/{screening.reference}/section/{part}/",
            {**data, "shown": shown, "version": screening.row_version, "save": "1"},
        )

    def items_on(self, screening: Screening, part: int) -> list[Any]:
        from qorgau.screening import scoring

        sections = scoring.visible(self.definition, screening.answers or {})
        return sections[part - 1][1]

    def answer_everything_no(self, screening: Screening) -> None:
        part = 1
        while True:
            screening.refresh_from_db()
            data = {i.code: lowest(i) for i in self.items_on(screening, part)}
            response = self.post_section(screening, part, data)
            self.assertEqual(response.status_code, 302, response.content[:2000])
            if response["Location"].endswith("/review/"):
                return
            part = int(response["Location"].rstrip("/").split("/")[-1])

    def test_the_teacher_screens_one_section_at_a_time_and_sees_the_result_and_action(
        self,
    ) -> None:
        screening = self.start()
        page = self.client.get(f"/en/screening/{screening.reference}/section/1/")
        self.assertContains(page, "Part 1 of")
        self.assertContains(page, self.definition.sections[0].items[0].text.en)
        self.answer_everything_no(screening)
        review = self.client.get(f"/en/screening/{screening.reference}/review/")
        self.assertContains(review, "Review the answers")
        screening.refresh_from_db()
        done = self.client.post(
            f"/en/screening/{screening.reference}/review/",
            {
                "version": screening.row_version,
                "override_band": "",
                "override_reason": "",
            },
        )
        self.assertRedirects(
            done,
            f"/en/screening/{screening.reference}/result/",
            fetch_redirect_response=False,
        )
        result = self.client.get(f"/en/screening/{screening.reference}/result/")
        self.assertContains(result, "Negative")
        self.assertContains(result, self.definition.band("negative").action.en)
        self.assertContains(result, "Easy-read questions")
        self.assertContains(result, "A quiet room")
        self.assertEqual(result["Cache-Control"], "no-store")
        self.assertTrue(AuditEvent.objects.filter(action="screening.read").exists())

    def test_easy_read_wording_in_the_language_chosen_with_pictograms(self) -> None:
        screening = self.start(mode="easy_read", language="kk")
        page = self.client.get(f"/en/screening/{screening.reference}/section/1/")
        first = self.definition.sections[0].items[0]
        self.assertContains(page, first.easy_read.kk)
        self.assertContains(page, 'lang="kk"')
        pictured = next(i for i in self.items_on(screening, 1) if i.pictogram)
        self.assertContains(page, f"screening/pictograms/{pictured.pictogram}.svg")

    def test_a_missing_answer_is_named_and_the_others_are_kept(self) -> None:
        screening = self.start()
        items = self.items_on(screening, 1)
        required = [i for i in items if i.required]
        data = {i.code: lowest(i) for i in required[1:]}
        response = self.post_section(screening, 1, data)
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Answer this question.", status_code=422)
        screening.refresh_from_db()
        self.assertEqual(set(screening.answers), {i.code for i in required[1:]})

    def test_a_wrong_answer_is_named_and_what_was_typed_is_shown_again(self) -> None:
        screening = self.start()
        items = self.items_on(screening, 1)
        number = next(i for i in items if i.type == "number")
        data = {i.code: lowest(i) for i in items}
        data[number.code] = "seven"
        response = self.post_section(screening, 1, data)
        self.assertContains(response, "Enter a whole number.", status_code=422)
        self.assertContains(response, 'value="seven"', status_code=422)
        screening.refresh_from_db()
        self.assertFalse(screening.answers, "nothing saved")

    def test_changing_an_answer_brings_the_questions_it_opens(self) -> None:
        screening = self.start()
        part, gate, opened = self.gate_in_one_section(screening)
        response = self.client.post(
            f"/en/screening/{screening.reference}/section/{part}/",
            {gate.code: trigger(gate, opened), "version": screening.row_version},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, f'id="q-{opened.code}"')
        self.assertNotContains(response, "<html")

    def gate_in_one_section(self, screening: Screening) -> tuple[int, Any, Any]:
        for part, section in enumerate(self.definition.sections, start=1):
            for item in section.items:
                condition = item.show_if
                if condition and condition.op in ("equals", "includes", "at_least"):
                    gate = self.definition.item(condition.item)
                    if gate in section.items:
                        return part, gate, item
        self.fail("the school screen has a condition within a section")

    def test_another_organisation_gets_404_and_a_supervisor_reads_but_does_not_write(
        self,
    ) -> None:
        screening = self.start()
        self.login(self.carol)
        for path in ("section/1/", "review/", "result/"):
            with self.subTest(path=path):
                response = self.client.get(
                    f"/en/screening/{screening.reference}/{path}"
                )
                self.assertEqual(response.status_code, 404)
        self.login(self.head)
        response = self.client.get(f"/en/screening/{screening.reference}/section/1/")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get("/en/screening/").status_code, 200)

    def test_the_supervisor_sees_the_organisations_latest_screenings_newest_first(
        self,
    ) -> None:
        from qorgau.screening import services
        from qorgau.screening.access import recent_screenings_for

        made = [
            services.start_screening(self.version, by=who, setting="school")
            for who in (self.teacher, self.head, self.teacher)
        ]
        services.start_screening(
            self.version, by=make_user("zara", self.agency_b, Role.SCREENER),
            setting="school",
        )  # fmt: skip
        newest_first = [s.reference for s in reversed(made)]
        self.assertEqual(
            [s.reference for s in recent_screenings_for(self.head, 10)], newest_first
        )
        self.assertEqual(
            [s.reference for s in recent_screenings_for(self.head, 2)], newest_first[:2]
        )
        self.assertEqual(
            [s.reference for s in recent_screenings_for(self.teacher, 10)],
            [newest_first[0], newest_first[2]],
        )

    def test_roles_that_do_not_screen_have_no_screening_pages(self) -> None:
        analyst = make_user("ann", self.agency_a, Role.ANALYST)
        self.login(analyst)
        self.assertEqual(self.client.get("/en/screening/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/en/screening/start/{SCHOOL}/").status_code, 404
        )

    def completed(self, *, danger: bool) -> Screening:
        """A completed result: immediate danger, or positive by the screener's judgement."""
        from qorgau.screening import services

        screening = services.start_screening(
            self.version, by=self.teacher, setting="school"
        )
        answers = {i.code: lowest(i) for i in self.definition.all_items()}
        if danger:
            answers[self.danger_item.code] = "yes"
        screening, _errors = services.save_answers(
            screening, raw=answers, items=set(answers),
            expected_version=screening.row_version, by=self.teacher, complete_section=False,
        )  # fmt: skip
        screening, _errors = services.complete_screening(
            screening,
            expected_version=screening.row_version,
            by=self.teacher,
            override_band="" if danger else "positive",
            override_reason="" if danger else "She told me she is afraid to go home.",
        )
        return screening

    @property
    def danger_item(self) -> Any:
        return next(i for i in self.definition.all_items() if i.immediate_danger)

    def open_case_for(self, screening: Screening) -> Any:
        self.login(self.teacher)
        result = self.client.get(f"/en/screening/{screening.reference}/result/")
        self.assertContains(result, f"/en/cases/new/?screening={screening.reference}")
        created = self.client.post(
            "/en/cases/new/",
            {"screening": screening.reference, "confirm": "new",
             "child-given_name": "Айгүл", "child-family_name": "Серікова",
             "child-birth_date": "03.04.2013", "child-age_assessment": "documented",
             "child-sex": "female", "child-disability_status": "none",
             "case-case_type": "potential_victim", "case-priority": "urgent"},
        )  # fmt: skip
        self.assertEqual(created.status_code, 302, created.content[:3000])
        screening.refresh_from_db()
        self.assertEqual(screening.status, "referred")
        self.assertIsNone(screening.delete_after)
        return created

    def test_a_positive_result_opens_a_case_and_drafts_the_referral_from_the_answers(
        self,
    ) -> None:
        screening = self.completed(danger=False)
        created = self.open_case_for(screening)
        self.assertIn(f"?screening={screening.reference}", created["Location"])
        form = self.client.get(created["Location"])
        self.assertRegex(form.content.decode(), r'value="urgent"[^>]*checked')
        self.assertContains(form, self.definition.title.ru)  # the screening's language
        self.assertFalse(Referral.objects.exists())  # the screener sends it

    def test_immediate_danger_alerts_police_and_child_protection_of_the_region_at_once(
        self,
    ) -> None:
        police = make_org("Almaty police", self.almaty, ministry=Ministry.INTERNAL_AFFAIRS,
                          type_code="LawEnforcement")  # fmt: skip
        social = make_org("Almaty social protection", self.almaty,
                          type_code="SocialProtection")  # fmt: skip
        make_org("Almaty guardianship", self.almaty, type_code="GuardianshipAuthority")
        screening = self.completed(danger=True)
        self.login(self.teacher)
        self.assertContains(
            self.client.get(f"/en/screening/{screening.reference}/result/"),
            "immediate-danger referrals to the police and to child protection",
        )
        created = self.open_case_for(screening)
        screening.refresh_from_db()
        assert screening.case is not None
        self.assertEqual(created["Location"], f"/en/cases/{screening.case.number}/")
        sent = Referral.objects.order_by("to_organisation__name_en")
        self.assertEqual([r.to_organisation for r in sent], [police, social])
        for referral in sent:
            self.assertEqual(referral.status, "sent")
            self.assertEqual(referral.urgency, "immediate_danger")
            assert referral.acknowledge_by and referral.sent_at
            self.assertEqual(
                referral.acknowledge_by - referral.sent_at, timedelta(hours=1)
            )
            self.assertIn(self.danger_item.text.ru, referral.message)
        page = self.client.get(created["Location"])
        self.assertContains(
            page, "An immediate-danger referral was sent to Almaty police"
        )

    def test_a_region_without_police_is_named_for_the_screener_to_phone(self) -> None:
        make_org("Almaty social protection", self.almaty, type_code="SocialProtection")
        created = self.open_case_for(self.completed(danger=True))
        page = self.client.get(created["Location"])
        self.assertContains(page, "No organisation for police takes referrals")
        self.assertEqual(
            [r.to_organisation.name_en for r in Referral.objects.all()],
            ["Almaty social protection"],
        )


def trigger(gate: Any, opened: Any) -> Any:
    condition = opened.show_if
    if condition.op == "at_least":
        return condition.value
    if condition.op == "includes":
        return [condition.value]
    return condition.value


class StatisticsPageTests(BaseTestCase):
    def test_analysts_read_counts_and_item_rates_with_small_regional_counts_suppressed(
        self,
    ) -> None:
        call_command("import_instruments", "--publish", stdout=io.StringIO())
        from qorgau.screening import services

        teacher = make_user("tom", self.agency_a, Role.SCREENER)
        version = InstrumentVersion.objects.get(instrument__code=SCHOOL)
        definition = version.parsed
        danger = next(i for i in definition.all_items() if i.immediate_danger)
        for n in range(3):
            screening = services.start_screening(version, by=teacher, setting="school")
            answers = {i.code: lowest(i) for i in definition.all_items()}
            if n == 0:
                answers[danger.code] = "yes"
            screening, _errors = services.save_answers(
                screening, raw=answers, items=set(answers),
                expected_version=screening.row_version, by=teacher, complete_section=False,
            )  # fmt: skip
            services.complete_screening(
                screening, expected_version=screening.row_version, by=teacher
            )
        # The immediate-danger result is referred, and its child identified afterwards.
        supervisor = make_user("vera", self.agency_a, Role.SUPERVISOR)
        referred = Screening.objects.get(band="immediate_danger")
        case = case_services.open_case(child("Дана", "Серік"), by=teacher)
        services.link_case(referred, case, by=teacher)
        case_services.add_team_member(
            case, user=supervisor, role=CaseMember.Role.CASEWORKER, by=teacher
        )
        protection_services.decide(
            case, kind="reasonable_grounds", outcome="positive",
            reasons="Her account and the school's observations agree.", by=supervisor,
        )  # fmt: skip
        analyst = make_user("ann", self.agency_a, Role.ANALYST)
        self.login(analyst)
        page = self.client.get("/en/screening/statistics/").content.decode()
        self.assertIn("<td>2</td><td>0</td><td>1</td><td>3</td>", page)  # by instrument
        # 1 positive, 1 referred, 1 identified: 100 % of referred and of positive
        self.assertIn(
            "<td>1</td><td>1</td><td>1</td><td>100 %</td><td>100 %</td>", page
        )
        self.assertIn("<td>&lt;11</td><td>0</td><td>&lt;11</td><td>&lt;11</td>", page)
        self.assertIn(danger.text.en, page)
        self.assertIn("33 %", page)
        self.login(teacher)
        self.assertEqual(self.client.get("/en/screening/statistics/").status_code, 403)
