from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from qorgau.agencies.models import Notification, User
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


DIGEST_EVERY = timedelta(
    hours=23
)  # a day, with an hour's slack for the hourly schedule


@task()
def send_daily_digests() -> int:
    """One e-mail a day to each user who chose a digest, listing what is not yet e-mailed."""
    now = timezone.now()
    due = User.objects.filter(is_active=True, email_delivery="daily").exclude(email="")
    due = due.filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=now - DIGEST_EVERY)
    )
    sent = 0
    for user in due:
        sent += send_digest(user, now)
    return sent


def send_digest(user: User, now: datetime) -> int:
    notes = list(
        Notification.objects.filter(recipient=user, emailed_at__isnull=True).order_by(
            "created_at"
        )[:200]
    )
    User.objects.filter(pk=user.pk).update(last_digest_at=now)
    if not notes:
        return 0
    with override(user.preferred_language):
        subject = _("Qorgau: your daily summary")
        body = "\n\n".join(f"• {render_for(n)}" for n in notes)
    send_mail(subject, body, None, [user.email])
    Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
    return 1
