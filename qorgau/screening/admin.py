"""Instruments in the admin: versions are read here and imported as files, never edited in place."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from qorgau.agencies.models import User
from qorgau.cases.errors import ServiceError
from qorgau.screening import services
from qorgau.screening.models import Instrument, InstrumentVersion


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Instrument file (YAML)"))
    publish = forms.BooleanField(label=_("Publish it at once"), required=False)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ["code", "created_at"]
    readonly_fields = ["code", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin[InstrumentVersion]):
    list_display = ["instrument", "version", "status", "published_at"]
    list_filter = ["status", "instrument"]
    readonly_fields = [f.name for f in InstrumentVersion._meta.fields]
    change_list_template = "admin/screening/instrumentversion/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a version comes from a file: see "Import a file"

    def has_delete_permission(
        self, request: HttpRequest, obj: InstrumentVersion | None = None
    ) -> bool:
        return obj is None or obj.status == InstrumentVersion.Status.DRAFT

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="screening_instrumentversion_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"].read().decode("utf-8", errors="replace")
            try:
                by = cast(User, request.user)
                version, stored = services.import_instrument(text, by=by)
                if form.cleaned_data["publish"] and version.status == "draft":
                    version = services.publish_version(version, by=by)
            except ServiceError as exc:
                form.add_error("file", str(exc))
            else:
                done = (
                    _("%(version)s imported.")
                    if stored
                    else _("%(version)s unchanged.")
                )
                messages.success(request, done % {"version": version})
                return redirect("admin:screening_instrumentversion_changelist")
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Import an instrument file"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/screening/import.html", context)
