from django.tasks import task

from qorgau.best_interests import services


@task()
def report_best_interests_reviews_due() -> int:
    """Tells case owners, once, that a best-interests determination is due for review (run by `run_schedule`)."""
    return services.report_reviews_due()
