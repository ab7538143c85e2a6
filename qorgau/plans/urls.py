from django.urls import path

from qorgau.plans.views import risk, support

app_name = "plans"
urlpatterns = [
    path("cases/<str:number>/risk/", risk.risk_page, name="risk"),
    path(
        "cases/<str:number>/risk/new/",
        risk.assessment_create,
        name="assessment_create",
    ),
    path(
        "cases/<str:number>/risk/<uuid:assessment_id>/",
        risk.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "cases/<str:number>/risk/<uuid:assessment_id>/discard/",
        risk.assessment_discard,
        name="assessment_discard",
    ),
    path(
        "cases/<str:number>/risk/plan/", risk.safety_plan_edit, name="safety_plan_edit"
    ),
    path(
        "cases/<str:number>/risk/measures/<uuid:measure_id>/",
        risk.measure_status,
        name="measure_status",
    ),
    path("cases/<str:number>/support/", support.support_page, name="support"),
    path(
        "cases/<str:number>/support/plan/new/",
        support.support_plan_create,
        name="support_plan_create",
    ),
    path(
        "cases/<str:number>/support/plan/goals/",
        support.support_plan_edit,
        name="support_plan_edit",
    ),
    path(
        "cases/<str:number>/support/plan/status/",
        support.support_plan_status,
        name="support_plan_status",
    ),
    path(
        "cases/<str:number>/support/services/new/",
        support.service_add,
        name="service_add",
    ),
    path(
        "cases/<str:number>/support/services/<uuid:service_id>/status/",
        support.service_status,
        name="service_status",
    ),
    path(
        "cases/<str:number>/support/services/<uuid:service_id>/deliveries/",
        support.delivery_add,
        name="delivery_add",
    ),
]
