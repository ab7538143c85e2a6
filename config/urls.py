from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from qorgau.api.api import urls as api_urls

admin.site.site_header = "Qorgau"
admin.site.site_title = "Qorgau"

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api_urls()),
]
urlpatterns += i18n_patterns(
    path("", include("qorgau.cases.urls")),
    path("", include("qorgau.referrals.urls")),
    path("", include("qorgau.protection.urls")),
    path("", include("qorgau.guardianship.urls")),
    path("", include("qorgau.best_interests.urls")),
    path("", include("qorgau.plans.urls")),
    path("", include("qorgau.reviews.urls")),
    path("", include("qorgau.screening.urls")),
    path("", include("qorgau.concerns.urls")),
    path("", include("qorgau.agencies.urls")),
    path("admin/", admin.site.urls),
)
