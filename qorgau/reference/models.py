from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qorgau.lib.i18n import pick_label


class Region(models.Model):
    """One of Kazakhstan's 17 regions or 3 cities of republican significance (ISO 3166-2:KZ)."""

    class Kind(models.TextChoices):
        REGION = "region", pgettext_lazy("kind of region", "Region (oblast)")
        CITY = "city", _("City of republican significance")

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)
    kind = models.CharField(
        pgettext_lazy("region", "kind"), max_length=10, choices=Kind.choices
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_label(self, "name")

    @property
    def short_code(self) -> str:
        """The two digits after "KZ-", used as the prefix of case numbers."""
        return self.code.split("-")[-1]


class District(models.Model):
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("region"),
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)

    class Meta:
        ordering = ["region", "name_ru"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name_en"], name="district_unique_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_label(self, "name")


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, vocabulary: str) -> "TermQuerySet":
        return self.filter(vocabulary=vocabulary, is_active=True)


class Term(models.Model):
    """A value of a controlled vocabulary (HTCDS 2.0 and Qorgau's additions), labelled in three languages."""

    vocabulary = models.CharField(_("vocabulary"), max_length=64)
    code = models.CharField(_("code"), max_length=64)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=200)
    source = models.CharField(_("source"), max_length=20, default="qorgau")
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "sort_order", "code"]
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], name="term_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_label(self)


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday week: a public holiday, or a weekend day worked.

    Kazakhstan's holidays are law and the government moves days off by decree each year, so
    they are data (data/calendar_kz.csv, then the admin), never code.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off (public holiday)")
        WORKING_DAY = "working_day", _("Working day (a weekend day worked)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def name(self) -> str:
        return pick_label(self, "name")
