from django.urls import path

from qorgau.protection import views

app_name = "protection"
urlpatterns = [
    path(
        "cases/<str:number>/decisions/", views.decision_request, name="decision_request"
    ),
    path(
        "cases/<str:number>/decisions/<uuid:decision_id>/",
        views.decision_record,
        name="decision_record",
    ),
    path(
        "cases/<str:number>/decisions/<uuid:decision_id>/reconsider/",
        views.decision_reconsider,
        name="decision_reconsider",
    ),
    path(
        "cases/<str:number>/reflection/<int:period_id>/extend/",
        views.reflection_extend,
        name="reflection_extend",
    ),
]
