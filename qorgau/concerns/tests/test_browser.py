"""A child reports a concern in Kazakh with the easy-read form, in Debian's chromium, and adds
to it later with the code; the browser's proof of work stands in for the question. The
helpline's operator then reads it in the inbox. axe-core checks each page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.cases.tests.test_browser import (
    assert_no_axe_violations,
    log_in,
    reference_data,  # noqa: F401 - a fixture
    translated,
)
from qorgau.concerns.models import ConcernReport
from qorgau.reference.models import Region
from qorgau.test import make_org, make_user

pytestmark = pytest.mark.browser
LANG = "kk"
WAIT = 20_000  # ms: CI shares two cores between the suite and the browser
WORRY = "Менің досымды басқа қалаға жұмысқа апарды, ол үйге қайта алмайды."


def t(message: str) -> str:
    return translated(LANG, message)


@pytest.fixture
def helpline(live_server: LiveServer, reference_data: None) -> User:  # noqa: F811
    """The helpline's operator, whose inbox the reports land in."""
    line = make_org("Almaty helpline", Region.objects.get(code="KZ-75"))
    line.services = ["hotline"]
    line.save()
    return make_user("olga", line, Role.CASEWORKER)


def test_a_child_reports_a_concern_in_kazakh_and_adds_to_it_with_the_code(
    page: Page, live_server: LiveServer, helpline: User
) -> None:
    page.goto(f"{live_server.url}/{LANG}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Report a concern about a child")
    )
    assert_no_axe_violations(page)
    page.get_by_role("link", name=t("Easy-read form")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Tell us about a child")
    )
    # The page's script proves the work: the question goes away without an answer.
    expect(page.locator(".challenge-status")).to_have_text(
        t("Your browser has checked that a person sends this form: no need to answer."),
        timeout=WAIT,
    )
    assert_no_axe_violations(page)
    page.get_by_label(t("I am worried about another child")).check()
    page.get_by_role("group", name=t("Is someone hurting the child now?")).get_by_label(
        t("No"), exact=True
    ).check()
    page.get_by_label(t("Where are you?")).select_option(label="Алматы облысы")
    page.get_by_label(t("What happened?")).fill(WORRY)
    page.get_by_role("button", name=t("Send")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Your report was sent"), timeout=WAIT
    )
    assert_no_axe_violations(page)
    code = page.locator(".reference").inner_text()
    assert re.fullmatch(r"QR-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    report = ConcernReport.objects.get(reference=code)
    assert (report.concern, report.language, report.easy_read) == (WORRY, "kk", True)

    page.get_by_role("link", name=t("Add information later")).click()
    assert_no_axe_violations(page)
    page.get_by_label(t("Your reference code")).fill(code.lower())
    page.get_by_role("button", name=t("Continue")).click()
    expect(page.get_by_text(t("Received; waiting to be read"))).to_be_visible()
    expect(page.locator(".challenge-status")).not_to_be_empty(timeout=WAIT)
    assert_no_axe_violations(page)
    page.get_by_label(t("What do you want to add?")).fill("Оның аты Дана, 14 жаста.")
    page.get_by_role("button", name=t("Send")).click()
    expect(page.get_by_role("status")).to_contain_text(code, timeout=WAIT)
    assert_no_axe_violations(page)
    assert report.additions.get().text == "Оның аты Дана, 14 жаста."

    # The helpline's operator reads it in the inbox, with what was added.
    page.context.clear_cookies()
    log_in(page, live_server, helpline, LANG)
    page.goto(f"{live_server.url}/{LANG}/concerns/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=code).click()
    expect(page.get_by_text(WORRY)).to_be_visible()
    expect(page.get_by_text("Оның аты Дана, 14 жаста.")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_page_that_asks_a_flood_to_wait_has_no_axe_violations(
    page: Page, live_server: LiveServer, helpline: User, settings: Any
) -> None:
    settings.QORGAU_CONCERN_RATES = {
        "report": "5/h", "report_all": "600/h", "lookup": "0/h", "lookup_all": "600/h"
    }  # fmt: skip
    page.goto(f"{live_server.url}/{LANG}/report/follow-up/")
    page.get_by_label(t("Your reference code")).fill("QR-2222-2222")
    page.get_by_role("button", name=t("Continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Please wait a little"), timeout=WAIT
    )
    assert_no_axe_violations(page)
