from qorgau.cases import services
from qorgau.cases.models import Case, CaseEvent, Person
from qorgau.test import BaseTestCase


class CaseEditTests(BaseTestCase):
    def test_it_saves_a_change_and_puts_it_on_the_timeline(self) -> None:
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/edit/"
        response = self.client.post(
            url,
            {
                "type": "potential_victim",
                "priority": "urgent",
                "region": self.almaty.pk,
                "version": 1,
            },
        )
        self.assertEqual(response.status_code, 302)
        case = self.reload(self.alice_case)
        self.assertEqual((case.priority, case.version), ("urgent", 2))
        self.assertEqual(
            CaseEvent.objects.filter(case=case, kind="updated").get().params["fields"],
            ["type", "priority"],
        )

    def test_it_refuses_a_stale_edit_and_keeps_what_the_user_typed(self) -> None:
        services.update_case(
            self.alice_case,
            changes={"priority": "low"},
            expected_version=1,
            by=self.alice,
        )
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/edit/"
        response = self.client.post(
            url,
            {
                "type": "confirmed_victim",
                "priority": "urgent",
                "region": self.almaty.pk,
                "version": 1,
            },
        )
        self.assertContains(response, "Someone else changed this record")
        self.assertContains(response, '<option value="confirmed_victim" selected>')
        self.assertContains(response, 'name="version" value="2"')
        case = self.reload(self.alice_case)
        self.assertEqual((case.priority, case.type), ("low", "child_protection_risk"))

    def test_it_refuses_a_stale_edit_of_the_childs_details(self) -> None:
        child = self.alice_case.child
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/child/"
        form = {
            "given_name": "Жанара",
            "birth_date": "17.05.2012",
            "age_assessment": "documented",
            "sex": "female",
            "disability_status": "none",
            "version": 1,
        }
        self.assertEqual(self.client.post(url, form).status_code, 302)
        self.assertEqual(Person.objects.get(pk=child.pk).given_name, "Жанара")
        response = self.client.post(url, {**form, "given_name": "Zhanara"})
        self.assertContains(response, "Someone else changed this record")
        self.assertEqual(Person.objects.get(pk=child.pk).given_name, "Жанара")

    def test_it_requires_write_role(self) -> None:
        self.login(self.bob)
        url = f"/en/cases/{self.alice_case.number}/edit/"
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(
            self.client.post(url, {"priority": "low", "version": 1}).status_code, 403
        )

    def test_it_hides_other_agencies_cases(self) -> None:
        self.login(self.alice)
        self.assertEqual(
            self.client.get(f"/en/cases/{self.carol_case.number}/edit/").status_code,
            404,
        )

    def test_it_closes_a_case_only_with_a_reason(self) -> None:
        self.login(self.alice)
        url = f"/en/cases/{self.alice_case.number}/status/"
        self.client.post(url, {"status": "closed"})
        self.assertEqual(self.reload(self.alice_case).status, Case.Status.DRAFT)
        self.client.post(url, {"status": "closed", "reason": "transferred"})
        case = self.reload(self.alice_case)
        self.assertEqual((case.status, case.closure_reason), ("closed", "transferred"))
        self.assertIsNotNone(case.closed_at)


class NoteTierTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from qorgau.cases.access import effective_access

        access = effective_access(cls.alice, cls.alice_case)
        assert access is not None
        services.add_note(access, text="Lives with an aunt.", tier=1, by=cls.alice)
        services.add_note(
            access, text="Bruises seen by the school nurse.", tier=3, by=cls.alice
        )

    def test_it_shows_notes_up_to_the_tier_the_role_allows(self) -> None:
        from qorgau.cases.models import CaseMember
        from qorgau.test import make_user

        screener = make_user("sam", self.agency_a, "screener")
        services.add_team_member(
            self.alice_case, user=screener, role=CaseMember.Role.EDUCATOR, by=self.alice
        )
        self.login(screener)
        response = self.client.get(self.alice_case.get_absolute_url())
        self.assertContains(response, "Lives with an aunt.")
        self.assertNotContains(response, "Bruises")
        self.login(self.alice)
        self.assertContains(
            self.client.get(self.alice_case.get_absolute_url()), "Bruises"
        )

    def test_it_refuses_a_note_above_the_authors_tier(self) -> None:
        self.login(self.alice)
        self.client.post(
            f"/en/cases/{self.alice_case.number}/notes/",
            {"text": "Criminal intelligence", "tier": 4},
        )
        self.assertFalse(self.alice_case.notes.filter(tier=4).exists())


class UnchangedEditTests(BaseTestCase):
    def test_it_records_no_change_when_nothing_changed(self) -> None:
        from qorgau.cases.forms import PersonForm

        child = self.alice_case.child
        form = PersonForm(
            data={**PersonForm.initial_from(child), "birth_date": "17.05.2012"}
        )
        self.assertIs(form.is_valid(), True, form.errors)
        services.update_person(
            child,
            details=form.details(),
            expected_version=1,
            by=self.alice,
            case=self.alice_case,
        )
        self.assertEqual(Person.objects.get(pk=child.pk).version, 1)
        self.assertFalse(
            CaseEvent.objects.filter(
                case=self.alice_case, kind="child_updated"
            ).exists()
        )
