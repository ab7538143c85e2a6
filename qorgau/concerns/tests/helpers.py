"""What a browser does for the public form: solve the challenge the page gives."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from qorgau.concerns.challenge import work_is_done


def challenge_on(page: Any) -> str:
    match = re.search(r'name="challenge" value="([^"]+)"', page.content.decode())
    assert match, "the page carries a challenge"
    return match.group(1)


def solved(token: str) -> str:
    """The proof of work the page's script would find."""
    n = 0
    while not work_is_done(token, str(n), settings.QORGAU_CONCERN_POW_BITS):
        n += 1
    return str(n)


def bigger_number(page: Any) -> str:
    match = re.search(r"(\d) (?:or|или|әлде) (\d)", page.content.decode())
    assert match, "the page asks which number is bigger"
    return str(max(int(match.group(1)), int(match.group(2))))
