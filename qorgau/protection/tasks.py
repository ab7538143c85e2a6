from django.tasks import task

from qorgau.protection import services


@task()
def end_finished_reflection_periods() -> int:
    """Closes reflection periods whose end has passed (run hourly by `run_schedule`)."""
    return services.end_finished_reflection_periods()


@task()
def report_overdue_decisions() -> int:
    """Tells the deciders about decisions past their deadline (run by `run_schedule`)."""
    return services.report_overdue_decisions()
