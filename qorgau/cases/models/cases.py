from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.roles import Tier
from qorgau.cases.models.persons import Person
from qorgau.lib.fields import EncryptedTextField, EnvelopeEncrypted
from qorgau.reference.models import Region


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        return self.exclude(status__in=Case.CLOSED_STATUSES)

    def visible_to(self, user: Any, *, ordered: bool = True) -> "CaseQuerySet":
        from qorgau.cases.access import case_scope

        scope = case_scope(user, ordered=ordered)
        return self.none() if scope is None else self.filter(scope)


class Case(models.Model):
    class Type(models.TextChoices):
        CHILD_PROTECTION_RISK = "child_protection_risk", _("Child protection risk")
        POTENTIAL_VICTIM = "potential_victim", _("Potential victim")
        CONFIRMED_VICTIM = "confirmed_victim", _("Confirmed victim")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCREENING_POSITIVE = "screening_positive", _("Screening positive")
        PRELIMINARY_IDENTIFICATION = (
            "preliminary_identification",
            _("Preliminary identification"),
        )
        REFERRED = "referred", _("Referred")
        REFLECTION_PERIOD = "reflection_period", _("Recovery and reflection period")
        ASSISTANCE_ACTIVE = "assistance_active", _("Assistance active")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")
        CLOSED_REFERRED = "closed_referred", _("Closed (referred)")
        CLOSED_NOT_VICTIM = "closed_not_victim", _("Closed (not a victim)")

    class VictimStatus(models.TextChoices):
        """HTCDS vic_TraffickingStatus; only an identification decision changes it."""

        POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
        ACTUAL = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
        NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    CLOSED_STATUSES = (Status.CLOSED, Status.CLOSED_REFERRED, Status.CLOSED_NOT_VICTIM)
    # The NRM path (domain.md §5.3). A case moves forward along it, skipping stages when an
    # agency identifies a child directly; it goes back only from follow-up to assistance.
    NRM_PATH = (
        Status.DRAFT,
        Status.SCREENING_POSITIVE,
        Status.PRELIMINARY_IDENTIFICATION,
        Status.REFERRED,
        Status.REFLECTION_PERIOD,
        Status.ASSISTANCE_ACTIVE,
        Status.FOLLOW_UP,
    )
    PRIORITY_RANK = {
        Priority.URGENT: 0,
        Priority.HIGH: 1,
        Priority.NORMAL: 2,
        Priority.LOW: 3,
    }

    number = models.CharField(_("case number"), max_length=24, unique=True)
    type = models.CharField(
        _("case type"),
        max_length=24,
        choices=Type.choices,
        default=Type.CHILD_PROTECTION_RISK,
    )
    status = models.CharField(
        _("status"), max_length=28, choices=Status.choices, default=Status.DRAFT
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    victim_status = models.CharField(
        _("victim status"),
        max_length=32,
        choices=VictimStatus.choices,
        default=VictimStatus.POSSIBLE,
        db_default=VictimStatus.POSSIBLE,  # rows written in bulk (seed_demo) leave it out
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, verbose_name=_("region")
    )
    lead_organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("lead organisation"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    child = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="cases_as_child",
        verbose_name=_("child"),
    )
    # An unaccompanied or separated child must have a guardian or legal representative appointed.
    unaccompanied = models.BooleanField(
        _("unaccompanied or separated child"), default=False, db_default=False
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="case_recent_idx"),
            models.Index(
                fields=["lead_organisation", "-updated_at"], name="case_org_recent_idx"
            ),
            models.Index(
                fields=["region", "-updated_at"], name="case_region_recent_idx"
            ),
            models.Index(
                fields=["status", "-updated_at"], name="case_status_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.number])

    @classmethod
    def next_statuses(cls, status: str) -> list[str]:
        """Where a case in `status` may go next; closed cases go nowhere."""
        if status not in cls.NRM_PATH:
            return []
        here = cls.NRM_PATH.index(cls.Status(status))
        nexts: list[str] = list(cls.NRM_PATH[here + 1 :])
        if status == cls.Status.FOLLOW_UP:
            nexts.append(cls.Status.ASSISTANCE_ACTIVE)  # risk came back
        nexts.append(cls.Status.CLOSED)
        if here >= cls.NRM_PATH.index(cls.Status.REFERRED):
            nexts.append(cls.Status.CLOSED_REFERRED)
        if here < cls.NRM_PATH.index(cls.Status.REFLECTION_PERIOD):
            nexts.append(cls.Status.CLOSED_NOT_VICTIM)
        return nexts

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES


class CaseNumberCounter(models.Model):
    """The last case number issued per region and year; numbers say nothing about the child."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], name="case_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region.code}/{self.year}: {self.last}"


class CaseMemberQuerySet(models.QuerySet["CaseMember"]):
    def active(self) -> "CaseMemberQuerySet":
        return self.filter(removed_at__isnull=True)


class CaseMember(models.Model):
    """A person on the case team; each member acts within their platform role and their role on the case."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead caseworker")
        CASEWORKER = "caseworker", _("Caseworker")
        INVESTIGATOR = "investigator", _("Investigator")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        HEALTH_WORKER = "health_worker", _("Health worker")
        EDUCATOR = "educator", _("Educator")
        LEGAL_ADVISER = "legal_adviser", _("Legal adviser")
        SERVICE_PROVIDER = "service_provider", _("Service provider (by referral)")
        OBSERVER = "observer", _("Observer (read only)")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role on the case"), max_length=16, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = CaseMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_active_unique",
            )
        ]
        indexes = [
            # Only current members, so a user's cases are read from the index alone (PostgreSQL
            # otherwise visits a heap page per membership to check `removed_at`).
            models.Index(
                fields=["user", "case"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_active_user_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_read_only(self) -> bool:
        return self.role == self.Role.OBSERVER


class CaseParticipant(models.Model):
    """A person linked to a case other than the child: a parent, a guardian, a suspected trafficker…"""

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        SIBLING = "sibling", _("Sibling")
        RELATIVE = "relative", _("Other relative")
        CARER = "carer", _("Carer")
        REFERRER = "referrer", _("Referrer")
        WITNESS = "witness", _("Witness")
        SUSPECTED_TRAFFICKER = "suspected_trafficker", _("Suspected trafficker")
        RECRUITER = "recruiter", _("Recruiter")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("person"),
    )
    relation = models.CharField(
        _("relation to the child"), max_length=24, choices=Relation.choices
    )
    has_parental_responsibility = models.BooleanField(
        _("has parental responsibility"), default=False
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("linked person")
        verbose_name_plural = _("linked persons")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "relation"], name="case_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_relation_display()

    @property
    def tier(self) -> int:
        """A suspected trafficker's identity is criminal intelligence; other relations are identity data."""
        criminal = (self.Relation.SUSPECTED_TRAFFICKER, self.Relation.RECRUITER)
        return Tier.CRIMINAL if self.relation in criminal else Tier.IDENTITY


class CaseNote(EnvelopeEncrypted):
    """A note on a case, encrypted, shown only to those whose access reaches its sensitivity tier.

    Notes are never edited: a correction is a new note, so what others read stays on the record.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tier = models.PositiveSmallIntegerField(
        _("sensitivity"), choices=Tier.choices, default=Tier.NARRATIVE
    )
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [
            models.Index(
                fields=["case", "tier", "-created_at"], name="case_note_case_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_tier_display()}"


class CaseEvent(models.Model):
    """The case timeline: what happened, when and by whom; parameters hold no personal data."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        UPDATED = "updated", _("Case details changed")
        CHILD_UPDATED = "child_updated", _("Child's details changed")
        STATUS_CHANGED = "status_changed", _("Status changed")
        OWNER_CHANGED = "owner_changed", _("Owner changed")
        MEMBER_ADDED = "member_added", _("Team member added")
        MEMBER_REMOVED = "member_removed", _("Team member removed")
        PERSON_LINKED = "person_linked", _("Person linked")
        NOTE_ADDED = "note_added", _("Note added")
        ACCESS_GRANTED = "access_granted", _("Access opened")
        ACCESS_REVOKED = "access_revoked", _("Access closed")
        BREAK_GLASS = "break_glass", _("Emergency access")
        REFERRAL = "referral", _("Referral")
        DECISION = "decision", _("Identification decision")
        CONSENT = "consent", _("Consent")
        AGE_ASSESSMENT = "age_assessment", _("Age assessment")
        GUARDIANSHIP = "guardianship", _("Guardian or legal representative")
        BEST_INTERESTS = "best_interests", _("Best interests")
        PLAN = "plan", _("Risk, safety and support plans")
        REVIEW = "review", _("Case review")
        FOLLOW_UP = "follow_up", _("Follow-up after closure")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    params = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "-at"], name="case_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"

    def describe(self) -> Any:
        from qorgau.cases.timeline import describe

        return describe(self)
