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
