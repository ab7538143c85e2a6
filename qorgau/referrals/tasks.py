from django.tasks import task

from qorgau.referrals import dashboards, services


@task()
def sweep_referral_deadlines() -> int:
    """Escalates the referrals whose deadline has passed (run every few minutes by `run_schedule`)."""
    return services.escalate_overdue()


@task()
def refresh_dashboard_figures() -> int:
    """Recomputes the supervisors' and regional coordinators' figures (every 5 minutes)."""
    return dashboards.refresh_dashboard_figures()
