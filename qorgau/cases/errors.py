from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A refused change, with a message meant for the user."""

    default_message = _("This change is not allowed.")

    def __init__(self, message: object = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class StaleEdit(ServiceError):
    default_message = _(
        "Someone else changed this record after you opened it. Nothing was saved: your changes are kept "
        "below, next to the current values. Review them and save again."
    )

    def __init__(self, current_version: int) -> None:
        super().__init__()
        self.current_version = current_version
