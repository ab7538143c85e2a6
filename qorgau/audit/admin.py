from django.contrib import admin
from django.http import HttpRequest

from qorgau.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail holds no personal data, and no one may change it."""

    list_display = [
        "id",
        "at",
        "actor_username",
        "role",
        "action",
        "object_type",
        "object_id",
        "purpose",
        "ip",
    ]
    list_filter = ["action", "role", "channel"]
    search_fields = ["actor_username", "object_id", "request_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
