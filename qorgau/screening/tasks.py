from django.tasks import task

from qorgau.screening import services


@task()
def delete_expired_screenings() -> int:
    """Deletes negative results past their retention period (`run_schedule`, hourly)."""
    return services.delete_expired_screenings()
