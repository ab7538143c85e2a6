from django.urls import path

from qorgau.screening import views, views_editor

app_name = "screening"
urlpatterns = [
    path("screening/", views.home, name="index"),
    path("screening/statistics/", views.statistics, name="statistics"),
    path("screening/start/<str:code>/", views.start, name="start"),
    path(
        "screening/<str:reference>/section/<int:part>/", views.section, name="section"
    ),
    path("screening/<str:reference>/review/", views.review, name="review"),
    path("screening/<str:reference>/result/", views.result, name="result"),
    path("screening/instruments/", views_editor.instruments, name="instruments"),
    path(
        "screening/instruments/<str:code>/new/",
        views_editor.draft_new,
        name="draft_new",
    ),
    path(
        "screening/instruments/<str:code>/v<int:version>/",
        views_editor.instrument_version,
        name="instrument_version",
    ),
    path(
        "screening/instruments/<str:code>/v<int:version>/preview/",
        views_editor.preview,
        name="preview",
    ),
    path(
        "screening/instruments/<str:code>/v<int:version>/publish/",
        views_editor.publish,
        name="publish",
    ),
    path(
        "screening/instruments/<str:code>/v<int:version>/delete/",
        views_editor.delete_draft,
        name="delete_draft",
    ),
]
