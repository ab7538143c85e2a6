"""Platform roles and what each may do with children's cases (docs: domain.md §1.2, security.md §3).

The rules are data here so that the access layer, the pages and the tests read one table.
Sensitivity tiers: 1 identity, 2 case narrative, 3 health and abuse details, 4 criminal intelligence.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.IntegerChoices):
    IDENTITY = 1, _("Identity")
    NARRATIVE = 2, _("Case narrative")
    HEALTH = 3, _("Health and abuse details")
    CRIMINAL = 4, _("Criminal intelligence")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    SCREENER = "screener", _("Screener")
    POLICE_INVESTIGATOR = "police_investigator", _("Police investigator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    PROSECUTOR = "prosecutor", _("Prosecutor (oversight)")
    OMBUDSMAN = "ombudsman", _("Ombudsman (oversight)")
    ANALYST = "analyst", _("Analyst")
    TRAINER = "trainer", _("Trainer")
    EDITOR = "editor", _("Publication editor")
    ADMINISTRATOR = "administrator", _("Administrator")


@dataclass(frozen=True)
class Capability:
    max_tier: int = 0  # 0: no personal data at all
    writes_cases: bool = False
    opens_cases: bool = False
    sees_organisation_cases: bool = False
    sees_region_cases: bool = False
    sees_all_cases: bool = False
    oversight: bool = False
    break_glass: bool = False
    reviews_break_glass: bool = False
    administers: bool = False
    receives_referrals: bool = False  # acts on the organisation's referral inbox
    decides_identification: bool = (
        False  # records identification decisions (competent authority)
    )
    # makes the formal best-interests determination and decides appeals against it
    determines_best_interests: bool = False
    screens: bool = (
        False  # administers screening instruments, under a pseudonymous reference
    )
    edits_instruments: bool = (
        False  # imports, previews and publishes instrument versions
    )
    reads_screening_statistics: bool = (
        False  # results and item rates, never a screening
    )


CAPABILITIES: dict[str, Capability] = {
    Role.CASEWORKER: Capability(
        max_tier=3,
        writes_cases=True,
        opens_cases=True,
        break_glass=True,
        receives_referrals=True,
        screens=True,
    ),
    Role.SUPERVISOR: Capability(
        max_tier=3,
        writes_cases=True,
        opens_cases=True,
        sees_organisation_cases=True,
        break_glass=True,
        reviews_break_glass=True,
        receives_referrals=True,
        decides_identification=True,
        determines_best_interests=True,
        screens=True,
        reads_screening_statistics=True,
    ),
    Role.SCREENER: Capability(
        max_tier=2, writes_cases=True, opens_cases=True, screens=True
    ),
    Role.POLICE_INVESTIGATOR: Capability(
        max_tier=4,
        writes_cases=True,
        opens_cases=True,
        break_glass=True,
        receives_referrals=True,
        decides_identification=True,
        screens=True,
    ),
    Role.REGIONAL_COORDINATOR: Capability(
        max_tier=2,
        writes_cases=True,
        opens_cases=True,
        sees_region_cases=True,
        receives_referrals=True,
        decides_identification=True,
        determines_best_interests=True,
        screens=True,
        reads_screening_statistics=True,
    ),
    Role.NATIONAL_COORDINATOR: Capability(
        max_tier=2, sees_all_cases=True, reads_screening_statistics=True
    ),
    Role.PROSECUTOR: Capability(max_tier=4, oversight=True, reviews_break_glass=True),
    Role.OMBUDSMAN: Capability(max_tier=3, oversight=True, reviews_break_glass=True),
    Role.ANALYST: Capability(reads_screening_statistics=True),
    Role.TRAINER: Capability(),
    Role.EDITOR: Capability(edits_instruments=True, reads_screening_statistics=True),
    Role.ADMINISTRATOR: Capability(administers=True, edits_instruments=True),
}


def combined(roles: frozenset[str]) -> Capability:
    """What a user holding several roles may do: the union of their capabilities."""
    caps = [CAPABILITIES[r] for r in roles if r in CAPABILITIES]
    if not caps:
        return Capability()
    return Capability(
        **{f: max(getattr(c, f) for c in caps) for f in Capability.__dataclass_fields__}
    )


def roles_with(capability: str) -> list[str]:
    """The roles that hold a capability, for queries over users."""
    return [role for role, cap in CAPABILITIES.items() if getattr(cap, capability)]
