from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BestInterestsConfig(AppConfig):
    name = "qorgau.best_interests"
    verbose_name = _("Best interests of the child")
