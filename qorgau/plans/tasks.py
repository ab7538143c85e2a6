from django.tasks import task

from qorgau.plans import services


@task()
def report_overdue_risk_reviews() -> int:
    """Tells case owners about risk assessments past their review date (run by `run_schedule`)."""
    return services.report_overdue_risk_reviews()
