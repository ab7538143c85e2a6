"""The best interests of the child (CRC Art. 3; domain.md §3, §5.2): the ongoing assessment and
the formal determination with its safeguards, review and appeal.

A best-interests assessment (BIA) gathers who took part, the child's own views and how they were
obtained — in a way the child can use, whatever their age or disability — the findings per area
and the options considered. A completed assessment goes to a best-interests determination (BID):
a competent person with a panel chooses one option and gives reasons, says whether and how the
decision was explained to the child and sets a review date. The determination may be appealed;
an overturned determination is set aside and determined again; a review starts a new assessment.

All narrative is encrypted at rest. The child's views, findings, options, reasons and grounds are
case narrative (tier 2); the health finding is tier 3.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Tier
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted

# Each area of the assessment's findings: (field, label, tier it needs to be read).
FINDING_AREAS: tuple[tuple[str, Any, int], ...] = (
    ("findings_safety", _("Safety"), Tier.NARRATIVE),
    ("findings_family", _("Family and care"), Tier.NARRATIVE),
    ("findings_health", _("Health"), Tier.HEALTH),
    ("findings_education", _("Education"), Tier.NARRATIVE),
    ("findings_identity", _("Identity and culture"), Tier.NARRATIVE),
    ("findings_wishes", _("The child's wishes"), Tier.NARRATIVE),
)


class ViewsMethod(models.TextChoices):
    """How the child's views were heard (or why they were not)."""

    SPOKEN = "spoken", _("Spoken conversation")
    SIGN_LANGUAGE = "sign_language", _("Sign language with an interpreter")
    AAC = "aac", _("Augmentative and alternative communication (AAC)")
    EASY_READ = "easy_read", _("Easy-read materials")
    PICTURES = "pictures", _("Pictures or pictograms")
    TRUSTED_ADULT = "trusted_adult", _("Through a trusted adult")
    CHOSE_NOT = "chose_not", _("The child chose not to express views")
    NOT_OBTAINED = "not_obtained", _("Views could not be obtained")


# The ways of communicating with the child, also used to explain the decision to them.
COMMUNICATION_METHODS = [
    m for m in ViewsMethod if m not in (ViewsMethod.CHOSE_NOT, ViewsMethod.NOT_OBTAINED)
]


class Accommodation(models.TextChoices):
    """What was done so that the child could take part."""

    LANGUAGE_INTERPRETER = "language_interpreter", _("Language interpreter")
    SIGN_INTERPRETER = "sign_interpreter", _("Sign-language interpreter")
    AAC_DEVICE = "aac_device", _("Communication device or board")
    EASY_READ = "easy_read", _("Easy-read information")
    PICTOGRAMS = "pictograms", _("Pictograms or drawings")
    LARGE_PRINT = "large_print", _("Large print or audio")
    TRUSTED_ADULT = "trusted_adult", _("A trusted adult present")
    CHILD_FRIENDLY_ROOM = "child_friendly_room", _("A quiet, child-friendly room")
    BREAKS = "breaks", _("Breaks and extra time")
    SAME_GENDER = "same_gender", _("An interviewer of the gender the child chose")
    ACCESSIBLE_VENUE = "accessible_venue", _("Step-free, accessible venue")


class ViewsLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    SIGN = "sign", _("Sign language")
    OTHER = "other", _("Other")


class BestInterestsAssessment(EnvelopeEncrypted):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="best_interests_assessments",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    # A review of an earlier determination starts a new assessment.
    reviews = models.ForeignKey(
        "BestInterestsDetermination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_assessments",
        verbose_name=_("reviews the determination"),
    )
    team_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("case team members who took part"),
    )
    other_participants = EncryptedTextField(_("others who took part"))
    views_method = models.CharField(
        _("how the child's views were obtained"),
        max_length=16,
        choices=ViewsMethod.choices,
        blank=True,
    )
    views_not_obtained_reason = EncryptedTextField(
        _("why the views could not be obtained")
    )
    accommodations = models.JSONField(
        _("accommodations used"), default=list, blank=True
    )
    views_language = models.CharField(
        _("language"), max_length=8, choices=ViewsLanguage.choices, blank=True
    )
    views_language_other = models.CharField(
        _("other language"), max_length=60, blank=True
    )
    child_views = EncryptedTextField(_("the child's views"))
    # Null until answered: the child's views are given weight by age and maturity (CRC Art. 12).
    maturity_considered = models.BooleanField(
        _("the child's age and maturity were taken into account"),
        null=True,
        blank=True,
    )
    maturity_note = EncryptedTextField(_("how age and maturity were weighed"))
    findings_safety = EncryptedTextField(_("safety"))
    findings_family = EncryptedTextField(_("family and care"))
    findings_health = EncryptedTextField(_("health"))
    findings_education = EncryptedTextField(_("education"))
    findings_identity = EncryptedTextField(_("identity and culture"))
    findings_wishes = EncryptedTextField(_("the child's wishes"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = EncryptedTextField(_("reason for cancelling"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("best-interests assessment")
        verbose_name_plural = _("best-interests assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["in_progress", "completed", "cancelled"]
                ),
                name="bia_status_valid",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="in_progress"),
                name="bia_one_in_progress_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | (models.Q(completed_at__isnull=False) & ~models.Q(views_method="")),
                name="bia_completed_has_views_method",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled")
                | models.Q(
                    cancelled_at__isnull=False, cancellation_reason__isnull=False
                ),
                name="bia_cancelled_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-started_at"], name="bia_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("best_interests:page", args=[self.case.number])

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def views_were_heard(self) -> bool:
        return self.views_method in COMMUNICATION_METHODS

    def accommodation_labels(self) -> list[str]:
        return [
            str(Accommodation(a).label)
            for a in self.accommodations
            if a in Accommodation.values
        ]

    def awaits_determination(self) -> bool:
        """Completed, and not determined yet (or every determination was set aside on appeal)."""
        return (
            self.status == self.Status.COMPLETED
            and not self.determinations.exclude(
                status=BestInterestsDetermination.Status.SET_ASIDE
            ).exists()
        )

    def current_determination(self) -> BestInterestsDetermination | None:
        """The determination in force on this assessment (one set aside on appeal is not)."""
        return (
            self.determinations.exclude(status__in=BestInterestsDetermination.ENDED)
            .order_by("-recorded_at")
            .first()
        )


class BestInterestsOption(EnvelopeEncrypted):
    """One option considered: a placement, a return, a service…, with what speaks for and against it."""

    assessment = models.ForeignKey(
        BestInterestsAssessment,
        on_delete=models.CASCADE,
        related_name="options",
        verbose_name=_("assessment"),
    )
    option = EncryptedTextField(_("option"))
    arguments_for = EncryptedTextField(_("for"))
    arguments_against = EncryptedTextField(_("against"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("option considered")
        verbose_name_plural = _("options considered")
        indexes = [
            models.Index(fields=["assessment", "added_at"], name="bia_option_idx")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.added_at:%Y-%m-%d}"


class BestInterestsDetermination(EnvelopeEncrypted):
    class Status(models.TextChoices):
        DETERMINED = "determined", _("Determined")
        UNDER_APPEAL = "under_appeal", _("Under appeal")
        APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
        SET_ASIDE = "set_aside", _("Set aside on appeal")
        REVIEW_DUE = "review_due", _("Review due")
        UNDER_REVIEW = "under_review", _("Under review")
        REPLACED = "replaced", _("Replaced after review")

    ENDED = (Status.SET_ASIDE, Status.REPLACED)
    # A determination that stands and is not being appealed or reviewed: its review can fall due.
    SETTLED = (Status.DETERMINED, Status.APPEAL_DECIDED)

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="best_interests_determinations",
        verbose_name=_("case"),
    )
    assessment = models.ForeignKey(
        BestInterestsAssessment,
        on_delete=models.PROTECT,
        related_name="determinations",
        verbose_name=_("assessment"),
    )
    option = models.ForeignKey(
        BestInterestsOption,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("option chosen"),
    )
    reasons = EncryptedTextField(_("reasons"))
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("determined by"),
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("panel members"),
    )
    panel_others = EncryptedTextField(_("other panel members"))
    determined_on = models.DateField(_("determined on"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    explained_to_child = models.BooleanField(
        _("the decision was explained to the child")
    )
    explanation_method = models.CharField(
        _("how it was explained"),
        max_length=16,
        choices=[(m.value, m.label) for m in COMMUNICATION_METHODS],
        blank=True,
    )
    explanation_note = EncryptedTextField(_("about the explanation"))
    review_date = models.DateField(_("review date"))
    review_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DETERMINED
    )
    # After an appeal overturned a determination, the new one names the one it replaces.
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("best-interests determination")
        verbose_name_plural = _("best-interests determinations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "determined",
                        "under_appeal",
                        "appeal_decided",
                        "set_aside",
                        "review_due",
                        "under_review",
                        "replaced",
                    ]
                ),
                name="bid_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(review_date__gt=models.F("determined_on")),
                name="bid_review_after_determination",
            ),
            models.CheckConstraint(
                condition=models.Q(explained_to_child=False)
                | ~models.Q(explanation_method=""),
                name="bid_explained_says_how",
            ),
            # One determination in force per case at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=~models.Q(status__in=["set_aside", "replaced"]),
                name="bid_one_in_force_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-recorded_at"], name="bid_case_idx"),
            models.Index(
                fields=["review_date"],
                condition=models.Q(
                    status__in=["determined", "appeal_decided"],
                    review_notified_at__isnull=True,
                ),
                name="bid_review_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_status_display()}"

    @property
    def is_in_force(self) -> bool:
        return self.status not in self.ENDED

    def appeal_or_none(self) -> BestInterestsAppeal | None:
        try:
            return self.appeal
        except BestInterestsAppeal.DoesNotExist:
            return None


class BestInterestsAppeal(EnvelopeEncrypted):
    class LodgedBy(models.TextChoices):
        CHILD = "child", _("The child")
        LEGAL_REPRESENTATIVE = "legal_representative", _("The legal representative")
        OTHER = "other", _("Someone else")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        UPHELD = "upheld", _("Upheld")
        CHANGED = "changed", _("Changed")
        OVERTURNED = "overturned", _("Overturned")

    determination = models.OneToOneField(
        BestInterestsDetermination,
        on_delete=models.CASCADE,
        related_name="appeal",
        verbose_name=_("determination"),
    )
    lodged_by = models.CharField(
        _("lodged by"), max_length=24, choices=LodgedBy.choices
    )
    lodged_by_detail = EncryptedTextField(_("who lodged it"))
    lodged_on = models.DateField(_("lodged on"))
    grounds = EncryptedTextField(_("grounds"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    # When the appeal changed the decision: the option chosen before.
    option_before = models.ForeignKey(
        BestInterestsOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("option chosen before the appeal"),
    )
    decision_reasons = EncryptedTextField(_("reasons for the appeal decision"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal against a best-interests determination")
        verbose_name_plural = _("appeals against best-interests determinations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome__in=["pending", "upheld", "changed", "overturned"]
                ),
                name="bid_appeal_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="pending")
                | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="bid_appeal_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~models.Q(lodged_by="other")
                | models.Q(lodged_by_detail__isnull=False),
                name="bid_appeal_other_says_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.determination} · {self.get_outcome_display()}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING
