from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "qorgau.protection"
    verbose_name = _("Identification and protection")
