"""Age assessments and guardian or legal-representative appointments (domain.md §3, §5.2).

An unaccompanied or separated child must have a guardian or a legal representative appointed as
soon as they are identified (CoE Convention Art. 10(4)); a child whose age is uncertain is
presumed a minor. Both records are history: an assessment is never edited (a new one is
recorded), and an appointment moves requested → appointed → ended or requested → withdrawn,
keeping every step. Reasons and notes are case narrative (a medical examination's are health
details) and are encrypted, as are the documented date of birth and the legal act's reference.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Tier
from qorgau.guardianship.minority import Finding
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted


class AgeAssessment(EnvelopeEncrypted):
    """One assessment of a case child's age, by an organisation, on a day."""

    class Method(models.TextChoices):
        DOCUMENTS = "documents", _("Identity or birth documents")
        MEDICAL = "medical_examination", _("Medical examination")
        PSYCHOSOCIAL = "psychosocial_interview", _("Psychosocial interview")
        OTHER = "other", _("Other method")

    class Conclusion(models.TextChoices):
        DOCUMENTED = "documented", _("Documented age")
        ESTIMATED = "estimated", _("Estimated age range")
        DISPUTED = "disputed", _("Age disputed")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="age_assessments",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="age_assessments",
        verbose_name=_("child"),
    )
    method = models.CharField(_("method"), max_length=24, choices=Method.choices)
    conclusion = models.CharField(
        _("conclusion"), max_length=12, choices=Conclusion.choices
    )
    documented_birth_date = EncryptedTextField(_("documented date of birth"))
    age_min = models.PositiveSmallIntegerField(
        _("youngest age (years)"), null=True, blank=True
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age (years)"), null=True, blank=True
    )
    assessing_organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessing organisation"),
    )
    assessed_on = models.DateField(_("assessed on"))
    reasons = EncryptedTextField(_("reasons"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]
        verbose_name = _("age assessment")
        verbose_name_plural = _("age assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="age_assessment_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_max__lte=30),
                name="age_assessment_range_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(conclusion="estimated")
                | Q(age_min__isnull=False, age_max__isnull=False),
                name="age_assessment_estimate_has_range",
            ),
            models.CheckConstraint(
                condition=~Q(conclusion="documented")
                | Q(method="documents", documented_birth_date__isnull=False),
                name="age_assessment_documented_by_documents",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "-assessed_on"], name="age_assessment_person_idx"
            ),
            models.Index(
                fields=["case", "-assessed_on"], name="age_assessment_case_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_conclusion_display()}"

    @property
    def reasons_tier(self) -> int:
        """A medical examination's findings are health details; other reasons are narrative."""
        return Tier.HEALTH if self.method == self.Method.MEDICAL else Tier.NARRATIVE

    @property
    def documented_birth_date_value(self) -> date | None:
        text = self.documented_birth_date
        return date.fromisoformat(text) if text else None

    @property
    def finding(self) -> Finding:
        return Finding(self.conclusion, self.age_min, self.age_max)


class AppointmentQuerySet(models.QuerySet["GuardianAppointment"]):
    def requested(self) -> AppointmentQuerySet:
        return self.filter(status=GuardianAppointment.Status.REQUESTED)

    def appointed(self) -> AppointmentQuerySet:
        return self.filter(status=GuardianAppointment.Status.APPOINTED)

    def overdue(self, now: datetime | None = None) -> AppointmentQuerySet:
        return self.requested().filter(due_at__lt=now or timezone.now())


class GuardianAppointment(EnvelopeEncrypted):
    """A guardian, trustee or legal representative for a case child: asked for, then appointed.

    The person appointed is linked to the case (`CaseParticipant`, as guardian or legal
    representative), or an organisation such as a children's institution is appointed.
    """

    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("Guardian (child under 14)")
        TRUSTEE = "trustee", _("Trustee (child of 14 to 18)")
        TEMPORARY_GUARDIAN = "temporary_guardian", _("Temporary guardian")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPOINTED = "appointed", _("Appointed")
        ENDED = "ended", _("Ended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class EndReason(models.TextChoices):
        MAJORITY = "majority", _("The child reached majority")
        REPLACED = "replaced", _("Replaced by a new appointment")
        REVOKED = "revoked", _("Revoked")
        CASE_CLOSED = "case_closed", _("The case was closed")

    class Origin(models.TextChoices):
        UNACCOMPANIED = "unaccompanied", _("Required: unaccompanied child")
        TEAM = "team", _("Asked for by the case team")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="guardian_appointments",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    origin = models.CharField(
        _("why it was asked for"),
        max_length=16,
        choices=Origin.choices,
        default=Origin.TEAM,
    )
    notes = EncryptedTextField(_("notes"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,  # none when the schedule or a rule asked
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    participant = models.ForeignKey(
        "cases.CaseParticipant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("person appointed"),
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation appointed"),
    )
    appointing_authority = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointing authority"),
    )
    legal_act_reference = EncryptedTextField(_("legal act"))
    legal_act_date = models.DateField(_("date of the legal act"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    appointed_at = models.DateTimeField(
        _("appointment recorded"), null=True, blank=True
    )
    end_reason = models.CharField(
        _("reason for the end"), max_length=12, choices=EndReason.choices, blank=True
    )
    end_note = EncryptedTextField(_("note on the end"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = EncryptedTextField(_("why it was withdrawn"))
    version = models.PositiveIntegerField(default=1, editable=False)
    overdue_reported_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("guardian or legal-representative appointment")
        verbose_name_plural = _("guardian and legal-representative appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="appointed"),
                name="guardianship_one_active_per_kind",
            ),
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="requested"),
                name="guardianship_one_request_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) | Q(organisation__isnull=True),
                name="guardianship_one_appointee",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "withdrawn"])
                | (
                    (Q(participant__isnull=False) | Q(organisation__isnull=False))
                    & Q(
                        appointing_authority__isnull=False,
                        legal_act_reference__isnull=False,
                        legal_act_date__isnull=False,
                        appointed_at__isnull=False,
                    )
                ),
                name="guardianship_appointment_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended")
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="guardianship_end_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="guardianship_withdrawal_dated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["case", "-requested_at"], name="guardianship_case_idx"
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(status="requested"),
                name="guardianship_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"

    @property
    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.APPOINTED

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (
            self.is_requested
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )
