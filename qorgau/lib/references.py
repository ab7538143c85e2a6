"""Pseudonymous references such as SK-7K3M-Q9TD: they say nothing about the child, and can be
read aloud and typed without confusing look-alike characters (no 0/O, 1/I/L, U)."""

from __future__ import annotations

import random
import secrets
from typing import Any

from django.db import IntegrityError, models, transaction

ALPHABET = (
    "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 characters: 30⁸ = 6.6 × 10¹¹ references
)
ATTEMPTS = 5


def new_reference(prefix: str, rng: random.Random | None = None) -> str:
    """PREFIX-XXXX-XXXX, drawn from the system's secure source unless a seeded `rng` is given
    (bulk seeding for benchmarks)."""
    chars = (
        rng.choices(ALPHABET, k=8)
        if rng
        else [secrets.choice(ALPHABET) for _ in range(8)]
    )
    return f"{prefix}-{''.join(chars[:4])}-{''.join(chars[4:])}"


def create_with_reference[M: models.Model](
    manager: models.Manager[M], prefix: str, **fields: Any
) -> M | None:
    """A row made under a fresh unique `reference`, drawn again if taken; None if every
    attempt collided (the caller says so in its own words)."""
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return manager.create(reference=new_reference(prefix), **fields)
        except IntegrityError:  # a reference drawn twice: draw again
            continue
    return None
