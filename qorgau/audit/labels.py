from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "case.read": _("Viewed the case"),
    "case.list": _("Saw the case in a list"),
    "case.create": _("Opened the case"),
    "case.update": _("Changed the case"),
    "case.status": _("Changed the status"),
    "case.note_add": _("Added a note"),
    "case.notes.read": _("Read the notes"),
    "case.team.read": _("Read the team"),
    "case.team_add": _("Added a team member"),
    "case.team_remove": _("Removed a team member"),
    "case.link_person": _("Linked a person"),
    "case.grant": _("Opened the case to oversight"),
    "case.grant_revoke": _("Closed access to the case"),
    "case.break_glass": _("Opened emergency access"),
    "case.access_log.read": _("Read this access log"),
    "case.denied": _("Was refused access"),
    "case.write.denied": _("Was refused a change"),
    "plans.risk.read": _("Viewed the risk assessments and safety plan"),
    "plans.support.read": _("Viewed the support plan"),
    "risk.finalise": _("Assessed the child's risks"),
    "safety_plan.save": _("Saved the safety plan"),
    "support_plan.approved": _("Approved the support plan"),
    "support_delivery.record": _("Recorded a service delivery"),
    "person.read": _("Viewed the person"),
    "person.create": _("Registered the person"),
    "person.update": _("Changed the person's details"),
    "grant.review": _("Reviewed emergency access"),
    "person.list": _("Saw the person in a list"),
    "person.match_search": _("Looked for the same child before registering one"),
    "person.write": _("Changed the person"),
    "dashboard.read": _("Viewed the dashboard"),
    "referral.list": _("Saw the referral in a list"),
    "referral.read": _("Viewed a referral"),
    "referral.denied": _("Was refused a referral"),
    "referral.create": _("Wrote a referral"),
    "referral.send": _("Sent a referral"),
    "referral.acknowledge": _("Acknowledged a referral"),
    "referral.accept": _("Accepted a referral"),
    "referral.decline": _("Declined a referral"),
    "referral.redirect": _("Redirected a referral"),
    "referral.start_service": _("Started the service of a referral"),
    "referral.complete": _("Completed a referral"),
    "referral.withdraw": _("Withdrew a referral"),
    "referral.escalate": _("Escalated an overdue referral"),
    "referral.consent_override": _("Shared beyond the consent, giving a reason"),
    "consent.list": _("Read the consents"),
    "consent.record": _("Recorded a consent"),
    "consent.withdraw": _("Recorded that a consent was withdrawn"),
    "decision.list": _("Read the decisions"),
    "decision.request": _("Asked for a decision"),
    "decision.record": _("Recorded a decision"),
    "decision.reconsider": _("Asked for a decision to be reconsidered"),
    "reflection.extend": _("Extended the reflection period"),
    "reflection.end": _("Ended the reflection period"),
    "age.list": _("Read the age assessments"),
    "age.assess": _("Recorded an age assessment"),
    "age.presume": _("Presumed the child a minor"),
    "age.presumption_lift": _("Lifted the presumption of minority"),
    "guardianship.read": _("Viewed guardianship"),
    "guardianship.list": _("Read the guardian appointments"),
    "guardianship.request": _("Asked for a guardian"),
    "guardianship.appoint": _("Recorded a guardian's appointment"),
    "guardianship.end": _("Ended a guardian's appointment"),
    "guardianship.withdraw": _("Withdrew a request for a guardian"),
    "best_interests.read": _("Viewed the best-interests assessments"),
    "best_interests.start": _("Started a best-interests assessment"),
    "best_interests.update": _("Changed a best-interests assessment"),
    "best_interests.option_add": _("Added an option to a best-interests assessment"),
    "best_interests.option_remove": _(
        "Removed an option from a best-interests assessment"
    ),
    "best_interests.complete": _("Completed a best-interests assessment"),
    "best_interests.cancel": _("Cancelled a best-interests assessment"),
    "best_interests.determine": _("Determined the child's best interests"),
    "best_interests.appeal": _("Recorded an appeal"),
    "best_interests.appeal_decide": _("Recorded the outcome of an appeal"),
    "risk.create": _("Began a risk assessment"),
    "risk.update": _("Changed a draft risk assessment"),
    "risk.discard": _("Discarded a draft risk assessment"),
    "safety_measure.status": _("Changed a safety measure"),
    "support_plan.created": _("Drafted a support plan"),
    "support_plan.changed": _("Changed the support plan"),
    "support_plan.completed": _("Completed the support plan"),
    "support_plan.cancelled": _("Cancelled the support plan"),
    "support_service.add": _("Added a service to the support plan"),
    "support_service.status": _("Changed a planned service"),
    "case.reviews.read": _("Viewed the reviews and follow-ups"),
    "review.list": _("Read the reviews"),
    "review.hold": _("Recorded a case review"),
    "review.reschedule": _("Rescheduled the next review"),
    "review.schedule_missing": _("Scheduled reviews"),
    "case.closure": _("Closed the case with a reason"),
    "follow_up.record": _("Recorded a follow-up"),
    "follow_up.new_case": _("Opened a new case after a follow-up"),
    "keyring.rotate": _("Rotated the master key"),
    "demo.seed": _("Built the demo country"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


PURPOSE_LABELS = {
    "team": _("Case team"),
    "organisation": _("Supervisor of the organisation"),
    "region": _("Regional coordination"),
    "national": _("National coordination"),
    "grant": _("Opened to oversight"),
    "break_glass": _("Emergency access"),
}


def purpose_label(purpose: str) -> str:
    return str(PURPOSE_LABELS.get(purpose, purpose))


def role_label(role: str) -> str:
    from qorgau.agencies.roles import Role

    return str(Role(role).label) if role in Role.values else role
