from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.agencies.forms import DeliveryForm, LoginForm
from qorgau.agencies.models import Notification
from qorgau.agencies.notifications import render as render_notification
from qorgau.lib.http import AuthedRequest


class LoginView(auth_views.LoginView):
    template_name = "agencies/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def notifications(request: AuthedRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user)[:100]
    items = [(n, render_notification(n)) for n in rows]
    form = DeliveryForm(instance=request.user)
    return render(
        request, "agencies/notifications.html", {"items": items, "delivery_form": form}
    )


@require_POST
def notification_delivery(request: AuthedRequest) -> HttpResponse:
    """Whether e-mails come one by one or in a daily digest (the pages show everything at once)."""
    form = DeliveryForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your choice was saved."))
    return redirect("agencies:notifications")


@require_POST
def mark_notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect("agencies:notifications")


@require_POST
def mark_all_notifications_read(request: AuthedRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user).unread().update(
        read_at=timezone.now()
    )
    return redirect("agencies:notifications")
