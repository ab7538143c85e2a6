from qorgau.cases.models import Case, Person
from qorgau.test import BaseTestCase

FORM = {
    "child-family_name": "Кайырбекова",
    "child-given_name": "Жанар",
    "child-birth_date": "17.05.2012",
    "child-age_assessment": "documented",
    "child-sex": "female",
    "child-disability_status": "none",
    "case-case_type": "potential_victim",
    "case-priority": "high",
}


class CaseCreateTests(BaseTestCase):
    def test_it_shows_possible_existing_children_before_creating(self) -> None:
        self.login(self.alice)
        response = self.client.post("/en/cases/new/", FORM)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This child may already be known")
        self.assertContains(response, self.alice_case.number)
        self.assertEqual(Case.objects.count(), 2)

    def test_it_names_only_the_holding_organisation_of_a_child_the_user_cannot_see(
        self,
    ) -> None:
        self.login(self.carol)
        response = self.client.post("/en/cases/new/", FORM)
        self.assertContains(response, "records of this child are held by: Agency A")
        self.assertNotContains(response, self.alice_case.number)
        self.assertNotContains(response, "Қайырбекова")

    def test_it_creates_a_new_child_when_the_user_confirms_none_match(self) -> None:
        self.login(self.alice)
        response = self.client.post("/en/cases/new/", {**FORM, "confirm": "new"})
        case = Case.objects.order_by("-id").first()
        assert case is not None
        self.assertRedirects(
            response, case.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(
            (case.type, case.priority, case.owner, case.lead_organisation),
            ("potential_victim", "high", self.alice, self.agency_a),
        )
        self.assertNotEqual(case.child_id, self.alice_case.child_id)
        self.assertTrue(case.number.startswith("KZ75-"))

    def test_it_opens_a_new_case_for_a_known_child(self) -> None:
        self.login(self.alice)
        self.client.post(
            "/en/cases/new/", {**FORM, "existing_case": self.alice_case.number}
        )
        case = Case.objects.order_by("-id").first()
        assert case is not None
        self.assertEqual(case.child_id, self.alice_case.child_id)

    def test_it_refuses_to_reuse_a_child_the_user_cannot_see(self) -> None:
        self.login(self.carol)
        self.client.post(
            "/en/cases/new/",
            {**FORM, "existing_case": self.alice_case.number, "confirm": "new"},
        )
        case = Case.objects.order_by("-id").first()
        assert case is not None
        self.assertNotEqual(case.child_id, self.alice_case.child_id)

    def test_it_refuses_an_invalid_iin_with_a_translated_message_and_saves_nothing(
        self,
    ) -> None:
        self.login(self.alice)
        persons = Person.objects.count()
        response = self.client.post(
            "/ru/cases/new/", {**FORM, "child-iin": "061211600013", "confirm": "new"}
        )
        self.assertContains(response, "ИИН")
        self.assertEqual(Person.objects.count(), persons)

    def test_it_requires_a_date_of_birth_or_an_estimated_year(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/en/cases/new/", {**FORM, "child-birth_date": "", "confirm": "new"}
        )
        self.assertContains(response, "at least an estimated birth year")

    def test_it_asks_for_presumed_minority_when_the_age_is_over_eighteen(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/en/cases/new/",
            {**FORM, "child-birth_date": "01.01.2001", "confirm": "new"},
        )
        self.assertContains(response, "Presumed minor")
        ok = self.client.post(
            "/en/cases/new/",
            {
                **FORM,
                "child-birth_date": "01.01.2001",
                "child-age_assessment": "presumed_minor",
                "confirm": "new",
            },
        )
        self.assertEqual(ok.status_code, 302)

    def test_it_requires_a_role_that_opens_cases(self) -> None:
        from qorgau.test import make_user

        analyst = make_user("ana", self.agency_a, "analyst")
        self.login(analyst)
        self.assertEqual(self.client.get("/en/cases/new/").status_code, 403)
