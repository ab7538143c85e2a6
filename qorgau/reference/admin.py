from django.contrib import admin

from qorgau.reference.models import CalendarDay, District, Region, Term


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name_kk", "name_ru", "name_en", "kind"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["name_kk", "name_ru", "name_en", "region"]
    list_filter = ["region"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin[Term]):
    list_display = [
        "vocabulary",
        "code",
        "label_kk",
        "label_ru",
        "label_en",
        "source",
        "is_active",
    ]
    list_filter = ["vocabulary", "source", "is_active"]
    search_fields = ["code", "label_en", "label_ru", "label_kk"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "kind", "name_kk", "name_ru", "name_en"]
    list_filter = ["kind"]
    date_hierarchy = "date"
