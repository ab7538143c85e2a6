from django.tasks import task

from qorgau.reviews import services


@task()
def schedule_missing_reviews() -> int:
    """Gives open cases without a scheduled review one, a slice of cases per run (`run_schedule`)."""
    return services.schedule_missing_reviews()


@task()
def send_review_and_follow_up_reminders() -> int:
    """Reminders and overdue notices for reviews and follow-ups, each sent once (`run_schedule`)."""
    return services.send_review_reminders() + services.send_follow_up_reminders()
