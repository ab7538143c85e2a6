"""One child's way through the referral mechanism in Kazakh, in Debian's chromium: the caseworker
records that the child screened positive and refers her to a shelter, the shelter accepts, a
supervisor records a reasonable-grounds decision, the caseworker assesses the child's best
interests (her views heard in sign language), the supervisor determines them with a panel, and
the caseworker closes the case. axe-core checks each new page.

Buttons and links are found by role and by the words the server's catalogue gives them; form
fields by name and id, so the walk holds in any language whether or not it is translated yet.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from qorgau.agencies.models import Ministry, User
from qorgau.agencies.roles import Role
from qorgau.best_interests.models import BestInterestsDetermination
from qorgau.cases import services as case_services
from qorgau.cases.models import Case, CaseMember
from qorgau.cases.tests.test_browser import (
    assert_no_axe_violations,
    log_in,
    reference_data,  # noqa: F401 - a fixture
    translated,
)
from qorgau.reference.loading import load_calendar
from qorgau.reference.models import CalendarDay, Region
from qorgau.referrals.models import Referral
from qorgau.test import child, make_org, make_user

pytestmark = pytest.mark.browser
LANG = "kk"


@pytest.fixture
def people(live_server: LiveServer, reference_data: None) -> dict[str, User]:  # noqa: F811
    if not CalendarDay.objects.exists():
        load_calendar(CalendarDay)
    almaty = Region.objects.get(code="KZ-75")
    agency = make_org("Agency A", almaty)
    shelter = make_org("Shelter", almaty, ministry=Ministry.NONE, type_code="NGO")
    return {
        "alice": make_user("alice", agency, Role.CASEWORKER, first_name="Алия"),
        "vera": make_user("vera", agency, Role.SUPERVISOR, first_name="Вера"),
        "dana": make_user("dana", shelter, Role.CASEWORKER, first_name="Дана"),
    }


@pytest.fixture
def case(people: dict[str, User]) -> Case:
    opened = case_services.open_case(child(), by=people["alice"])
    case_services.add_team_member(
        opened, user=people["vera"], role=CaseMember.Role.CASEWORKER, by=people["alice"]
    )
    return opened


def t(message: str) -> str:
    return translated(LANG, message)


def test_a_child_goes_from_a_positive_screening_to_closure_in_kazakh(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    people: dict[str, User],
    case: Case,
) -> None:
    case_url = f"{live_server.url}/{LANG}/cases/{case.number}/"

    # The caseworker records the positive screening, then refers the child to the shelter.
    log_in(page, live_server, people["alice"], LANG)
    page.goto(case_url)
    page.locator("#id_status").select_option("screening_positive")
    page.get_by_role("button", name=t("Change the status")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The status was changed."))
    assert Case.objects.get(pk=case.pk).status == Case.Status.SCREENING_POSITIVE
    page.get_by_role("link", name=t("Refer to another organisation")).click()
    shelter_option = page.locator("#id_to_organisation option", has_text="Shelter")
    page.locator("#id_to_organisation").select_option(
        value=shelter_option.get_attribute("value")
    )
    page.get_by_label(t("Shelter")).check()
    page.get_by_label(t("Urgent")).check()
    page.locator("#id_message").fill("Бүгін түнде баспана керек.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name=t("Send the referral")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.SENT

    # The shelter finds it in its inbox and accepts it.
    shelter = browser.new_context().new_page()
    log_in(shelter, live_server, people["dana"], LANG)
    nav = shelter.get_by_role("navigation", name=t("Main"))
    nav.get_by_role("link", name=re.compile(re.escape(t("Inbox")))).click()
    assert_no_axe_violations(shelter)
    shelter.get_by_role("link", name=case.number).click()
    expect(shelter.locator("main")).to_contain_text("Бүгін түнде баспана керек.")
    assert_no_axe_violations(shelter)
    shelter.get_by_role("button", name=t("Accept and join the case team")).click()
    expect(shelter.get_by_role("status")).to_contain_text(
        t("The referral was accepted: you are now on the case team.")
    )
    shelter.context.close()

    # The supervisor, a competent authority, records a reasonable-grounds decision.
    supervisor = browser.new_context().new_page()
    log_in(supervisor, live_server, people["vera"], LANG)
    supervisor.goto(case_url)
    supervisor.locator("#id_request-kind").select_option("reasonable_grounds")
    supervisor.get_by_role("button", name=t("Ask for the decision")).click()
    supervisor.get_by_label(t("Positive")).check()
    supervisor.locator("textarea[name$=-reasons]").fill("Екі ұйым белгілерді растады.")
    supervisor.get_by_role("button", name=t("Record the decision")).click()
    expect(supervisor.get_by_role("status")).to_contain_text(
        t("The decision was recorded.")
    )
    expect(supervisor.locator("main")).to_contain_text(
        t("Recovery and reflection period")
    )
    assert_no_axe_violations(supervisor)

    assess_best_interests(page, case_url, people)
    determine_best_interests(supervisor, case_url, people)
    supervisor.context.close()

    # The caseworker closes the case with a reason.
    page.goto(case_url)
    page.locator("#id_status").select_option("closed")
    page.locator("#id_reason").select_option("reintegrated")
    page.locator("#id_detail").fill("Бала отбасына қауіпсіз оралды.")
    page.get_by_role("button", name=t("Change the status")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The status was changed."))
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.closure_reason) == (
        Case.Status.CLOSED,
        "reintegrated",
    )
    assert closed.referrals.get().status == Referral.Status.ACCEPTED
    determination = BestInterestsDetermination.objects.get(case=closed)
    assert determination.determined_by == people["vera"]
    assert determination.option.option == "Апасының қасында тұру"


def assess_best_interests(page: Page, case_url: str, people: dict[str, User]) -> None:
    """The caseworker hears the child in sign language, weighs two options and completes."""
    page.goto(case_url)
    page.get_by_role(
        "link", name=t("Best-interests assessment and determination")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Best interests"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name=t("Start a best-interests assessment")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The assessment was started."))

    vera = people["vera"].pk
    page.locator(f"input[name=bia-team_participants][value='{vera}']").check()
    page.locator("#id_bia-other_participants").fill("Апасы; ымдау тілінің аудармашысы")
    page.locator("input[name=bia-views_method][value=sign_language]").check()
    for accommodation in ("sign_interpreter", "pictograms", "breaks"):
        page.locator(f"input[name=bia-accommodations][value={accommodation}]").check()
    page.locator("#id_bia-views_language").select_option("sign")
    page.locator("#id_bia-child_views").fill(
        "Апамның қасында тұрып, өз мектебіме барғым келеді."
    )
    page.locator("input[name=bia-maturity_considered][value=true]").check()
    page.locator("#id_bia-findings_safety").fill(
        "Жалдаушы отбасының мекенжайын біледі."
    )
    page.locator("#id_bia-findings_wishes").fill("Апасының қасында қалғысы келеді.")
    page.get_by_role("button", name=t("Save the assessment")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The assessment was saved."))
    expect(page.locator("main")).to_contain_text("өз мектебіме барғым келеді")

    for option, pro, contra in (
        ("Апасының қасында тұру", "Баланың тілегі; мектеп", "Алыс"),
        ("Ата-анасына оралу", "Отбасы", "Жалдаушы мекенжайды біледі"),
    ):
        page.locator("#id_option-option").fill(option)
        page.locator("#id_option-arguments_for").fill(pro)
        page.locator("#id_option-arguments_against").fill(contra)
        page.get_by_role("button", name=t("Add the option")).click()
        expect(page.get_by_role("status")).to_contain_text(t("The option was added."))
    assert_no_axe_violations(page)
    page.get_by_role("button", name=t("Complete the assessment")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("The assessment was completed. It now awaits the determination.")
    )


def determine_best_interests(
    supervisor: Page, case_url: str, people: dict[str, User]
) -> None:
    """The supervisor, with the caseworker on the panel, chooses the aunt's home."""
    supervisor.goto(case_url)
    supervisor.get_by_role(
        "link", name=t("Best-interests assessment and determination")
    ).click()
    assert_no_axe_violations(supervisor)
    supervisor.get_by_label("Апасының қасында тұру").check()
    supervisor.locator("#id_determine-reasons").fill(
        "Баланың тілегі мен қауіпсіздігі апасының үйін көрсетеді."
    )
    alice = people["alice"].pk
    supervisor.locator(f"input[name=determine-panel][value='{alice}']").check()
    supervisor.locator("#id_determine-panel_others").fill("Баланың заңды өкілі")
    supervisor.locator("input[name=determine-explained_to_child][value=true]").check()
    supervisor.locator("#id_determine-explanation_method").select_option(
        "sign_language"
    )
    supervisor.get_by_role("button", name=t("Record the determination")).click()
    expect(supervisor.get_by_role("status")).to_contain_text(
        t("The best interests were determined.")
    )
    expect(supervisor.locator("main")).to_contain_text("Апасының қасында тұру")
    assert_no_axe_violations(supervisor)
