from django.urls import path

from qorgau.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_create, name="create"),
    path("cases/<str:number>/", views.case_detail, name="detail"),
    path("cases/<str:number>/edit/", views.case_edit, name="edit"),
    path("cases/<str:number>/child/", views.child_edit, name="child_edit"),
    path("cases/<str:number>/status/", views.case_status, name="status"),
    path("cases/<str:number>/notes/", views.note_add, name="note_add"),
    path("cases/<str:number>/persons/new/", views.person_link, name="person_link"),
    path("cases/<str:number>/team/", views.team_add, name="team_add"),
    path(
        "cases/<str:number>/team/<int:member_id>/remove/",
        views.team_remove,
        name="team_remove",
    ),
    path("cases/<str:number>/access-log/", views.access_log, name="access_log"),
    path("cases/<str:number>/oversight/", views.oversight_open, name="oversight"),
    path(
        "cases/<str:number>/grants/<int:grant_id>/revoke/",
        views.grant_revoke,
        name="grant_revoke",
    ),
    path("emergency-access/", views.break_glass, name="break_glass"),
    path(
        "emergency-access/reviews/",
        views.break_glass_reviews,
        name="break_glass_reviews",
    ),
    path(
        "emergency-access/<int:grant_id>/review/",
        views.break_glass_review,
        name="break_glass_review",
    ),
]
