from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qorgau.lib.fields import EncryptedJSONField, EncryptedTextField, EnvelopeEncrypted
from qorgau.reference.models import District, Region


class Person(EnvelopeEncrypted):
    """A child, or an adult related to a child's case. Identity and contact fields are encrypted."""

    class Kind(models.TextChoices):
        CHILD = "child", _("Child")
        ADULT = "adult", _("Adult")

    class AgeAssessment(models.TextChoices):
        DOCUMENTED = "documented", _("Documented")
        ESTIMATED = "estimated", _("Estimated")
        DISPUTED = "disputed", _("Disputed")
        PRESUMED_MINOR = "presumed_minor", _("Presumed minor")

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNKNOWN = "unknown", _("Not known")

    class Disability(models.TextChoices):
        NONE = "none", _("None known")
        SUSPECTED = "suspected", _("Suspected")
        CERTIFIED = "certified", _("Certified")

    class DisabilityType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        VISUAL = "visual", _("Visual")
        HEARING = "hearing", _("Hearing")
        INTELLECTUAL = "intellectual", _("Intellectual")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
        SPEECH = "speech", _("Speech")
        MULTIPLE = "multiple", _("Multiple")

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")
        OTHER = "other", _("Other")

    class CommunicationNeed(models.TextChoices):
        SIGN_LANGUAGE = "sign_language", _("Sign language")
        AAC = "aac", _("Augmentative and alternative communication (AAC)")
        INTERPRETER = "interpreter", _("Interpreter")
        EASY_READ = "easy_read", _("Easy-read")

    kind = models.CharField(
        pgettext_lazy("person", "child or adult"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.CHILD,
    )
    given_name = EncryptedTextField(_("given name"))
    family_name = EncryptedTextField(_("family name"))
    patronymic = EncryptedTextField(_("patronymic"))
    other_spellings = EncryptedJSONField(_("other known spellings"))
    birth_date = EncryptedTextField(_("date of birth"))
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True
    )
    age_assessment = models.CharField(
        _("age assessment"),
        max_length=16,
        choices=AgeAssessment.choices,
        default=AgeAssessment.DOCUMENTED,
    )
    sex = models.CharField(
        _("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN
    )
    citizenship = models.JSONField(_("citizenship"), default=list, blank=True)
    iin = EncryptedTextField(_("IIN"))
    iin_index = models.CharField(
        max_length=8, blank=True, db_index=True, editable=False
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    communication_needs = models.JSONField(
        _("communication needs"), default=list, blank=True
    )
    disability_status = models.CharField(
        _("disability"),
        max_length=10,
        choices=Disability.choices,
        default=Disability.NONE,
    )
    disability_types = models.JSONField(_("disability types"), default=list, blank=True)
    support_needs = EncryptedTextField(_("support needs"))
    phone = EncryptedTextField(_("phone"))
    email = EncryptedTextField(_("e-mail"))
    address = EncryptedTextField(_("address"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    created_by_organisation = models.ForeignKey(
        "agencies.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name or str(_("(no name recorded)"))

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.family_name, self.given_name, self.patronymic) if p
        )

    @property
    def birth_date_value(self) -> date | None:
        return date.fromisoformat(self.birth_date) if self.birth_date else None

    def age_on(self, day: date) -> int | None:
        born = self.birth_date_value
        if born:
            return (
                day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            )
        return day.year - self.birth_year if self.birth_year else None

    def language_labels(self) -> list[str]:
        return [
            str(self.Language(c).label) if c in self.Language.values else c
            for c in self.languages
        ]

    def disability_type_labels(self) -> list[str]:
        return [
            str(self.DisabilityType(t).label)
            for t in self.disability_types
            if t in self.DisabilityType.values
        ]

    def communication_need_labels(self) -> list[str]:
        return [
            str(self.CommunicationNeed(t).label)
            for t in self.communication_needs
            if t in self.CommunicationNeed.values
        ]


class PersonNameToken(models.Model):
    """A blind index of one name skeleton of a person, for search in any spelling without decryption."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="name_tokens"
    )
    token = models.CharField(max_length=8)

    class Meta:
        indexes = [
            models.Index(fields=["token", "person"], name="person_name_token_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "token"], name="person_name_token_unique"
            )
        ]

    def __str__(self) -> str:
        return self.token
