from django.tasks import task

from qorgau.reviews import sweeps


@task()
def schedule_missing_reviews() -> int:
    """Gives open cases without a scheduled review one, a slice of cases per run (`run_schedule`)."""
    return sweeps.schedule_missing_reviews()


@task()
def send_review_and_follow_up_reminders() -> int:
    """Reminders and overdue notices for reviews and follow-ups, each sent once (`run_schedule`)."""
    return sweeps.send_review_reminders() + sweeps.send_follow_up_reminders()
