"""Referrals between agencies: a case sent to an organisation's inbox, with a deadline and a trail.

A referral carries only what its recipient needs: the tiers of the case it shares (`shared_tier`)
until someone of the recipient organisation joins the case team. Its status changes only through
`qorgau.referrals.services`, which checks the transition, who makes it and the version.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Tier
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted


class ReferralQuerySet(models.QuerySet["Referral"]):
    def awaiting_recipient(self) -> ReferralQuerySet:
        """Sent and not yet accepted, declined or redirected: on the recipient's clock."""
        return self.filter(status__in=Referral.AWAITING_RECIPIENT)

    def overdue(self, now: datetime | None = None) -> ReferralQuerySet:
        """Waiting past the deadline the recipient works to now (`due_at`, which is
        acknowledge_by until acknowledged, then decide_by): one range on an index."""
        now = now or timezone.now()
        return self.filter(status__in=Referral.AWAITING_RECIPIENT, due_at__lt=now)


class Referral(EnvelopeEncrypted):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REDIRECTED = "redirected", _("Redirected")
        IN_SERVICE = "in_service", _("In service")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.TextChoices):
        IMMEDIATE_DANGER = "immediate_danger", _("Immediate danger")
        URGENT = "urgent", _("Urgent")
        ROUTINE = "routine", _("Routine")

    class LegalBasis(models.TextChoices):
        CHILD_PROTECTION = (
            "child_protection",
            _("Duty to protect a child (a child needs no consent to be referred)"),
        )
        CRIMINAL_PROCEDURE = "criminal_procedure", _("Criminal procedure")
        CONSENT = "consent", _("Consent of the child or legal representative")

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("No capacity now")
        OUTSIDE_MANDATE = "outside_mandate", _("Outside our mandate")
        NOT_ELIGIBLE = "not_eligible", _("The child is not eligible")
        ALREADY_SERVED = "already_served", _("Already receiving this service")
        OTHER = "other", _("Other")

    AWAITING_RECIPIENT = (Status.SENT, Status.ACKNOWLEDGED)
    # While a referral is in one of these, its recipients may read the shared tiers of the case.
    OPEN_TO_RECIPIENT = (
        Status.SENT,
        Status.ACKNOWLEDGED,
        Status.ACCEPTED,
        Status.IN_SERVICE,
    )

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("case"),
    )
    from_organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred by"),
    )
    to_organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to organisation"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_addressed",
        verbose_name=_("to person"),
    )
    reasons = models.JSONField(_("reasons"), default=list)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices
    )
    consent = models.ForeignKey(
        "referrals.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consent relied on"),
    )
    shared_tier = models.PositiveSmallIntegerField(
        _("shares the case up to"), choices=Tier.choices, default=Tier.NARRATIVE
    )
    override_reason = models.CharField(
        _("reason for sharing beyond consent"), max_length=500, blank=True
    )
    message = EncryptedTextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    decided_at = models.DateTimeField(_("accepted or declined"), null=True, blank=True)
    in_service_at = models.DateTimeField(_("service started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    acknowledge_by = models.DateTimeField(_("to acknowledge by"), null=True, blank=True)
    decide_by = models.DateTimeField(
        _("to accept or decline by"), null=True, blank=True
    )
    # The deadline the recipient is working to now (acknowledge_by, then decide_by); none once
    # the referral is decided. Inboxes sort on it, so overdue referrals come first.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"),
        max_length=16,
        choices=DeclineReason.choices,
        blank=True,
    )
    decline_detail = EncryptedTextField(_("details"), blank=True)
    redirected_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redirected_to",
        verbose_name=_("continues the referral"),
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalated to"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(
                fields=["to_organisation", "due_at"],
                condition=models.Q(due_at__isnull=False),
                name="referral_inbox_idx",
            ),
            models.Index(
                fields=["to_user", "due_at"],
                condition=models.Q(due_at__isnull=False),
                name="referral_personal_inbox_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(due_at__isnull=False),
                name="referral_due_idx",
            ),
            models.Index(
                fields=["to_organisation", "-created_at"],
                name="referral_received_idx",
            ),
            models.Index(
                fields=["from_organisation", "-created_at"], name="referral_sent_idx"
            ),
            models.Index(fields=["case", "-created_at"], name="referral_case_idx"),
            # The cases a recipient organisation may read through its referrals (access.py):
            # without it, every referral the organisation ever received is read to find them.
            models.Index(
                fields=["to_organisation", "case"],
                condition=models.Q(
                    status__in=["sent", "acknowledged", "accepted", "in_service"]
                ),
                name="referral_open_to_org_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.due_at is not None and self.due_at < (now or timezone.now())


class Consent(models.Model):
    """Consent or assent to one purpose, given by the child and/or a legal representative.

    The child's own views are recorded apart from the representative's consent, and either may
    be withdrawn; a referral relying on consent checks it at the moment it is sent.
    """

    class Purpose(models.TextChoices):
        ASSISTANCE = "assistance", _("Assistance")
        SHARING = "sharing", _("Sharing with a named organisation")
        CRIMINAL_JUSTICE = "criminal_justice", _("Criminal justice")
        RESEARCH = "research", _("Research")

    class GivenBy(models.TextChoices):
        CHILD = "child", _("The child")
        REPRESENTATIVE = "representative", _("The legal representative")
        BOTH = "both", _("The child and the legal representative")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("case"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with"),
    )
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy.choices)
    max_tier = models.PositiveSmallIntegerField(
        _("covers the case up to"), choices=Tier.choices, default=Tier.NARRATIVE
    )
    how_obtained = models.CharField(_("how it was obtained"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.case} · {self.get_purpose_display()}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    def covers(self, organisation_id: int, tier: int) -> bool:
        """Whether this consent allows sharing the case up to `tier` with that organisation."""
        return (
            self.is_current
            and self.purpose in (self.Purpose.SHARING, self.Purpose.ASSISTANCE)
            and (
                self.organisation_id is None or self.organisation_id == organisation_id
            )
            and tier <= self.max_tier
        )


class RegionFlowSnapshot(models.Model):
    """The regional coordinator's referral figures for one region, as last computed.

    They count every referral of the region over weeks (tens of thousands in a large region);
    counting them on each page view would make the page slow for everyone, so the schedule
    recomputes each region every few minutes and the page says when its figures were taken.
    """

    region = models.OneToOneField(
        "reference.Region",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("region"),
    )
    days = models.PositiveSmallIntegerField(_("days counted"))
    computed_at = models.DateTimeField(_("computed"))
    figures = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("regional referral figures")
        verbose_name_plural = _("regional referral figures")

    def __str__(self) -> str:
        return f"{self.region} · {self.computed_at:%Y-%m-%d %H:%M}"


class TeamLoadSnapshot(models.Model):
    """Open cases per person of an organisation, for its supervisors' dashboard, as last
    computed by the schedule (see RegionFlowSnapshot): counting every team membership of a
    large organisation on each view would slow the page for all its supervisors."""

    organisation = models.OneToOneField(
        "agencies.Organisation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    computed_at = models.DateTimeField(_("computed"))
    figures = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("team load")
        verbose_name_plural = _("team loads")

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.computed_at:%Y-%m-%d %H:%M}"
