from qorgau.audit.models import AuditEvent
from qorgau.cases import services
from qorgau.cases.models import Case
from qorgau.test import BaseTestCase, child


class CaseListTests(BaseTestCase):
    second: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second = services.open_case(
            child(
                "Іңкәр",
                "Омарова",
                other_spellings=["INKAR OMAROVA"],
                birth_year=2010,
                birth_date=None,
            ),
            by=cls.alice,
        )

    def search(self, q: str, **params: str) -> list[str]:
        self.login(self.alice)
        response = self.client.get("/ru/cases/", {"q": q, **params})
        self.assertEqual(response.status_code, 200)
        return [row.number for row in response.context["rows"]]

    def test_it_finds_a_child_by_name_in_another_spelling(self) -> None:
        for q in (
            "Жанар",
            "ZHANAR",
            "Janar Kaiyrbekova",
            "Жанар Кайырбекова",
            "qaiyrbekova",
        ):
            with self.subTest(q=q):
                self.assertEqual(self.search(q), [self.alice_case.number])

    def test_it_finds_a_child_by_a_spelling_stored_as_another_known_spelling(
        self,
    ) -> None:
        self.assertEqual(self.search("Инкар Омарова"), [self.second.number])

    def test_it_finds_a_child_by_iin_through_the_blind_index(self) -> None:
        self.assertEqual(self.search("0612 1160 0012"), [self.alice_case.number])

    def test_it_finds_a_case_by_number(self) -> None:
        self.assertEqual(self.search(self.second.number), [self.second.number])

    def test_it_hides_other_agencies_cases(self) -> None:
        self.assertEqual(self.search("Әділ"), [])
        self.assertEqual(self.search(""), [self.second.number, self.alice_case.number])

    def test_it_filters_by_priority(self) -> None:
        self.assertEqual(self.search("", priority="high"), [self.alice_case.number])

    def test_it_paginates_by_twenty_five(self) -> None:
        for i in range(26):
            services.open_case(child("Асель", f"Тест{i}"), by=self.alice)
        self.login(self.alice)
        response = self.client.get("/ru/cases/")
        self.assertEqual(len(response.context["rows"]), 25)
        self.assertEqual(response.context["page"].paginator.num_pages, 2)

    def test_it_records_the_cases_shown_in_one_event(self) -> None:
        before = AuditEvent.objects.count()
        self.search("")
        event = AuditEvent.objects.get(id__gt=before)
        self.assertEqual(event.action, "case.list")
        self.assertEqual(
            event.details["cases"], [self.second.number, self.alice_case.number]
        )

    def test_it_answers_htmx_with_the_results_fragment_only(self) -> None:
        self.login(self.alice)
        response = self.client.get(
            "/ru/cases/", {"q": "Жанар"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, self.alice_case.number)
        self.assertNotContains(response, "<html")

    def test_it_sends_no_store_on_pages_with_personal_data(self) -> None:
        self.login(self.alice)
        response = self.client.get(self.alice_case.get_absolute_url())
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_it_stops_counting_past_the_cap_and_says_so(self) -> None:
        from unittest import mock

        self.login(self.alice)
        with mock.patch("qorgau.lib.pagination.COUNT_CAP", 1):
            response = self.client.get("/en/cases/")
        self.assertContains(response, "More than 1 cases")
        self.assertEqual(len(response.context["rows"]), 2)

    def test_it_shows_the_same_cases_whichever_way_visibility_is_computed(self) -> None:
        from unittest import mock

        from qorgau.agencies.roles import Role
        from qorgau.test import make_user

        sara = make_user("sara", self.agency_b, Role.SUPERVISOR)
        for user in (self.alice, self.bob, self.carol, sara):
            sparse = list(Case.objects.visible_to(user).order_by("pk"))
            with mock.patch("qorgau.cases.access.DENSE_MEMBERSHIPS", 1):
                dense = list(Case.objects.visible_to(user).order_by("pk"))
            with self.subTest(user=user.username):
                self.assertEqual(dense, sparse)
                self.assertNotIn(
                    self.carol_case
                    if user != self.carol and user != sara
                    else self.alice_case,
                    dense,
                )
