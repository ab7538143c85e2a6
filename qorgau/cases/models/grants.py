from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Tier
from qorgau.cases.models.cases import Case


class CaseAccessGrantQuerySet(models.QuerySet["CaseAccessGrant"]):
    def current(self) -> "CaseAccessGrantQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=now).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def break_glass(self) -> "CaseAccessGrantQuerySet":
        return self.filter(purpose=CaseAccessGrant.Purpose.BREAK_GLASS)

    def awaiting_review(self) -> "CaseAccessGrantQuerySet":
        return self.break_glass().filter(reviewed_at__isnull=True)


class CaseAccessGrant(models.Model):
    """Access to one case beyond its team: opened to an oversight body, or emergency (break-glass) access.

    A grant reaches an organisation or one user, up to a sensitivity tier, read-only unless it says
    otherwise, and ends when it expires or is revoked.
    """

    class Purpose(models.TextChoices):
        OVERSIGHT = "oversight", _("Oversight")
        BREAK_GLASS = "break_glass", _("Emergency access")
        REFERRAL = "referral", _("Referral")

    class Reason(models.TextChoices):
        IMMEDIATE_DANGER = "immediate_danger", _("The child is in immediate danger")
        MISSING_CHILD = "missing_child", _("The child is missing")
        EMERGENCY_CARE = "emergency_care", _("Emergency medical or shelter placement")
        OWNER_UNREACHABLE = "owner_unreachable", _("The case team cannot be reached")

    class ReviewOutcome(models.TextChoices):
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="access_grants",
        verbose_name=_("case"),
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_grants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_grants",
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    max_tier = models.PositiveSmallIntegerField(
        _("up to tier"), choices=Tier.choices, default=Tier.NARRATIVE
    )
    can_write = models.BooleanField(default=False)
    reason_code = models.CharField(_("reason"), max_length=32, blank=True)
    reason = models.TextField(_("explanation"), blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_outcome = models.CharField(
        _("review outcome"), max_length=16, choices=ReviewOutcome.choices, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)

    objects = CaseAccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("case access grant")
        verbose_name_plural = _("case access grants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(user__isnull=False),
                name="grant_has_grantee",
            )
        ]
        indexes = [
            models.Index(fields=["user", "case"], name="grant_user_idx"),
            models.Index(fields=["organisation", "case"], name="grant_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.user or self.organisation} ({self.get_purpose_display()})"

    @property
    def reason_label(self) -> str:
        codes = self.Reason.values
        return (
            str(self.Reason(self.reason_code).label)
            if self.reason_code in codes
            else self.reason_code
        )

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and self.valid_from <= now
            and (self.expires_at is None or self.expires_at > now)
        )
