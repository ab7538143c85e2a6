"""The instrument editor's pages: list, version, new draft, preview, publish, delete a draft."""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from qorgau.agencies.roles import Role
from qorgau.audit.models import AuditEvent
from qorgau.screening import scoring, services
from qorgau.screening.models import InstrumentVersion, Screening
from qorgau.screening.tests.test_services import SCHOOL, school_file
from qorgau.test import BaseTestCase, make_user

CODE = "school-vulnerability"
LIST = "/en/screening/instruments/"
V1 = f"{LIST}{CODE}/v1/"
V2 = f"{LIST}{CODE}/v2/"
NEW = f"{LIST}{CODE}/new/"


def questions_html(response: Any) -> str:
    """The questions block of a section page, whitespace folded, without the screener's
    bookkeeping inputs."""
    html = response.content.decode()
    block = re.search(r'<div id="questions".*?</div>', html, re.DOTALL)
    assert block is not None, html[:2000]
    shown = re.sub(r'<input type="hidden" name="shown"[^>]*>', "", block.group())
    return " ".join(shown.split())


class EditorTestCase(BaseTestCase):
    editor: Any
    teacher: Any
    v1: InstrumentVersion

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.editor = make_user("edna", cls.agency_a, Role.EDITOR)
        cls.teacher = make_user("tom", cls.agency_a, Role.SCREENER)
        version, _stored = services.import_instrument(SCHOOL, by=cls.editor)
        cls.v1 = services.publish_version(version, by=cls.editor)

    def draft(self, **changes: Any) -> InstrumentVersion:
        text = school_file(version=2, **changes)
        return services.import_instrument(text, by=self.editor)[0]

    def statuses(self) -> dict[int, str]:
        return dict(InstrumentVersion.objects.values_list("version", "status"))

    def actions(self) -> list[str]:
        return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


class ListAndVersionTests(EditorTestCase):
    def test_an_editor_sees_each_instrument_its_versions_and_their_screenings(
        self,
    ) -> None:
        services.start_screening(self.v1, by=self.teacher, setting="school")
        self.draft()
        self.login(self.editor)
        response = self.client.get(LIST)
        self.assertContains(response, "School vulnerability screen")
        self.assertContains(response, f'href="{V1}"')
        self.assertContains(response, f'href="{V2}"')
        self.assertContains(response, "Edit the draft, version 2")
        rows = {
            v.version: v.screening_count
            for v in response.context["listed"][0]["versions"]
        }
        self.assertEqual(rows, {2: 0, 1: 1})

    def test_a_published_version_shows_its_file_read_only_and_says_it_never_changes(
        self,
    ) -> None:
        self.login(self.editor)
        response = self.client.get(V1)
        self.assertContains(response, "This version never changes")
        self.assertContains(response, '<pre class="source"')
        self.assertContains(response, "code: school-vulnerability")
        self.assertNotContains(response, "<textarea")
        self.assertNotContains(response, "/delete/")
        self.assertNotContains(response, "/publish/")

    def test_a_draft_page_offers_preview_edit_publish_and_delete(self) -> None:
        self.draft()
        self.login(self.editor)
        response = self.client.get(V2)
        self.assertContains(response, "Screeners do not see it until it is published")
        for path in ("preview/", "publish/", "delete/"):
            self.assertContains(response, f'href="{V2}{path}"')
        self.assertContains(response, f'href="{NEW}"')

    def test_a_draft_that_no_longer_reads_lists_its_problems_and_has_no_preview(
        self,
    ) -> None:
        draft = self.draft()
        broken = {**draft.definition, "scoring": {"method": "vibes"}}
        InstrumentVersion.objects.filter(pk=draft.pk).update(
            definition=broken, digest="0" * 64
        )  # as if the rules had changed since it was saved
        self.login(self.editor)
        response = self.client.get(V2)
        self.assertContains(response, "Problems in this draft")
        self.assertContains(response, "<li>scoring.method: one of:")
        self.assertNotContains(response, f'href="{V2}preview/"')
        self.assertRedirects(
            self.client.get(f"{V2}preview/"), V2, fetch_redirect_response=False
        )

    def test_a_version_that_does_not_exist_is_not_found(self) -> None:
        self.login(self.editor)
        self.assertEqual(self.client.get(f"{LIST}{CODE}/v9/").status_code, 404)
        self.assertEqual(self.client.get(f"{LIST}no-such/new/").status_code, 404)

    def test_it_refuses_everyone_but_editors_of_instruments(self) -> None:
        digest = self.draft().digest
        pages = [LIST, V1, V2, NEW, f"{V2}preview/", f"{V2}publish/", f"{V2}delete/"]
        for user in (self.teacher, make_user("ann", self.agency_a, Role.ANALYST)):
            self.login(user)
            for path in pages:
                with self.subTest(user=user.username, path=path):
                    self.assertEqual(self.client.get(path).status_code, 403)
            for path in (f"{V2}publish/", f"{V2}delete/", NEW):
                self.assertEqual(
                    self.client.post(path, {"source": SCHOOL}).status_code, 403
                )
        self.assertEqual(self.statuses(), {1: "published", 2: "draft"})
        self.assertEqual(InstrumentVersion.objects.get(version=2).digest, digest)

    def test_an_administrator_edits_instruments_too(self) -> None:
        self.login(make_user("root", self.agency_a, Role.ADMINISTRATOR))
        self.assertEqual(self.client.get(LIST).status_code, 200)


class DraftTests(EditorTestCase):
    def test_a_new_draft_starts_from_the_published_text_with_the_next_version_number(
        self,
    ) -> None:
        self.login(self.editor)
        response = self.client.get(NEW)
        initial = response.context["form"].initial["source"]
        self.assertEqual(yaml.safe_load(initial)["version"], 2)
        self.assertEqual(initial.replace("version: 2", "version: 1", 1), self.v1.source)
        self.assertContains(response, 'aria-describedby="id_source_helptext"')

    def test_an_editor_saves_a_draft_and_the_published_version_stays(self) -> None:
        self.login(self.editor)
        text = school_file(version=2, sources=["Another source"])
        response = self.client.post(NEW, {"source": text})
        self.assertRedirects(response, V2, fetch_redirect_response=False)
        self.assertEqual(self.statuses(), {1: "published", 2: "draft"})
        self.assertEqual(self.actions()[-1], "instrument.import")
        event = AuditEvent.objects.latest("pk")
        self.assertEqual(
            (event.object_id, event.actor_username), (f"{CODE} v2", "edna")
        )
        page = self.client.get(NEW)  # the draft is edited, not raised again
        self.assertContains(page, "Edit the draft, version 2")
        self.assertEqual(
            yaml.safe_load(page.context["form"].initial["source"])["version"], 2
        )

    def test_an_uploaded_file_is_saved_as_a_draft(self) -> None:
        self.login(self.editor)
        upload = SimpleUploadedFile(
            "school-v2.yaml", school_file(version=2).encode(), "application/yaml"
        )
        response = self.client.post(NEW, {"source": "", "file": upload})
        self.assertRedirects(response, V2, fetch_redirect_response=False)
        self.assertEqual(self.statuses(), {1: "published", 2: "draft"})

    def test_a_changed_published_version_is_refused_on_the_page_and_nothing_stored(
        self,
    ) -> None:
        self.login(self.editor)
        before = self.actions()
        changed = school_file(sources=["Another source"])  # still version 1
        response = self.client.post(NEW, {"source": changed})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "is published and never changes", status_code=422)
        self.assertContains(response, 'id="id_source_error"', status_code=422)
        self.assertContains(
            response,
            'aria-describedby="id_source_helptext id_source_error"',
            status_code=422,
        )
        self.assertContains(response, "Nothing was saved", status_code=422)
        self.assertEqual(self.statuses(), {1: "published"})
        self.assertEqual(self.actions(), before)
        self.v1.refresh_from_db()
        self.assertNotIn("Another source", self.v1.source)

    def test_a_file_with_problems_shows_every_problem_and_stores_nothing(
        self,
    ) -> None:
        data = yaml.safe_load(SCHOOL)
        data["version"] = 2
        data["sections"][0]["items"][0]["text"].pop("kk")
        data["scoring"]["method"] = "vibes"
        self.login(self.editor)
        response = self.client.post(
            NEW, {"source": yaml.safe_dump(data, allow_unicode=True)}
        )
        self.assertContains(
            response,
            "<li>sections[0].items[0].text: missing in kk</li>",
            status_code=422,
        )
        self.assertContains(response, "<li>scoring.method: one of:", status_code=422)
        self.assertEqual(self.statuses(), {1: "published"})

    def test_text_that_is_not_yaml_is_refused_and_stores_nothing(self) -> None:
        self.login(self.editor)
        response = self.client.post(NEW, {"source": "code: [unclosed"})
        self.assertContains(response, "The file is not valid YAML", status_code=422)
        self.assertEqual(self.statuses(), {1: "published"})

    def test_saving_nothing_asks_for_a_text_or_a_file(self) -> None:
        self.login(self.editor)
        response = self.client.post(NEW, {"source": "  "})
        self.assertContains(
            response,
            "Type the instrument&#x27;s text or upload a file",
            status_code=422,
        )


class PreviewTests(EditorTestCase):
    def setUp(self) -> None:
        self.v2 = self.draft()
        self.definition = self.v2.parsed
        self.login(self.editor)

    def test_the_preview_shows_a_part_exactly_as_a_screener_sees_it(self) -> None:
        screening = services.start_screening(
            self.v1, by=self.teacher, setting="school", mode="easy_read", language="ru"
        )
        self.login(self.teacher)
        screener = self.client.get(f"/en/screening/{screening.reference}/section/1/")
        self.login(self.editor)
        preview = self.client.get(
            f"{V1}preview/", {"_language": "ru", "_mode": "easy_read"}
        )
        self.assertEqual(questions_html(preview), questions_html(screener))
        first = self.definition.sections[0].items[0]
        self.assertContains(preview, first.easy_read.ru)
        self.assertContains(preview, 'lang="ru"')

    def test_the_preview_switches_language_and_wording_and_stores_nothing(
        self,
    ) -> None:
        before = (self.actions(), self.statuses(), Screening.objects.count())
        first = self.definition.sections[0].items[0]
        for language in ("kk", "ru", "en"):
            for mode, text in (
                ("standard", first.text),
                ("easy_read", first.easy_read),
            ):
                with self.subTest(language=language, mode=mode):
                    response = self.client.get(
                        f"{V2}preview/", {"_language": language, "_mode": mode}
                    )
                    self.assertContains(response, text.get(language))
                    self.assertContains(response, "Answers given here are never saved")
        after = (self.actions(), self.statuses(), Screening.objects.count())
        self.assertEqual(after, before)

    def test_skip_logic_works_in_the_preview(self) -> None:
        last_seen = self.definition.item("last_seen")  # shown after 5 days' absence
        sections = scoring.visible(self.definition, {"days_absent": 7})
        part = next(n for n, (s, items) in enumerate(sections, 1) if last_seen in items)
        query: dict[str, str | int] = {"_language": "en", "_part": part}
        shown = self.client.get(f"{V2}preview/", {**query, "days_absent": "7"})
        hidden = self.client.get(f"{V2}preview/", {**query, "days_absent": "1"})
        self.assertContains(shown, last_seen.text.en)
        self.assertNotContains(hidden, last_seen.text.en)

    def test_an_answer_opens_a_whole_part_in_the_preview(self) -> None:
        count = len(scoring.visible(self.definition, {}))
        plain = self.client.get(f"{V2}preview/", {"_language": "en"})
        opened = self.client.get(
            f"{V2}preview/", {"_language": "en", "special_needs": "yes"}
        )
        self.assertContains(plain, f"Part 1 of {count}<")
        self.assertContains(opened, f"Part 1 of {count + 1}<")

    def test_the_preview_carries_answers_from_part_to_part(self) -> None:
        first = self.definition.sections[0].items[0]
        response = self.client.get(
            f"{V2}preview/", {"_language": "en", first.code: "yes", "_next": "1"}
        )
        self.assertContains(response, "Part 2 of")
        self.assertContains(
            response, f'<input type="hidden" name="{first.code}" value="yes">'
        )
        back = self.client.get(
            f"{V2}preview/",
            {"_language": "en", "_part": "2", first.code: "yes", "_back": "1"},
        )
        self.assertContains(back, "Part 1 of")
        self.assertContains(back, 'value="yes" checked')

    def test_an_htmx_change_redraws_only_the_questions(self) -> None:
        response = self.client.get(
            f"{V2}preview/", {"_language": "en"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="preview-answers"')
        self.assertNotContains(response, "<html")


class PublishAndDeleteTests(EditorTestCase):
    def setUp(self) -> None:
        self.v2 = self.draft(sources=["Another source"])
        self.login(self.editor)

    def test_publishing_needs_a_post_and_a_get_only_asks_to_confirm(self) -> None:
        response = self.client.get(f"{V2}publish/")
        self.assertContains(response, "Publish version 2?")
        self.assertContains(response, '<form method="post">')
        self.assertEqual(self.statuses(), {1: "published", 2: "draft"})
        self.assertEqual(self.client.put(f"{V2}publish/").status_code, 405)

    def test_an_editor_publishes_and_the_previous_version_retires_keeping_its_screenings(
        self,
    ) -> None:
        screening = services.start_screening(self.v1, by=self.teacher, setting="school")
        confirm = self.client.get(f"{V2}publish/")
        self.assertContains(confirm, "the 1 screening done with it keeps it")
        response = self.client.post(f"{V2}publish/")
        self.assertRedirects(response, V2, fetch_redirect_response=False)
        self.assertEqual(self.statuses(), {1: "retired", 2: "published"})
        screening.refresh_from_db()
        self.assertEqual(screening.version_id, self.v1.pk)
        self.assertEqual(self.actions()[-1], "instrument.publish")
        page = self.client.get(V2)
        self.assertContains(page, "is published: new screenings use it")
        self.assertContains(page, "This version never changes")

    def test_a_published_version_is_neither_published_again_nor_deleted(self) -> None:
        for path in (f"{V1}publish/", f"{V1}delete/"):
            self.assertRedirects(
                self.client.post(path), V1, fetch_redirect_response=False
            )
        self.assertEqual(self.statuses(), {1: "published", 2: "draft"})

    def test_an_editor_deletes_a_draft_after_confirming(self) -> None:
        confirm = self.client.get(f"{V2}delete/")
        self.assertContains(confirm, "Delete the draft, version 2?")
        self.assertEqual(self.statuses(), {1: "published", 2: "draft"})
        response = self.client.post(f"{V2}delete/")
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        self.assertEqual(self.statuses(), {1: "published"})
        self.assertEqual(self.actions()[-1], "instrument.delete_draft")
        self.assertEqual(AuditEvent.objects.latest("pk").object_id, f"{CODE} v2")
