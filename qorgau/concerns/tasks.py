from django.tasks import task

from qorgau.concerns import services


@task()
def delete_expired_reports() -> int:
    """Deletes reports closed without a referral past their retention (`run_schedule`, hourly)."""
    return services.delete_expired_reports()
