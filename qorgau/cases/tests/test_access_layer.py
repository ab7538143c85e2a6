"""Pages and endpoints reach children's records only through the access layer."""

import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = [
    *ROOT.glob("*/views.py"),
    *ROOT.glob("*/views/*.py"),
    *ROOT.glob("*/api.py"),
]
DIRECT = re.compile(
    r"\b(Person|Case|CaseNote|CaseParticipant)\.objects\.(?!visible_to\b)"
)
# Each allowed line names why it may look a record up without visible_to or access_*.
ALLOWED = {
    # emergency access is asked for a case the user cannot see; only its number is used
    'case = Case.objects.filter(number=data["case_number"].strip().upper()).first()',
    # re-read after access_case() granted access, to show the values another user saved
    "stale, case = exc, Case.objects.get(pk=case.pk)",
    "stale, child = exc, Person.objects.get(pk=child.pk)",
}


class AccessLayerTests(SimpleTestCase):
    def test_it_finds_the_modules_that_serve_pages_and_endpoints(self) -> None:
        self.assertGreaterEqual(len(ENTRY_POINTS), 6)

    def test_it_lets_no_view_or_endpoint_query_children_or_cases_directly(self) -> None:
        offending = []
        for path in ENTRY_POINTS:
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if DIRECT.search(line) and line.strip() not in ALLOWED:
                    offending.append(
                        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                    )
        self.assertEqual(offending, [])
