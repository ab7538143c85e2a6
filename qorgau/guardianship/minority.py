"""The presumption of minority as a pure rule (CoE Convention Art. 10(3); domain.md §3).

When a person's age is uncertain and there are reasons to believe they are a child, they are
treated as a child until their age is verified. In Qorgau the age counts as verified only by
documents: an estimate, however careful, never lifts the presumption. The age is uncertain when

* no documented date of birth is known, or
* the latest assessment is an estimate or a dispute whose youngest plausible age is under 18
  (or which gives no range at all): it casts doubt even on a documented date.

Otherwise the documented date of birth decides: a documented minor, or an adult, which is the
only way the presumption is lifted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

MAJORITY = 18


class Minority(models.TextChoices):
    PRESUMED = "presumed", _("Presumed a minor")
    DOCUMENTED_MINOR = "documented_minor", _("A minor (documented age)")
    DOCUMENTED_ADULT = "documented_adult", _("An adult (documented age)")


@dataclass(frozen=True)
class Finding:
    """What one age assessment concluded, without the reasons."""

    conclusion: str  # AgeAssessment.Conclusion value
    age_min: int | None = None
    age_max: int | None = None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def casts_doubt(finding: Finding | None) -> bool:
    """Whether an assessment leaves the age uncertain for child protection."""
    if finding is None or finding.conclusion == "documented":
        return False
    return finding.age_min is None or finding.age_min < MAJORITY


def minority(
    *, documented_birth_date: date | None, latest: Finding | None, today: date
) -> Minority:
    """Whether the person is presumed a minor, a documented minor or a documented adult.

    `documented_birth_date` is the date of birth shown by documents (the latest documented
    assessment, else the child's record when it was registered as documented); `latest` is the
    most recent assessment of any kind.
    """
    if documented_birth_date is None or casts_doubt(latest):
        return Minority.PRESUMED
    if age_on(documented_birth_date, today) >= MAJORITY:
        return Minority.DOCUMENTED_ADULT
    return Minority.DOCUMENTED_MINOR


def guardianship_kind_for(age: int | None) -> str:
    """The form of guardianship Kazakh family law gives a child of this age.

    Guardianship (опека) under 14, trusteeship (попечительство) from 14 to 18; a presumed minor
    whose record gives 18 or more is still treated as the oldest of children. When the age is
    not known at all, the younger child's protection (guardianship) applies.
    """
    return "trustee" if age is not None and age >= 14 else "guardian"
