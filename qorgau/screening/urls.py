from django.urls import path

from qorgau.screening import views

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
]
