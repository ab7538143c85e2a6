from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from qorgau.agencies.models import Notification
from qorgau.agencies.notifications import render_for


@task()
def email_notification(notification_id: int) -> None:
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    if note.emailed_at or not note.recipient.email:
        return
    with override(note.recipient.preferred_language):
        subject = _("Qorgau: new notification")
    send_mail(subject, render_for(note), None, [note.recipient.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
