"""The public form's flood guard: no third-party script, nothing kept about the sender.

Each form carries a signed, single-use challenge. A browser with JavaScript proves a little work
(hashcash: a number whose SHA-256 with the challenge starts with `bits` zero bits, about 2^bits
hashes, a second or two on a phone); without JavaScript, the sender answers a question a child
can answer (which of two numbers is bigger). Captcha services would send the reporter's browser
to a third party, and image puzzles shut out the children this form is also for.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.translation import gettext as _

SALT = "qorgau.concerns.challenge"
MAX_AGE_SECONDS = 3 * 3600  # long enough to write a report slowly


@dataclass(frozen=True)
class Challenge:
    token: str
    first: int  # "Which number is bigger: first or second?"
    second: int
    bits: int

    @property
    def bigger(self) -> int:
        return max(self.first, self.second)


def new_challenge() -> Challenge:
    first, second = secrets.SystemRandom().sample(range(1, 10), 2)
    token = signing.dumps(
        {"n": secrets.token_hex(12), "a": first, "b": second}, salt=SALT
    )
    return Challenge(token, first, second, settings.QORGAU_CONCERN_POW_BITS)


def read_challenge(token: str) -> Challenge | None:
    """The challenge a form was given, if it is ours and not too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    bits = settings.QORGAU_CONCERN_POW_BITS
    return Challenge(token, int(data["a"]), int(data["b"]), bits)


def work_is_done(token: str, counter: str, bits: int) -> bool:
    if not counter.isdigit() or len(counter) > 12:
        return False
    digest = hashlib.sha256(f"{token}:{counter}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0


def problem_with(token: str, counter: str, answer: str) -> str | None:
    """Why the sender is not let through, or None. A challenge passes once only."""
    challenge = read_challenge(token)
    if challenge is None:
        return _("The form was open too long. Please send it again.")
    passed = work_is_done(token, counter, challenge.bits) or answer.strip() == str(
        challenge.bigger
    )
    if not passed:
        return _("Please answer the question: which number is bigger?")
    nonce = hashlib.sha256(token.encode()).hexdigest()
    if not caches["shared"].add(f"concern-challenge:{nonce}", 1, MAX_AGE_SECONDS):
        return _("This form was already sent. Please start again.")
    return None
