from django.urls import path

from qorgau.reviews import views

app_name = "reviews"
urlpatterns = [
    path("cases/<str:number>/reviews/", views.reviews_page, name="page"),
    path("cases/<str:number>/reviews/hold/", views.review_hold, name="hold"),
    path(
        "cases/<str:number>/follow-ups/<uuid:follow_up_id>/",
        views.follow_up_record,
        name="follow_up_record",
    ),
    path(
        "cases/<str:number>/follow-ups/<uuid:follow_up_id>/new-case/",
        views.follow_up_new_case,
        name="follow_up_new_case",
    ),
]
