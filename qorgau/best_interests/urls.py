from django.urls import path

from qorgau.best_interests import views

app_name = "best_interests"
BASE = "cases/<str:number>/best-interests/"
ONE = BASE + "<uuid:assessment_id>/"
urlpatterns = [
    path(BASE, views.best_interests_page, name="page"),
    path(BASE + "new/", views.assessment_start, name="start"),
    path(ONE, views.assessment_update, name="update"),
    path(ONE + "options/", views.option_add, name="option_add"),
    path(
        ONE + "options/<uuid:option_id>/remove/",
        views.option_remove,
        name="option_remove",
    ),
    path(ONE + "complete/", views.assessment_complete, name="complete"),
    path(ONE + "cancel/", views.assessment_cancel, name="cancel"),
    path(ONE + "determine/", views.determine, name="determine"),
    path(ONE + "appeal/", views.appeal_lodge, name="appeal"),
    path(ONE + "decide-appeal/", views.appeal_decide, name="decide_appeal"),
]
