"""Risk assessments and safety plans (domain.md §2: "Risk assessment → Individual Safety Plan").

A risk assessment is a new record each time: a draft may be edited, a finalised one never
changes and is superseded by the next one, so the history of how the child's risks were seen
stays on the case. A safety plan is likewise saved as a new version that supersedes the
previous one; only the status of a measure of the current plan changes in place.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Tier
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted
from qorgau.plans.rules import overall_level


class Area(models.TextChoices):
    RE_TRAFFICKING = "re_trafficking", _("Re-trafficking")
    RETALIATION = "retaliation", _("Retaliation or threats from traffickers")
    HOUSEHOLD = "household", _("Household and family")
    COMMUNITY = "community", _("Community")
    ONLINE = "online", _("Online exploitation")
    HEALTH_SAFETY = "health_safety", _("The child's own health and safety")


class Level(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# The factors behind a rating are case narrative; those about the child's own health are
# health details, hidden from readers whose access stops below that tier.
AREA_TIER: dict[str, int] = {
    area: int(Tier.HEALTH if area == Area.HEALTH_SAFETY else Tier.NARRATIVE)
    for area in Area.values
}


def level_field(area: str) -> str:
    return f"{area}_level"


def factors_field(area: str) -> str:
    return f"{area}_factors"


def _level(area: str) -> models.CharField[str, str]:
    return models.CharField(
        Area(area).label,
        max_length=12,
        choices=Level.choices,
        default=Level.NOT_ASSESSED,
    )


def _factors() -> EncryptedTextField:
    return EncryptedTextField(_("factors"), blank=True)


class RiskAssessmentQuerySet(models.QuerySet["RiskAssessment"]):
    def final(self) -> RiskAssessmentQuerySet:
        return self.filter(status=RiskAssessment.Status.FINAL)

    def current(self) -> RiskAssessmentQuerySet:
        """Each case's latest finalised assessment (at most one per case)."""
        return self.final().filter(superseded_at__isnull=True)


class RiskAssessment(EnvelopeEncrypted):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Finalised")
        DISCARDED = "discarded", _("Discarded")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="risk_assessments",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    re_trafficking_level = _level(Area.RE_TRAFFICKING)
    re_trafficking_factors = _factors()
    retaliation_level = _level(Area.RETALIATION)
    retaliation_factors = _factors()
    household_level = _level(Area.HOUSEHOLD)
    household_factors = _factors()
    community_level = _level(Area.COMMUNITY)
    community_factors = _factors()
    online_level = _level(Area.ONLINE)
    online_factors = _factors()
    health_safety_level = _level(Area.HEALTH_SAFETY)
    health_safety_factors = _factors()
    overall_level = models.CharField(
        _("overall risk"),
        max_length=12,
        choices=Level.choices,
        default=Level.NOT_ASSESSED,
        help_text=_("The highest level of any area."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    review_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__in": Level.values}),
                    name=f"risk_{name}_valid",
                )
                for name in [*(level_field(a) for a in Area.values), "overall_level"]
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "final", "discarded"]),
                name="risk_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="final")
                | models.Q(
                    assessed_by__isnull=False,
                    assessed_at__isnull=False,
                    next_review_date__isnull=False,
                ),
                name="risk_final_is_complete",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="final", superseded_at__isnull=True),
                name="risk_one_current_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="draft"),
                name="risk_one_draft_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="risk_case_idx"),
            models.Index(
                fields=["next_review_date"],
                condition=models.Q(
                    status="final",
                    superseded_at__isnull=True,
                    review_reported_at__isnull=True,
                ),
                name="risk_review_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_overall_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("plans:risk", args=[self.case.number])

    def level_of(self, area: str) -> str:
        return str(getattr(self, level_field(area)))

    def factors_of(self, area: str) -> str:
        return str(getattr(self, factors_field(area)) or "")

    def derive_overall(self) -> str:
        return overall_level(self.level_of(area) for area in Area.values)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.FINAL and self.superseded_at is None

    def review_overdue(self, today: date | None = None) -> bool:
        return (
            self.is_current
            and self.next_review_date is not None
            and self.next_review_date < (today or timezone.localdate())
        )


class SafetyPlanQuerySet(models.QuerySet["SafetyPlan"]):
    def current(self) -> SafetyPlanQuerySet:
        return self.filter(superseded_at__isnull=True)


class SafetyPlan(EnvelopeEncrypted):
    """One version of the child's individual safety plan; `version` counts versions per case
    and is also what an editor must name to save the next one (optimistic locking)."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="safety_plans",
        verbose_name=_("case"),
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    risk_assessment = models.ForeignKey(
        RiskAssessment,
        on_delete=models.PROTECT,
        related_name="safety_plans",
        verbose_name=_("based on the risk assessment"),
    )
    emergency_contacts = EncryptedTextField(_("emergency contacts"))
    safe_places = EncryptedTextField(_("safe places"), blank=True)
    review_date = models.DateField(_("review date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = SafetyPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "version"], name="safety_plan_version_unique"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(superseded_at__isnull=True),
                name="safety_plan_one_current_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.version}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class SafetyMeasure(EnvelopeEncrypted):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PLACE = "in_place", _("In place")
        ENDED = "ended", _("Ended")

    # Where a measure may go next; an ended measure stays ended (a new one can be added).
    NEXT: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.IN_PLACE, Status.ENDED),
        Status.IN_PLACE: (Status.ENDED,),
        Status.ENDED: (),
    }

    plan = models.ForeignKey(
        SafetyPlan,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("safety plan"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    action = EncryptedTextField(_("measure"))
    area = models.CharField(_("risk it addresses"), max_length=16, choices=Area.choices)
    responsible_organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("safety measure")
        verbose_name_plural = _("safety measures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["planned", "in_place", "ended"]),
                name="safety_measure_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(area__in=Area.values),
                name="safety_measure_area_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_area_display()}"

    def is_overdue(self, today: date | None = None) -> bool:
        return (
            self.status == self.Status.PLANNED
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )
