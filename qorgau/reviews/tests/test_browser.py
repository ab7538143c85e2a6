"""A caseworker reviews a case, closes it with a reason and follows the child up, in Russian,
in Debian's chromium; axe-core checks each page."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.cases import services as case_services
from qorgau.cases.models import Case
from qorgau.cases.tests.test_browser import (
    assert_no_axe_violations,
    log_in,
    reference_data,  # noqa: F401 - a fixture
    translated,
)
from qorgau.reference.models import Region
from qorgau.reviews.models import CaseReview, FollowUp
from qorgau.test import child, make_org, make_user

pytestmark = pytest.mark.browser
LANG = "ru"


def t(message: str) -> str:
    return translated(LANG, message)


@pytest.fixture
def alice(live_server: LiveServer, reference_data: None) -> User:  # noqa: F811
    agency = make_org("Agency A", Region.objects.get(code="KZ-75"))
    return make_user("alice", agency, Role.CASEWORKER, first_name="Алия")


def test_a_case_is_reviewed_closed_with_a_reason_and_followed_up(
    page: Page, live_server: LiveServer, alice: User
) -> None:
    case = case_services.open_case(child(), by=alice, priority=Case.Priority.URGENT)
    log_in(page, live_server, alice, LANG)
    page.goto(f"{live_server.url}/{LANG}/cases/{case.number}/")
    page.get_by_role("link", name=t("Reviews, closure and follow-up")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    assert_no_axe_violations(page)

    page.get_by_label("Алия").check()
    page.get_by_label(t("Others who took part")).fill("Ребёнок и мать")
    page.get_by_label(t("Summary of the review")).fill("Ребёнок вернулся в школу.")
    page.get_by_label(t("Continue as planned")).check()
    page.get_by_role("button", name=t("Record the review")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The review was recorded."))
    expect(page.locator("main")).to_contain_text("Ребёнок вернулся в школу.")
    assert CaseReview.objects.filter(case=case, status="held").count() == 1
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/{LANG}/cases/{case.number}/")
    page.locator("#id_status").select_option("closed")
    page.locator("#id_reason").select_option("reintegrated")
    page.get_by_role("button", name=t("Change the status")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The status was changed."))
    assert_no_axe_violations(page)

    page.get_by_role("link", name=t("Reviews, closure and follow-up")).click()
    six = FollowUp.objects.get(case=case, months=6)
    form = page.locator(f"form[action$='/follow-ups/{six.pk}/']")
    form.get_by_label(t("Yes"), exact=True).check()
    form.get_by_label(t("How"), exact=True).select_option("home_visit")
    form.get_by_label(t("Safe and stable"), exact=True).check()
    form.get_by_role("button", name=t("Record the follow-up")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The follow-up was recorded."))
    assert FollowUp.objects.get(pk=six.pk).status == FollowUp.Status.DONE
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/{LANG}/")
    assert_no_axe_violations(page)
