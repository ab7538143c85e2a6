"""Every string marked for translation ships in Kazakh and Russian (and English, which is not the fallback).

The test extracts messages afresh from a copy of the source, merging the committed catalogs, so a new
string in a template or in Python that nobody translated fails here, not in front of a user.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("kk", "ru", "en")


def untranslated(po: Path) -> list[str]:
    out = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ids = [
        line
        for line in (out + fuzzy).splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]
    return ids


class TranslationCatalogTests(SimpleTestCase):
    def test_it_translates_every_marked_string_into_kazakh_russian_and_english(
        self,
    ) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "src"
            shutil.copytree(
                ROOT,
                copy,
                ignore=shutil.ignore_patterns(
                    ".venv", ".git", "var", "node_modules", "*.mo", "__pycache__"
                ),
            )
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    *[f"-l{lang}" for lang in LANGUAGES],
                    "--no-location",
                    "--ignore=bench",
                    "--ignore=*/tests/*",
                    "--ignore=conftest.py",
                    "-v",
                    "0",
                ],
                cwd=copy,
                check=True,
                capture_output=True,
            )
            missing = {
                lang: untranslated(copy / "locale" / lang / "LC_MESSAGES" / "django.po")
                for lang in LANGUAGES
            }
        self.assertEqual({lang: ids for lang, ids in missing.items() if ids}, {})

    def test_it_writes_kazakh_dates_in_the_kazakh_order(self) -> None:
        from datetime import date

        from django.utils.formats import date_format

        with translation.override("kk"):
            self.assertEqual(date_format(date(2025, 3, 5)), "2025 ж. 5 наурыз")
            self.assertEqual(
                date_format(date(2025, 3, 5), "SHORT_DATE_FORMAT"), "05.03.2025"
            )
        with translation.override("ru"):
            self.assertEqual(date_format(date(2025, 3, 5)), "5 марта 2025 г.")
