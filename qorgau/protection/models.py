"""Identification decisions and the recovery and reflection period (domain.md §2, §5.2).

A child is first identified preliminarily by any frontline agency; a competent authority then
takes a reasonable-grounds decision within a deadline, and later decides on victim status.
Only a decision changes the case's victim status, never a screening score. Reasons are case
narrative (tier 2) and are encrypted.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted


class Decision(EnvelopeEncrypted):
    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary_identification", _("Preliminary identification")
        REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable-grounds decision")
        VICTIM_STATUS = "victim_status", _("Recognition of victim status")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("decision"), max_length=28, choices=Kind.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reasons = EncryptedTextField(_("reasons"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    deciding_organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciding organisation"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reconsideration_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsidered_by",
        verbose_name=_("reconsiders"),
    )
    reconsideration_reason = EncryptedTextField(
        _("why reconsideration is asked"), blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    overdue_reported_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        indexes = [
            models.Index(fields=["case", "-requested_at"], name="decision_case_idx"),
            models.Index(
                fields=["due_at"],
                condition=models.Q(outcome="pending"),
                name="decision_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (
            self.is_pending
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )


class ReflectionPeriod(models.Model):
    """Recovery and reflection: at least 30 days (configurable) from a positive reasonable-grounds
    decision, during which the child may not be removed; it can be extended, and its end is kept."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="reflection_periods",
        verbose_name=_("case"),
    )
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        related_name="reflection_period",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"))
    planned_end = models.DateTimeField(_("planned end"))
    extended_to = models.DateTimeField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=500, blank=True
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("recovery and reflection period")
        verbose_name_plural = _("recovery and reflection periods")

    def __str__(self) -> str:
        return f"{self.case} · {self.started_at:%Y-%m-%d}"

    @property
    def ends_at(self) -> datetime:
        return self.extended_to or self.planned_end

    @property
    def is_running(self) -> bool:
        return self.ended_at is None
