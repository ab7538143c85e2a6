import hashlib
import secrets
from datetime import datetime
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Capability, Role, combined
from qorgau.lib.i18n import pick_label
from qorgau.reference.models import District, Region, Term


class Ministry(models.TextChoices):
    INTERNAL_AFFAIRS = "internal_affairs", _("Ministry of Internal Affairs")
    LABOUR_SOCIAL_PROTECTION = (
        "labour_social_protection",
        _("Ministry of Labour and Social Protection"),
    )
    EDUCATION = "education", _("Ministry of Education")
    HEALTH = "health", _("Ministry of Health")
    JUSTICE = "justice", _("Ministry of Justice")
    FOREIGN_AFFAIRS = "foreign_affairs", _("Ministry of Foreign Affairs")
    NATIONAL_SECURITY = (
        "national_security",
        _("National Security Committee (Border Service)"),
    )
    PROSECUTOR_GENERAL = "prosecutor_general", _("General Prosecutor's Office")
    OMBUDSMAN = "ombudsman", _("Children's Rights Commissioner")
    LOCAL_EXECUTIVE = "local_executive", _("Local executive body (akimat)")
    NONE = "none", _("Non-governmental")


class Service(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION = "education", _("Education")
    SPECIAL_SOCIAL_SERVICES = "special_social_services", _("Special social services")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    REPATRIATION = "repatriation", _("Repatriation")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    HOTLINE = "hotline", _("Hotline")


class Accessibility(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Wheelchair access")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    EASY_READ = "easy_read", _("Easy-read materials")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    BRAILLE = "braille", _("Braille")
    INTERPRETER = "interpreter", _("Interpreters")


class Organisation(models.Model):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        limit_choices_to={"vocabulary": "org_Type"},
        verbose_name=_("type"),
    )
    ministry = models.CharField(
        _("ministry"), max_length=32, choices=Ministry.choices, default=Ministry.NONE
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, verbose_name=_("region")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    is_first_responder = models.BooleanField(_("first responder"), default=False)
    is_service_provider = models.BooleanField(_("service provider"), default=False)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (places)"), null=True, blank=True
    )
    accessibility = models.JSONField(
        _("accessibility features"), default=list, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "name_ru"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_label(self, "name")

    def service_labels(self) -> list[str]:
        return [str(Service(s).label) for s in self.services if s in Service.values]

    def accessibility_labels(self) -> list[str]:
        return [
            str(Accessibility(a).label)
            for a in self.accessibility
            if a in Accessibility.values
        ]


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    region_scope = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region scope"),
        help_text=_("For regional coordinators: the region they coordinate."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="ru",
    )
    email_delivery = models.CharField(
        _("notifications by e-mail"),
        max_length=10,
        choices=[
            ("immediate", _("At once, one e-mail each")),
            ("daily", _("Once a day, in one digest")),
        ],
        default="immediate",
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @property
    def capability(self) -> Capability:
        if self.organisation_id is None:
            return Capability(administers=self.is_superuser)
        return combined(self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles) if r in Role.values]

    @property
    def primary_role(self) -> str:
        """The role recorded in the audit trail: the most privileged one the user holds."""
        order = list(Role.values)
        held = sorted(self.roles, key=order.index)
        return held[0] if held else ""

    @property
    def effective_region(self) -> Region | None:
        if self.region_scope_id:
            return self.region_scope
        return self.organisation.region if self.organisation else None


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A per-user API token; only its SHA-256 is stored, the token itself is shown once."""

    PREFIX = "qg_"

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        _("token hint (first characters)"), max_length=12, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(
        cls, user: User, *, name: str, expires_at: datetime | None = None
    ) -> tuple["ApiToken", str]:
        token = cls.PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(token),
            hint=token[:8],
            expires_at=expires_at,
        )
        return row, token


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user; its text is rendered in the reader's language from `kind` and `params`."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
