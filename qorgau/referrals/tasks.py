from django.tasks import task

from qorgau.referrals import dashboards, services


@task()
def sweep_referral_deadlines() -> int:
    """Escalates the referrals whose deadline has passed (run every few minutes by `run_schedule`)."""
    return services.escalate_overdue()


@task()
def refresh_regional_figures() -> int:
    """Recomputes the regional coordinators' referral figures (every 5 minutes)."""
    return dashboards.refresh_region_flows()
