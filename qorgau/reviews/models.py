"""Case reviews on a schedule, closure with a coded reason, and follow-up after closure.

Every open case has one scheduled review; holding it records who took part, a summary and an
outcome, and schedules the next. Closing a case records why (a vocabulary, with HTCDS
`cas_ReasonForCaseClosure` in mind) and plans follow-ups some months later. Summaries, details
and follow-up notes are case narrative (tier 2) and are encrypted; dates, outcomes and codes stay
clear so that the schedule can be swept through indexes.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted
from qorgau.reviews.schedule import is_overdue


class CaseReview(EnvelopeEncrypted):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue as planned")
        CHANGE_PLAN = "change_plan", _("Change the plan")
        ESCALATE = "escalate", _("Escalate")
        PROPOSE_CLOSURE = "propose_closure", _("Propose closure")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    due_on = models.DateField(_("due"))
    # Who convenes the review: the case owner when it is scheduled. My work lists a user's
    # reviews through the index below; the reminders go to them.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    held_on = models.DateField(_("held"), null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("team members who took part"),
    )
    other_participants = EncryptedTextField(_("others who took part"), blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    next_due_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Each notification is sent once: the sweep claims the row by setting its column.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-due_on"]
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="scheduled"),
                name="review_one_scheduled_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held")
                | (models.Q(held_on__isnull=False) & ~models.Q(outcome="")),
                name="review_held_has_date_and_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-due_on"], name="review_case_idx"),
            # The status in the columns too: SQLite then counts from the index alone (it does
            # not take a partial index's condition as proof of a term of the query).
            models.Index(
                fields=["responsible", "status", "due_on"],
                condition=models.Q(status="scheduled"),
                name="review_responsible_idx",
            ),
            # The sweeps read only what is still to be told, through these partial indexes:
            # a row leaves each one as soon as its notification is claimed.
            models.Index(
                fields=["due_on"],
                condition=models.Q(status="scheduled", reminded_at__isnull=True),
                name="review_to_remind_idx",
            ),
            models.Index(
                fields=["due_on"],
                condition=models.Q(
                    status="scheduled", overdue_notified_at__isnull=True
                ),
                name="review_to_report_idx",
            ),
            models.Index(
                fields=["due_on"],
                condition=models.Q(status="scheduled", escalated_at__isnull=True),
                name="review_to_escalate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.due_on:%Y-%m-%d}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_scheduled and is_overdue(
            self.due_on, today or timezone.localdate()
        )


class ClosureReason(models.TextChoices):
    """Why a case was closed (HTCDS cas_ReasonForCaseClosure has no vocabulary: this is ours)."""

    GOALS_ACHIEVED = "goals_achieved", _("Goals of the support plan achieved")
    REINTEGRATED = "reintegrated", _("Child safely reintegrated")
    TRANSFERRED = "transferred", _("Transferred to another agency or region")
    ADULT_SERVICES = (
        "adult_services",
        _("Child reached majority and was transferred to adult services"),
    )
    NOT_A_VICTIM = "not_a_victim", _("Not a victim of trafficking")
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", _("Child's whereabouts unknown")
    REFUSAL = "refusal", _("Child's or family's refusal")
    DIED = "died", _("Child died")
    OTHER = "other", _("Other")


class CaseClosure(EnvelopeEncrypted):
    """Why and by whom a case was closed; `Case.closure_reason` keeps the same code."""

    Reason = ClosureReason

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("case"),
    )
    status = models.CharField(_("closed as"), max_length=28)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    detail = EncryptedTextField(_("details"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        ordering = ["-closed_at"]
        verbose_name = _("case closure")
        verbose_name_plural = _("case closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=ClosureReason.values),
                name="closure_reason_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason="other") | models.Q(detail__isnull=False),
                name="closure_other_has_detail",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-closed_at"], name="closure_case_idx"),
            models.Index(fields=["reason", "closed_at"], name="closure_reason_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_reason_display()}"


class FollowUp(EnvelopeEncrypted):
    """A check on the child some months after the case was closed."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("To do")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Situation(models.TextChoices):
        SAFE = "safe", _("Safe and stable")
        NEEDS_SUPPORT = "needs_support", _("Needs support")
        AT_RISK = "at_risk", _("At risk again")
        LOST_CONTACT = "lost_contact", _("Lost contact")

    class Contact(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        OFFICE = "office", _("Meeting at the office")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")
        SCHOOL = "school", _("Through the school")
        OTHER_AGENCY = "other_agency", _("Through another agency")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("case"),
    )
    closure = models.ForeignKey(
        CaseClosure,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("closure"),
    )
    months = models.PositiveSmallIntegerField(_("months after closure"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    due_on = models.DateField(_("due"))
    # Who makes the follow-up: the case owner when the case closed. My work lists a
    # user's follow-ups through the index below; the reminders go to them.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    contact_made = models.BooleanField(_("contact made"), null=True, blank=True)
    contact_method = models.CharField(
        _("how"), max_length=16, choices=Contact.choices, blank=True
    )
    situation = models.CharField(
        _("child's situation"), max_length=16, choices=Situation.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    new_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new case opened"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("follow-up after closure")
        verbose_name_plural = _("follow-ups after closure")
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "months"], name="follow_up_once_per_closure"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | (
                    models.Q(done_on__isnull=False, contact_made__isnull=False)
                    & ~models.Q(situation="")
                ),
                name="follow_up_done_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "due_on"], name="follow_up_case_idx"),
            models.Index(
                fields=["responsible", "status", "due_on"],
                condition=models.Q(status="scheduled"),
                name="follow_up_responsible_idx",
            ),
            models.Index(
                fields=["due_on"],
                condition=models.Q(status="scheduled", reminded_at__isnull=True),
                name="follow_up_to_remind_idx",
            ),
            models.Index(
                fields=["due_on"],
                condition=models.Q(status="scheduled", escalated_at__isnull=True),
                name="follow_up_to_escalate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.months}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_scheduled and is_overdue(
            self.due_on, today or timezone.localdate()
        )


class SweepCursor(models.Model):
    """Where a sweep over all cases stopped, so that each run reads one slice of them."""

    name = models.CharField(max_length=32, primary_key=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"


def reasons_for(status: str) -> list[str]:
    """The reasons that fit a way of closing: the status says where the case went, the reason why."""
    R = ClosureReason
    fitting = {
        "closed_referred": [R.TRANSFERRED, R.ADULT_SERVICES, R.OTHER],
        "closed_not_victim": [R.NOT_A_VICTIM, R.OTHER],
    }
    return [str(r) for r in fitting.get(status, list(R))]
