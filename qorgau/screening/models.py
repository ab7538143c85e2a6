"""Screening instruments as versioned data, and the screenings done with them.

A screening is pseudonymous: it carries a reference, never a name; its answers are encrypted.
Only a result that is referred is linked to a child's case. Counts by band and by item answer are
kept as tallies, so that statistics outlive the negative results deleted after their retention
period (domain.md §9.3: anonymised statistics indefinitely).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.lib.fields import EncryptedJSONField, EncryptedTextField, EnvelopeEncrypted
from qorgau.screening.definition import Definition


class Setting(models.TextChoices):
    """Where a screening takes place; the same codes as instrument files (`definition.SETTINGS`)."""

    SCHOOL = "school", _("School")
    CLINIC = "clinic", _("Clinic or hospital")
    SOCIAL_SERVICES = "social_services", _("Social services")
    POLICE = "police", _("Police")
    HOTLINE = "hotline", _("Hotline")
    SHELTER = "shelter", _("Shelter")
    NGO = "ngo", _("Non-governmental organisation")


# The ILO/EC dimensions (definition.DIMENSIONS), as the result page names them.
DIMENSION_LABELS = {
    "deceptive_recruitment": _("Deceptive recruitment"),
    "coercive_recruitment": _("Coercive recruitment"),
    "recruitment_abuse_of_vulnerability": _("Recruitment by abuse of vulnerability"),
    "exploitative_conditions": _("Exploitative conditions"),
    "coercion_at_destination": _("Coercion at destination"),
    "abuse_of_vulnerability_at_destination": _("Abuse of vulnerability at destination"),
}


class Band(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    IMMEDIATE_DANGER = "immediate_danger", _("Immediate danger")


class Instrument(models.Model):
    """One instrument across its versions; `code` is the file's code."""

    code = models.SlugField(_("code"), max_length=63, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")

    def __str__(self) -> str:
        return self.code

    def published(self) -> InstrumentVersion | None:
        return (
            self.versions.filter(status=InstrumentVersion.Status.PUBLISHED)
            .order_by("-version")
            .first()
        )


class InstrumentVersion(models.Model):
    """A version's whole definition. Once published it never changes: the services refuse it
    and database triggers refuse any UPDATE or DELETE of a published row."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    definition = models.JSONField(_("definition"))
    source = models.TextField(_("file as imported"))
    digest = models.CharField(_("SHA-256 of the definition"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["instrument__code", "-version"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "version"], name="instrument_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "retired"]),
                name="instrument_version_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse(
            "screening:instrument_version", args=[self.instrument.code, self.version]
        )

    @functools.cached_property
    def parsed(self) -> Definition:
        return parsed_definition(self.digest, self.definition)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


_PARSED: dict[str, Definition] = {}


def parsed_definition(digest: str, data: dict[str, object]) -> Definition:
    """Parsed once per process: a digest names one definition for ever."""
    if digest not in _PARSED:
        _PARSED[digest] = Definition.parse(data)
    return _PARSED[digest]


class Screening(EnvelopeEncrypted):
    """One administration of an instrument version, under a pseudonymous reference."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        REFERRED = "referred", _("Referred")

    class Mode(models.TextChoices):
        STANDARD = "standard", _("Standard wording")
        EASY_READ = "easy_read", _("Easy-read wording")

    class Participation(models.TextChoices):
        SPEECH = "speech", _("Spoke for themself")
        SIGN_LANGUAGE = "sign_language", _("Sign language, with an interpreter")
        AAC = "aac", _("Augmentative and alternative communication (AAC)")
        EASY_READ = "easy_read", _("Easy-read questions")
        PICTOGRAMS = "pictograms", _("Pictograms")
        WRITING = "writing", _("Wrote the answers")
        CAREGIVER = "caregiver", _("With a caregiver present")
        OBSERVATION = "observation", _("Not asked: the screener's observation")

    class Accommodation(models.TextChoices):
        BREAKS = "breaks", _("Breaks")
        QUIET_ROOM = "quiet_room", _("A quiet room")
        EXTRA_TIME = "extra_time", _("Extra time")
        INTERPRETER = "interpreter", _("Interpreter")
        ASSISTIVE_DEVICE = "assistive_device", _("Own assistive device")
        TRUSTED_ADULT = "trusted_adult", _("A trusted adult of the child's choice")
        SIMPLE_LANGUAGE = "simple_language", _("Questions rephrased in simple words")

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="screenings"
    )
    organisation = models.ForeignKey(
        "agencies.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="+"
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)
    mode = models.CharField(
        _("wording"), max_length=10, choices=Mode.choices, default=Mode.STANDARD
    )
    language = models.CharField(_("language of the screening"), max_length=2)
    participation = models.JSONField(_("how the child took part"), default=list)
    accommodations = models.JSONField(_("accommodations used"), default=list)
    accommodations_note = EncryptedTextField(_("other accommodations"), blank=True)
    answers = EncryptedJSONField(_("answers"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    band = models.CharField(
        _("result"), max_length=16, choices=Band.choices, blank=True
    )
    score = models.IntegerField(_("score"), null=True, blank=True)
    dimensions_met = models.JSONField(default=list, blank=True)
    danger = models.JSONField(default=list, blank=True)
    override_band = models.CharField(
        _("screener's result"), max_length=16, choices=Band.choices, blank=True
    )
    override_reason = EncryptedTextField(_("why the screener differs"), blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    delete_after = models.DateField(_("deleted after"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="completed") | ~models.Q(band=""),
                name="screening_completed_has_result",
            ),
            models.CheckConstraint(
                condition=models.Q(override_band="")
                | models.Q(override_reason__isnull=False),
                name="screening_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["screener", "-started_at"], name="screening_screener_idx"
            ),
            models.Index(
                fields=["organisation", "-started_at"], name="screening_org_idx"
            ),
            models.Index(
                fields=["delete_after"],
                condition=models.Q(delete_after__isnull=False),
                name="screening_to_delete_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def result(self) -> str:
        """The band that stands: the screener's, where they differ from the score."""
        return self.override_band or self.band

    @property
    def is_referable(self) -> bool:
        """A completed positive or immediate-danger result, not yet referred to a case."""
        return self.status == self.Status.COMPLETED and self.result != "negative"


class ResultTally(models.Model):
    """Completed screenings per version, setting, region, month and band; never personal."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="+"
    )
    setting = models.CharField(max_length=16)
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField()
    band = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "setting", "region", "month", "band"],
                name="result_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.setting} · {self.month:%Y-%m} · {self.band}"


class AnswerTally(models.Model):
    """How often each item was endorsed (a yes, or an option that scores), per version, setting
    and month: the item endorsement rates editors and analysts read."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="+"
    )
    setting = models.CharField(max_length=16)
    month = models.DateField()
    answer = models.CharField(max_length=130)  # item code, or item:option
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "setting", "month", "answer"],
                name="answer_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.setting} · {self.month:%Y-%m} · {self.answer}"
