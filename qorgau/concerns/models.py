"""A concern about a child, reported by anyone through the public form, without an account.

The report is held encrypted like any record about a child and lands in one organisation's inbox
(the region's hotline, or its coordinator). The reporter keeps only its reference, with which
they may add information later and see whether it is being looked at, never what it says.
No address, browser or account of the reporter is stored with it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Organisation, User
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted
from qorgau.reference.models import Region


class ConcernReport(EnvelopeEncrypted):
    class Reporter(models.TextChoices):
        CHILD_SELF = "child_self", _("A child, about themselves")
        CHILD_OTHER = "child_other", _("A child, about another child")
        ADULT = "adult", _("An adult: a relative, neighbour or someone else")
        PROFESSIONAL = "professional", _("A professional: a teacher, doctor or other")

    class Danger(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("I do not know")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGE = "triage", _("Being triaged")
        CLOSED = "closed", _("Closed")

    class Closure(models.TextChoices):
        REFERRED = "referred", _("A case was opened and the child referred")
        KNOWN = "known", _("The child is already known and helped")
        PASSED_ON = "passed_on", _("Passed to the police or another service")
        NO_CONCERN = "no_concern", _("No concern for a child's safety was found")
        NOT_ENOUGH = "not_enough", _("Too little to act on; nobody to contact")

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        related_name="concern_reports",
        verbose_name=_("inbox of"),
    )
    language = models.CharField(_("language"), max_length=2, default="ru")
    easy_read = models.BooleanField(_("easy-read form"), default=False)
    reporter = models.CharField(
        _("who reports"), max_length=16, choices=Reporter.choices
    )
    danger_now = models.CharField(
        _("danger right now"), max_length=8, choices=Danger.choices
    )
    concern = EncryptedTextField(_("what worries the reporter"))
    child_details = EncryptedTextField(_("about the child"), blank=True)
    place = EncryptedTextField(_("where"), blank=True)
    contact = EncryptedTextField(_("how to reach the reporter"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    screening = models.OneToOneField(
        "screening.Screening",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concern_report",
        verbose_name=_("triage"),
    )
    closure = models.CharField(
        _("closed because"), max_length=12, choices=Closure.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closing note"), blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("concern report")
        verbose_name_plural = _("concern reports")
        indexes = [
            # the inbox: an organisation's open reports, newest first
            models.Index(
                fields=["organisation", "status", "-received_at"],
                name="concern_inbox",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class ConcernAddition(EnvelopeEncrypted):
    """More information the reporter added later with the reference."""

    report = models.ForeignKey(
        ConcernReport, on_delete=models.CASCADE, related_name="additions"
    )
    text = EncryptedTextField(_("added information"))
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("added information")
        verbose_name_plural = _("added information")
