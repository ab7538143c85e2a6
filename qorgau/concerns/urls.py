from django.urls import path

from qorgau.concerns import views

app_name = "concerns"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/easy-read/", views.report, {"easy_read": True}, name="report_easy"),
    path("report/follow-up/", views.follow_up, name="follow_up"),
    path("concerns/", views.inbox, name="inbox"),
    path("concerns/<str:report_ref>/", views.detail, name="detail"),
    path("concerns/<str:report_ref>/triage/", views.triage, name="triage"),
    path("concerns/<str:report_ref>/close/", views.close, name="close"),
]
