from django.urls import path

from qorgau.referrals import views

app_name = "referrals"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("referrals/inbox/", views.inbox, name="inbox"),
    path("referrals/mine/", views.my_inbox, name="mine"),
    path("referrals/sent/", views.sent, name="sent"),
    path("referrals/<str:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<str:referral_id>/<str:action>/", views.referral_step, name="step"),
    path("cases/<str:number>/refer/", views.refer_case, name="refer"),
    path("cases/<str:number>/consents/", views.consent_add, name="consent_add"),
    path(
        "cases/<str:number>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
