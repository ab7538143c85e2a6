from django.urls import path

from qorgau.guardianship import views

app_name = "guardianship"
urlpatterns = [
    path("cases/<str:number>/guardianship/", views.guardianship_page, name="page"),
    path(
        "cases/<str:number>/guardianship/age/",
        views.age_assessment_add,
        name="age_assessment_add",
    ),
    path(
        "cases/<str:number>/guardianship/request/",
        views.appointment_request,
        name="request",
    ),
    path(
        "cases/<str:number>/guardianship/<uuid:appointment_id>/appoint/",
        views.appointment_appoint,
        name="appoint",
    ),
    path(
        "cases/<str:number>/guardianship/<uuid:appointment_id>/end/",
        views.appointment_end,
        name="end",
    ),
    path(
        "cases/<str:number>/guardianship/<uuid:appointment_id>/withdraw/",
        views.appointment_withdraw,
        name="withdraw",
    ),
]
