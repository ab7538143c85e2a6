from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "qorgau.concerns"
    verbose_name = "Concern reports"
