from django.urls import path

from qorgau.agencies import views

app_name = "agencies"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/delivery/",
        views.notification_delivery,
        name="notification_delivery",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.mark_notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        views.mark_all_notifications_read,
        name="notifications_read_all",
    ),
]
