from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "qorgau.reviews"
    verbose_name = _("Case reviews and follow-up")
