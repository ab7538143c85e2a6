from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import ApiToken, Organisation, RoleAssignment, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = [
        "name_ru",
        "name_kk",
        "type",
        "ministry",
        "region",
        "is_first_responder",
        "is_service_provider",
        "is_active",
    ]
    list_filter = [
        "ministry",
        "region",
        "type",
        "is_first_responder",
        "is_service_provider",
        "is_active",
    ]
    search_fields = ["name_kk", "name_ru", "name_en"]


class RoleInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    inlines = [RoleInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "is_active",
        "is_staff",
    ]
    list_filter = [
        "is_active",
        "is_staff",
        "organisation__region",
        "role_assignments__role",
    ]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Qorgau"),
            {"fields": ("organisation", "region_scope", "preferred_language")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = [
        "user",
        "name",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["hint", "created_at", "last_used_at"]
    fields = [
        "user",
        "name",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are issued by `manage.py create_token`, which shows the token once
