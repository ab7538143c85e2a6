"""A school psychologist screens a child on a phone, in Russian, with the easy-read wording, in
Debian's chromium; axe-core checks each page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.cases.tests.test_browser import (
    assert_no_axe_violations,
    log_in,
    reference_data,  # noqa: F401 - a fixture
    translated,
)
from qorgau.reference.models import Region
from qorgau.screening import scoring, services
from qorgau.screening.definition import Item
from qorgau.screening.models import InstrumentVersion, Screening
from qorgau.screening.tests.answers import lowest
from qorgau.test import make_org, make_user

pytestmark = pytest.mark.browser
LANG = "ru"
SCHOOL = "school-vulnerability"
PHONE: ViewportSize = {"width": 390, "height": 844}
WAIT = 20_000  # ms: CI shares two cores between the suite and the browser


def t(message: str) -> str:
    return translated(LANG, message)


@pytest.fixture
def psychologist(live_server: LiveServer, reference_data: None) -> User:  # noqa: F811
    call_command("import_instruments", "--publish", stdout=io.StringIO())
    school = make_org("School 12", Region.objects.get(code="KZ-75"))
    return make_user("aigerim", school, Role.SCREENER, first_name="Айгерим")


def test_a_screening_on_a_phone_in_russian_with_easy_read_wording(
    page: Page, live_server: LiveServer, psychologist: User
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server, psychologist, LANG)
    page.goto(f"{live_server.url}/{LANG}/screening/")
    assert_no_axe_violations(page)
    definition = InstrumentVersion.objects.get(instrument__code=SCHOOL).parsed
    page.get_by_role("link", name=definition.title.ru).click()
    page.get_by_label(t("Easy-read wording"), exact=True).check()
    page.get_by_label("Русский", exact=True).check()
    page.get_by_label(t("Easy-read questions")).check()
    page.get_by_label(t("Pictograms")).check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=t("Start")).click()

    first = definition.sections[0].items[0]
    expect(page.locator("main")).to_contain_text(first.easy_read.ru, timeout=WAIT)
    assert_no_axe_violations(page)
    # A section may come back once more: when its answers showed new questions as it was
    # saved, the server asks them too.
    for _attempt in range(2 * len(definition.sections)):
        if "/review/" in page.url:
            break
        screening = Screening.objects.get()
        answers = dict(screening.answers or {})
        part = int(page.url.rstrip("/").split("/")[-1])
        for item in scoring.visible(definition, answers)[part - 1][0].items:
            if page.locator(f"#q-{item.code}").count():
                answer(page, item)
        # Saving is a plain form post: wait for the page it leads to, never a step ahead of it.
        with page.expect_navigation(timeout=WAIT):
            page.get_by_role("button", name=t("Save and continue")).or_(
                page.get_by_role("button", name=t("Save and review"))
            ).click()
        page.wait_for_load_state("networkidle")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Review the answers"), timeout=WAIT
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name=t("Complete")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t("Negative"), timeout=WAIT
    )
    expect(page.get_by_role("status")).to_contain_text(
        definition.band("negative").action.ru, timeout=WAIT
    )
    assert Screening.objects.get().result == "negative"
    assert_no_axe_violations(page)


def answer(page: Page, item: Item) -> None:
    """The answer that scores least, as a person would give it; htmx may redraw the section."""
    value = lowest(item)
    code = item.code
    if isinstance(value, list):
        for v in value:
            page.locator(f"input[name='{code}'][value='{v}']").check()
    elif item.type in ("yes_no", "single", "scale"):
        page.locator(f"input[name='{code}'][value='{value}']").check()
    elif value is not None and value != "":
        page.locator(f"[name='{code}']").fill(str(value))
    page.wait_for_load_state("networkidle")


def test_the_statistics_page_in_kazakh_has_no_axe_violations(
    page: Page, live_server: LiveServer, psychologist: User
) -> None:
    analyst = make_user("dana", psychologist.organisation, Role.ANALYST)
    log_in(page, live_server, analyst, "kk")
    page.goto(f"{live_server.url}/kk/screening/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("kk", "Screening statistics"), timeout=WAIT
    )
    assert_no_axe_violations(page)


def test_the_instrument_editor_list_and_preview_in_kazakh_have_no_axe_violations(
    page: Page, live_server: LiveServer, psychologist: User
) -> None:
    editor = make_user("edna", psychologist.organisation, Role.EDITOR)
    log_in(page, live_server, editor, "kk")
    page.goto(f"{live_server.url}/kk/screening/instruments/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("kk", "Screening instruments"), timeout=WAIT
    )
    assert_no_axe_violations(page)
    page.goto(
        f"{live_server.url}/kk/screening/instruments/{SCHOOL}/v1/preview/"
        "?_language=kk&_mode=easy_read"
    )
    definition = InstrumentVersion.objects.get(instrument__code=SCHOOL).parsed
    last_seen = definition.item("last_seen")  # asked after five days' absence
    expect(page.locator("#q-days_absent")).to_be_visible(timeout=WAIT)
    expect(page.locator("#q-last_seen")).to_have_count(0)
    assert_no_axe_violations(page)
    page.locator("[name='days_absent']").fill("7")
    page.locator("[name='days_absent']").press("Tab")  # a change: htmx redraws the part
    expect(page.locator("#q-last_seen")).to_contain_text(
        last_seen.easy_read.kk, timeout=WAIT
    )
    assert_no_axe_violations(page)
    assert not Screening.objects.exists()
    # A version's page, a new draft, and the confirmations to publish or delete it.
    published = InstrumentVersion.objects.get(instrument__code=SCHOOL)
    draft_text = published.source.replace("version: 1", "version: 2", 1)
    services.import_instrument(draft_text, by=editor)
    base = f"{live_server.url}/kk/screening/instruments/{SCHOOL}"
    for path in ("/v1/", "/new/", "/v2/", "/v2/publish/", "/v2/delete/"):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=WAIT)
        assert_no_axe_violations(page)
