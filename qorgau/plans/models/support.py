"""The support plan (HTCDS `spl_`), the services it plans and the deliveries its providers record.

A plan is drafted by the case team and approved by a supervisor of the lead organisation
before it is active; its goals are case narrative and encrypted. Each planned service names
a service-provider organisation, and only that organisation's staff on the case team record
what was delivered, so "delivered against planned" is the provider's own account.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import Service
from qorgau.agencies.roles import Tier
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Vocational training")
    DISABILITY_SERVICES = (
        "disability_services",
        _("Special social services for children with disabilities"),
    )
    FAMILY_SUPPORT = "family_support", _("Family support")
    REPATRIATION = "repatriation", _("Repatriation")
    INTERPRETATION = "interpretation", _("Interpretation or sign language")


# HTCDS 2.0 has no services vocabulary; its support-plan type (`spl_Type`, a Term vocabulary)
# is coarser. Each service maps to the spl_Type it falls under, for exports.
HTCDS_SUPPORT_TYPE: dict[str, str] = {
    ServiceType.SHELTER: "SocialCare",
    ServiceType.MEDICAL: "Health",
    ServiceType.PSYCHOLOGICAL: "Health",
    ServiceType.LEGAL_AID: "Legal",
    ServiceType.EDUCATION: "Education",
    ServiceType.VOCATIONAL: "Livelihood",
    ServiceType.DISABILITY_SERVICES: "SocialCare",
    ServiceType.FAMILY_SUPPORT: "SocialCare",
    ServiceType.REPATRIATION: "SocialCare",
    ServiceType.INTERPRETATION: "SocialCare",
}
# What an organisation lists among the services it offers (`Organisation.services`).
OFFERED_AS: dict[str, str] = {
    ServiceType.SHELTER: Service.SHELTER,
    ServiceType.MEDICAL: Service.MEDICAL,
    ServiceType.PSYCHOLOGICAL: Service.PSYCHOLOGICAL,
    ServiceType.LEGAL_AID: Service.LEGAL_AID,
    ServiceType.EDUCATION: Service.EDUCATION,
    ServiceType.VOCATIONAL: Service.EDUCATION,
    ServiceType.DISABILITY_SERVICES: Service.SPECIAL_SOCIAL_SERVICES,
    ServiceType.FAMILY_SUPPORT: Service.SPECIAL_SOCIAL_SERVICES,
    ServiceType.REPATRIATION: Service.REPATRIATION,
}
# Notes on medical, psychological and disability services are health details (tier 3).
HEALTH_SERVICES = frozenset(
    {ServiceType.MEDICAL, ServiceType.PSYCHOLOGICAL, ServiceType.DISABILITY_SERVICES}
)


def notes_tier(service_type: str) -> int:
    return Tier.HEALTH if service_type in HEALTH_SERVICES else Tier.NARRATIVE


class SupportPlan(EnvelopeEncrypted):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.DRAFT, Status.ACTIVE)
    NEXT: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.ACTIVE, Status.CANCELLED),
        Status.ACTIVE: (Status.COMPLETED, Status.CANCELLED),
        Status.COMPLETED: (),
        Status.CANCELLED: (),
    }

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="support_plans",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    goals = EncryptedTextField(_("goals"))
    planned_end_date = models.DateField(_("planned end"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = EncryptedTextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "completed", "cancelled"]),
                name="support_plan_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="support_plan_approved_before_active",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "active"]),
                name="support_plan_one_open_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="support_plan_case_idx")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def htcds_types(self) -> list[str]:
        """The HTCDS `spl_Type` codes the plan's services fall under."""
        types = {HTCDS_SUPPORT_TYPE[s.service_type] for s in self.services.all()}
        return sorted(types)


class PlannedServiceQuerySet(models.QuerySet["PlannedService"]):
    def with_deliveries(self) -> PlannedServiceQuerySet:
        """Counts what was delivered: sessions attended in full or in part, sessions missed,
        and minutes given."""
        given = Q(deliveries__attendance__in=["attended", "partly"])
        return self.annotate(
            delivered_count=Count("deliveries", filter=given),
            missed_count=Count(
                "deliveries", filter=Q(deliveries__attendance="did_not_attend")
            ),
            delivered_minutes=Sum("deliveries__duration_minutes", filter=given),
        )


class PlannedService(models.Model):
    class Frequency(models.TextChoices):
        ONCE = "once", _("Once")
        DAILY = "daily", _("Daily")
        SEVERAL_WEEKLY = "several_weekly", _("Several times a week")
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        AS_NEEDED = "as_needed", _("As needed")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    NEXT: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.ACTIVE, Status.CANCELLED),
        Status.ACTIVE: (Status.COMPLETED, Status.CANCELLED),
        Status.COMPLETED: (),
        Status.CANCELLED: (),
    }
    OPEN = (Status.PLANNED, Status.ACTIVE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("support plan"),
    )
    service_type = models.CharField(
        _("service"), max_length=20, choices=ServiceType.choices
    )
    provider = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        related_name="planned_services",
        verbose_name=_("provider"),
    )
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices
    )
    planned_sessions = models.PositiveIntegerField(
        _("sessions planned"), null=True, blank=True
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlannedServiceQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "created_at"]
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        constraints = [
            models.CheckConstraint(
                condition=Q(service_type__in=ServiceType.values),
                name="planned_service_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "active", "completed", "cancelled"]),
                name="planned_service_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="planned_service_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status"], name="planned_service_prov_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} · {self.provider}"

    @property
    def notes_tier(self) -> int:
        return notes_tier(self.service_type)


class Accommodation(models.TextChoices):
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    AAC = "aac", _("Augmentative and alternative communication (AAC)")
    EASY_READ = "easy_read", _("Easy-read")
    PICTOGRAMS = "pictograms", _("Pictograms")
    INTERPRETER = "interpreter", _("Interpreter")
    BRAILLE = "braille", _("Braille or large print")
    STEP_FREE = "step_free", _("Step-free access")
    BREAKS = "breaks", _("Extra time or breaks")
    SUPPORT_PERSON = "support_person", _("A trusted adult present")


class ServiceDelivery(EnvelopeEncrypted):
    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        PARTLY = "partly", _("Partly attended")
        DID_NOT_ATTEND = "did_not_attend", _("Did not attend")

    service = models.ForeignKey(
        PlannedService,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("service"),
    )
    delivered_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices
    )
    accommodations = models.JSONField(_("accommodations used"), default=list)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-delivered_on", "-recorded_at"]
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__in=["attended", "partly", "did_not_attend"]),
                name="service_delivery_attendance_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=24 * 60),
                name="service_delivery_duration_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["service", "-delivered_on"], name="service_delivery_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.delivered_on}"

    def accommodation_labels(self) -> list[str]:
        return [
            str(Accommodation(a).label)
            for a in self.accommodations
            if a in Accommodation.values
        ]
