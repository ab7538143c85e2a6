from django.tasks import task

from qorgau.guardianship import services


@task()
def report_overdue_guardian_requests() -> int:
    """Tells owners and supervisors about guardians not appointed in time (run by `run_schedule`)."""
    return services.report_overdue_requests()
