from django.tasks import task

from qorgau.referrals import services


@task()
def sweep_referral_deadlines() -> int:
    """Escalates the referrals whose deadline has passed (run every few minutes by `run_schedule`)."""
    return services.escalate_overdue()
