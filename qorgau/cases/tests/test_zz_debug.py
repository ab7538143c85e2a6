from qorgau.cases.tests.test_browser import log_in, alice, alice_case, page, pytestmark, AXE, AXE_TAGS  # noqa

def test_dbg(page, live_server, alice, alice_case):
    def run():
        r = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
        print(page.url, "violations", [(v["id"], [n["target"] for n in v["nodes"]]) for v in r["violations"]], "passes", len(r["passes"]), "incomplete", [(i["id"], [n["target"] for n in i["nodes"]][:3]) for i in r["incomplete"]])
    lang = "ru"
    page.goto(f"{live_server.url}/{lang}/login/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill("wrong")
    page.locator("button[type=submit].primary").click()
    page.wait_for_load_state()
    run()
    log_in(page, live_server, alice, lang)
    page.goto(f"{live_server.url}/{lang}/cases/new/")
    page.locator("button[type=submit].primary").click()
    page.wait_for_load_state()
    run()
    print(page.locator("#id_child-given_name").evaluate("e => e.outerHTML"))
    page.locator("#id_child-given_name").fill("Жанар")
    page.locator("#id_child-family_name").fill("Кайырбекова")
    page.locator("#id_child-birth_date").fill("17.05.2012")
    page.locator("button[type=submit].primary").first.click()
    page.wait_for_load_state()
    run()
    page.locator(".matches button.primary").click()
    page.wait_for_load_state()
    run()
    page.goto(f"{live_server.url}/{lang}/cases/")
    page.locator("#id_q").fill("Zhanar")
    page.locator("form[role=search] button.primary").click()
    page.wait_for_timeout(500)
    run()
    print(page.locator("#id_q").evaluate("e => e.outerHTML"))
