"""Qorgau in Debian's chromium (docs/ux.md §3–§4): a caseworker's way through the case pages
in Kazakh and in Russian, axe-core on the main pages, and the keyboard on the case page.

Links and buttons are found by role and by the words the page shows, looked up in the message
catalogue the server itself uses (`translated`), so the tests follow the translators rather than
hard-code their words. Form fields are found by id; assertions are on case numbers and names.
"""

import re
from datetime import date
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from qorgau.agencies.models import User
from qorgau.agencies.roles import Role
from qorgau.cases import services
from qorgau.cases.models import Case
from qorgau.reference.loading import load_regions, load_vocabularies
from qorgau.reference.models import Region, Term
from qorgau.test import PASSWORD, child, make_org, make_user

pytestmark = pytest.mark.browser

LANGUAGES = ["kk", "ru"]
AXE = Axe()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_TAB_STOPS = 30


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The regions and vocabularies the migrations load, which live_server's flush empties.

    serialized_rollback cannot bring them back here: once Playwright has started, Django hands
    out a new connection object, without the serialized contents kept on the old one.
    """
    if not Region.objects.exists():
        load_regions(Region)
        load_vocabularies(Term)


@pytest.fixture
def alice(live_server: LiveServer, reference_data: None) -> User:
    """A caseworker in agency A, in Almaty."""
    agency_a = make_org("Agency A", Region.objects.get(code="KZ-75"))
    return make_user(
        "alice", agency_a, Role.CASEWORKER, first_name="Алия", last_name="Серікова"
    )


@pytest.fixture
def alice_case(alice: User) -> Case:
    """Alice's case for Жанар Қайырбекова, a girl born in 2012."""
    return services.open_case(child(), by=alice, priority=Case.Priority.HIGH)


@pytest.fixture
def page(page: Page) -> Page:
    """Chromium asks every site for /favicon.ico; answer here instead of with Django's 404."""
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return page


# Helpers ------------------------------------------------------------------------------------


def translated(lang: str, message: str) -> str:
    """The words the page shows for `message` in `lang`, from the server's own catalogue."""
    with translation.override(lang):
        return translation.gettext(message)


def log_in(page: Page, live_server: LiveServer, user: User, lang: str) -> None:
    page.goto(f"{live_server.url}/{lang}/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/")


def assert_no_axe_violations(page: Page) -> None:
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    }
    violations = AXE.run(page, options=options).response["violations"]
    report = "\n".join(
        f"* {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>\n"
        + "\n".join(
            f"    {node['target']}: {' '.join(node['failureSummary'].split())}"
            for node in v["nodes"]
        )
        for v in violations
    )
    assert not violations, f"axe-core on {page.url}:\n{report}"


def case_number_in(url: str) -> str:
    found = re.search(r"/cases/([^/]+)/$", url)
    assert found, url
    return found.group(1)


def focused_element(page: Page) -> dict[str, Any]:
    """Where the focused element is and whether anyone can see that it has the focus."""
    state: dict[str, Any] = page.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          const [w, h] = [window.innerWidth, window.innerHeight];
          const inView = box.width > 0 && box.height > 0
            && box.bottom > 0 && box.top < h && box.right > 0 && box.left < w;
          // The middle of its visible part must show the element itself, not a banner over it.
          const x = (Math.max(box.left, 0) + Math.min(box.right, w)) / 2;
          const y = (Math.max(box.top, 0) + Math.min(box.bottom, h)) / 2;
          const onTop = el.contains(document.elementFromPoint(x, y));
          const style = getComputedStyle(el);
          const outlined = (style.outlineStyle !== "none" && style.outlineWidth !== "0px")
            || style.boxShadow !== "none";
          return {
            element: el.outerHTML.slice(0, 100),
            isBody: el === document.body,
            inView, onTop, outlined,
          };
        }"""
    )
    return state


# The tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_opens_a_case_and_finds_it_by_the_childs_name_in_another_spelling(
    page: Page, live_server: LiveServer, alice: User, alice_case: Case, lang: str
) -> None:
    known = services.open_case(
        child("Асет", "Кайырбеков", birth_date=date(2013, 3, 14), sex="male"), by=alice
    )
    log_in(page, live_server, alice, lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    nav = page.get_by_role("navigation", name=translated(lang, "Main"))

    nav.get_by_role("link", name=translated(lang, "New case"), exact=True).click()
    page.locator("#id_child-given_name").fill("Әсет")
    page.locator("#id_child-family_name").fill("Қайырбеков")
    page.locator("#id_child-birth_date").fill("14.03.2013")
    page.locator("#id_child-sex").select_option("male")
    page.locator("button[type=submit].primary").click()

    # The same name in Russian spelling, born the same day: Qorgau asks before a second record.
    known_children = page.get_by_role(
        "region", name=translated(lang, "This child may already be known")
    )
    expect(known_children).to_contain_text(known.number)
    assert_no_axe_violations(page)
    known_children.get_by_role(
        "button", name=translated(lang, "None of these: register a new child")
    ).click()

    expect(page).to_have_url(re.compile(rf"/{lang}/cases/[^/]+/$"))
    number = case_number_in(page.url)
    assert number != known.number
    expect(page.get_by_role("status")).to_contain_text(number)
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.get_by_role("main")).to_contain_text("Қайырбеков Әсет")

    nav.get_by_role("link", name=translated(lang, "Cases"), exact=True).click()
    page.locator("#id_q").fill("Aset Kaiyrbekov")
    page.get_by_role("search").locator("button[type=submit].primary").click()

    results = page.locator("#results")
    expect(results.get_by_role("link", name=number, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=known.number, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=alice_case.number)).to_have_count(0)
    # htmx puts the new results in place of the old ones, not inside them.
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Қайырбеков Әсет")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_has_no_axe_violations_on_the_main_pages(
    page: Page, live_server: LiveServer, alice: User, alice_case: Case, lang: str
) -> None:
    page.goto(f"{live_server.url}/{lang}/login/")
    assert_no_axe_violations(page)
    log_in(page, live_server, alice, lang)
    for path in ["", "cases/", f"cases/{alice_case.number}/", "cases/new/"]:
        page.goto(f"{live_server.url}/{lang}/{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_has_no_axe_violations_on_the_inboxes_notifications_and_dashboard(
    page: Page, live_server: LiveServer, alice: User, alice_case: Case, lang: str
) -> None:
    vera = make_user(
        "vera",
        alice.organisation,
        Role.SUPERVISOR,
        Role.REGIONAL_COORDINATOR,
        region_scope=Region.objects.get(code="KZ-75"),
    )
    log_in(page, live_server, vera, lang)
    for path in [
        "referrals/inbox/",
        "referrals/mine/",
        "referrals/sent/",
        "notifications/",
        "dashboard/",
    ]:
        page.goto(f"{live_server.url}/{lang}/{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_no_axe_violations(page)


def test_it_starts_the_case_page_with_a_skip_link_to_the_main_content(
    page: Page, live_server: LiveServer, alice: User, alice_case: Case
) -> None:
    log_in(page, live_server, alice, "kk")
    page.goto(f"{live_server.url}/kk/cases/{alice_case.number}/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=translated("kk", "Skip to main content"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main :focus")).to_have_count(1)


def test_it_keeps_each_focused_element_in_view_and_visibly_focused_on_the_case_page(
    page: Page, live_server: LiveServer, alice: User, alice_case: Case
) -> None:
    """WCAG 2.4.7 and 2.4.11 (Minimum): in view at least in part, under nothing, outlined.

    Chromium scrolls only an element that is entirely out of view, so a tall one (the note's
    text area) may stay partly below the fold; the Minimum criterion allows that.
    """
    log_in(page, live_server, alice, "kk")
    page.goto(f"{live_server.url}/kk/cases/{alice_case.number}/")

    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = focused_element(page)
        if stop["isBody"]:  # past the last element of the page
            break
        stops.append(stop)

    assert len(stops) >= 20, [s["element"] for s in stops]
    hidden = [s["element"] for s in stops if not (s["inView"] and s["onTop"])]
    assert not hidden, f"focused but out of view or covered: {hidden}"
    unmarked = [s["element"] for s in stops if not s["outlined"]]
    assert not unmarked, f"focused without a visible focus indicator: {unmarked}"
