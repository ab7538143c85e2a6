"""Every page and every API operation, for every role, against the role's own case, another
organisation's case and a case opened to the user by emergency access.

Routes are found automatically; a route without a rule in RULES fails the suite, so no new page or
endpoint can ship without a decision on who may use it.
"""

import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from qorgau.agencies.models import Ministry, Organisation, User
from qorgau.agencies.notifications import notify
from qorgau.agencies.roles import CAPABILITIES, Role, Tier
from qorgau.api.api import api
from qorgau.best_interests import services as best_interests_services
from qorgau.best_interests.models import BestInterestsOption
from qorgau.cases import services
from qorgau.cases.models import Case, CaseAccessGrant, CaseMember
from qorgau.cases.views.emergency import reviewable_grants
from qorgau.concerns import services as concern_services
from qorgau.concerns.models import ConcernReport
from qorgau.guardianship import services as guardianship_services
from qorgau.plans.tests.fixtures import give_plans
from qorgau.plans.tests.fixtures import path_values as plan_path_values
from qorgau.protection import services as protection_services
from qorgau.referrals import services as referral_services
from qorgau.referrals.models import Referral
from qorgau.reviews.models import CaseClosure, FollowUp
from qorgau.screening import services as screening_services
from qorgau.screening.models import InstrumentVersion, Screening
from qorgau.test import BaseTestCase, child, make_org, make_user

# How each route is reached: the kind of rule, and for API writes a body that passes type checks.
RULES: dict[str, str] = {
    "cases:home": "authenticated",
    "cases:help": "public",
    "cases:list": "authenticated",
    "cases:create": "opens_cases",
    "cases:detail": "case_read",
    "cases:edit": "case_write",
    "cases:child_edit": "case_write",
    "cases:status": "case_write",
    "cases:note_add": "case_write",
    "cases:person_link": "case_write",
    "cases:team_add": "case_write",
    "cases:team_remove": "case_write",
    "cases:access_log": "case_read_restricted",
    "cases:oversight": "case_write",
    "cases:grant_revoke": "case_write",
    "cases:break_glass": "break_glass",
    "cases:break_glass_reviews": "reviews_break_glass",
    "cases:break_glass_review": "review_grant",
    "agencies:login": "public",
    "agencies:logout": "authenticated",
    "agencies:notifications": "authenticated",
    "agencies:notification_read": "own_notification",
    "agencies:notifications_read_all": "authenticated",
    "agencies:notification_delivery": "authenticated",
    "set_language": "public",
    "GET /api/v1/organisations": "authenticated",
    "GET /api/v1/organisations/{org_id}": "authenticated",
    "GET /api/v1/cases": "authenticated",
    "POST /api/v1/cases": "opens_cases",
    "GET /api/v1/cases/{number}": "case_read",
    "PATCH /api/v1/cases/{number}": "case_write",
    "POST /api/v1/cases/{number}/status": "case_write",
    "GET /api/v1/cases/{number}/team": "case_read",
    "POST /api/v1/cases/{number}/team": "case_write",
    "DELETE /api/v1/cases/{number}/team/{member_id}": "case_write",
    "GET /api/v1/cases/{number}/notes": "case_read",
    "POST /api/v1/cases/{number}/notes": "case_write",
    "GET /api/v1/cases/{number}/audit": "case_read_restricted",
    "GET /api/v1/persons": "authenticated",
    "GET /api/v1/persons/{person_id}": "case_read",
    "PATCH /api/v1/persons/{person_id}": "case_write",
    "referrals:inbox": "receives_referrals",
    "referrals:dashboard": "dashboard",
    "referrals:mine": "authenticated",
    "referrals:sent": "writes_cases",
    "referrals:detail": "case_read",
    "referrals:step": "case_read",  # visible: the service refuses and says why; else 404
    "referrals:refer": "case_write",
    "POST /api/v1/cases/{number}/referrals": "case_write",
    "GET /api/v1/referrals/inbox": "authenticated",
    "GET /api/v1/referrals/{referral_id}": "case_read",
    "POST /api/v1/referrals/{referral_id}/{action}": "case_read",
    "referrals:consent_add": "case_write",
    "referrals:consent_withdraw": "case_write",
    "GET /api/v1/cases/{number}/consents": "case_read",
    "POST /api/v1/cases/{number}/consents": "case_write",
    "POST /api/v1/cases/{number}/consents/{consent_id}/withdraw": "case_write",
    "protection:decision_request": "case_write",
    "protection:decision_record": "case_write",
    "protection:decision_reconsider": "case_write",
    "protection:reflection_extend": "case_write",
    "GET /api/v1/cases/{number}/decisions": "case_read",
    "POST /api/v1/cases/{number}/decisions": "case_write",
    "POST /api/v1/cases/{number}/decisions/{decision_id}": "case_write",
    "POST /api/v1/cases/{number}/decisions/{decision_id}/reconsider": "case_write",
    "reviews:page": "case_read",
    "reviews:hold": "case_write",
    "reviews:follow_up_record": "case_write",
    "reviews:follow_up_new_case": "case_write",  # the service says why when not at risk
    "GET /api/v1/cases/{number}/reviews": "case_read",
    "POST /api/v1/cases/{number}/reviews": "case_write",
    "GET /api/v1/cases/{number}/follow-ups": "case_read",
    "POST /api/v1/cases/{number}/follow-ups/{follow_up_id}": "case_write",
    "POST /api/v1/cases/{number}/follow-ups/{follow_up_id}/new-case": "case_write",
    "guardianship:page": "case_read",
    "guardianship:age_assessment_add": "case_write",
    "guardianship:request": "case_write",
    "guardianship:appoint": "case_write",
    "guardianship:end": "case_write",
    "guardianship:withdraw": "case_write",
    "GET /api/v1/cases/{number}/age-assessments": "case_read",
    "POST /api/v1/cases/{number}/age-assessments": "case_write",
    "GET /api/v1/cases/{number}/guardianship": "case_read",
    "POST /api/v1/cases/{number}/guardianship": "case_write",
    "POST /api/v1/cases/{number}/guardianship/{appointment_id}/{action}": "case_write",
    "best_interests:page": "case_read",
    "best_interests:start": "case_write",
    "best_interests:update": "case_write",
    "best_interests:option_add": "case_write",
    "best_interests:option_remove": "case_write",
    "best_interests:complete": "case_write",
    "best_interests:cancel": "case_write",
    "best_interests:determine": "case_write",
    "best_interests:appeal": "case_write",
    "best_interests:decide_appeal": "case_write",
    "GET /api/v1/cases/{number}/best-interests": "case_read",
    "POST /api/v1/cases/{number}/best-interests": "case_write",
    "PATCH /api/v1/cases/{number}/best-interests/{assessment_id}": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/options": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/options/{option_id}/remove": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/complete": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/cancel": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/determine": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/appeal": "case_write",
    "POST /api/v1/cases/{number}/best-interests/{assessment_id}/decide-appeal": "case_write",
    "plans:risk": "case_read",
    "plans:assessment_create": "case_write",
    "plans:assessment_edit": "case_write",
    "plans:assessment_discard": "case_write",
    "plans:safety_plan_edit": "case_write",
    "plans:measure_status": "case_write",
    "plans:support": "case_read",
    "plans:support_plan_create": "case_write",
    "plans:support_plan_edit": "case_write",
    "plans:support_plan_status": "case_write",
    "plans:service_add": "case_write",
    "plans:service_status": "case_write",
    "plans:delivery_add": "case_write",
    "GET /api/v1/cases/{number}/risk-assessments": "case_read",
    "POST /api/v1/cases/{number}/risk-assessments": "case_write",
    "PUT /api/v1/cases/{number}/risk-assessments/{assessment_id}": "case_write",
    "POST /api/v1/cases/{number}/risk-assessments/{assessment_id}/finalise": "case_write",
    "POST /api/v1/cases/{number}/risk-assessments/{assessment_id}/discard": "case_write",
    "GET /api/v1/cases/{number}/safety-plan": "case_read",
    "PUT /api/v1/cases/{number}/safety-plan": "case_write",
    "POST /api/v1/cases/{number}/safety-plan/measures/{measure_id}/status": "case_write",
    "GET /api/v1/cases/{number}/support-plan": "case_read",
    "POST /api/v1/cases/{number}/support-plan": "case_write",
    "PUT /api/v1/cases/{number}/support-plan": "case_write",
    "POST /api/v1/cases/{number}/support-plan/status": "case_write",
    "POST /api/v1/cases/{number}/support-plan/services": "case_write",
    "POST /api/v1/cases/{number}/support-plan/services/{service_id}/status": "case_write",
    "POST /api/v1/cases/{number}/support-plan/services/{service_id}/deliveries": "case_write",
    "screening:index": "screening_home",
    "screening:statistics": "screening_statistics",
    "screening:start": "administers_checklist",
    "screening:section": "own_screening",
    "screening:review": "own_screening",
    "screening:result": "own_screening",
    "screening:instruments": "edits_instruments",
    "screening:instrument_version": "edits_instruments",
    "screening:draft_new": "edits_instruments",
    "screening:preview": "edits_instruments",
    "screening:publish": "edits_instruments",  # GET: the confirmation (v1 is published)
    "screening:delete_draft": "edits_instruments",
    "GET /api/v1/screening/instruments": "authenticated",
    "GET /api/v1/screening/instruments/{code}": "administers_checklist",
    "POST /api/v1/screenings": "administers_checklist",
    "GET /api/v1/screenings/{reference}": "own_screening",
    "PUT /api/v1/screenings/{reference}/answers": "own_screening",
    "POST /api/v1/screenings/{reference}/complete": "own_screening",
    "POST /api/v1/screenings/{reference}/case": "own_screening",
    "concerns:report": "public",
    "concerns:report_easy": "public",
    "concerns:follow_up": "public",
    "concerns:inbox": "receives_referrals",
    "concerns:detail": "own_concern",
    "concerns:triage": "own_concern",
    "concerns:close": "own_concern",
    "GET /api/v1/concerns": "receives_referrals",
    "GET /api/v1/concerns/{report_ref}": "own_concern",
    "POST /api/v1/concerns/{report_ref}/triage": "own_concern",
    "POST /api/v1/concerns/{report_ref}/close": "own_concern",
}
CHECKLIST = "child-trafficking-indicators"  # the instrument the matrix screens with
PAGE_METHODS = {  # pages that only accept POST
    "concerns:triage",
    "concerns:close",
    "cases:status",
    "cases:note_add",
    "cases:team_add",
    "cases:team_remove",
    "cases:grant_revoke",
    "cases:break_glass_review",
    "agencies:logout",
    "agencies:notification_read",
    "agencies:notifications_read_all",
    "agencies:notification_delivery",
    "set_language",
    "referrals:step",
    "referrals:consent_add",
    "referrals:consent_withdraw",
    "protection:decision_request",
    "protection:decision_record",
    "protection:decision_reconsider",
    "protection:reflection_extend",
    "reviews:hold",
    "reviews:follow_up_record",
    "reviews:follow_up_new_case",
    "guardianship:age_assessment_add",
    "guardianship:request",
    "guardianship:appoint",
    "guardianship:end",
    "guardianship:withdraw",
    "best_interests:start",
    "best_interests:update",
    "best_interests:option_add",
    "best_interests:option_remove",
    "best_interests:complete",
    "best_interests:cancel",
    "best_interests:determine",
    "best_interests:appeal",
    "best_interests:decide_appeal",
    "plans:assessment_discard",
    "plans:measure_status",
    "plans:support_plan_create",
    "plans:support_plan_edit",
    "plans:support_plan_status",
    "plans:service_add",
    "plans:service_status",
    "plans:delivery_add",
}
CASE_KINDS = ("own", "other", "break_glass")


@dataclass
class Route:
    key: str
    method: str
    path_template: str  # Django route or OpenAPI path
    name: str | None  # URL name for pages
    is_api: bool


def page_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                if p.namespace in ("admin", "api"):
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                key = f"{namespace}{p.name}"
                method = "POST" if key in PAGE_METHODS else "GET"
                routes.append(Route(key, method, str(p.pattern), key, False))

    walk(get_resolver().url_patterns, "")
    return routes


def api_routes() -> list[Route]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    routes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            key = f"{method.upper()} {path}"
            routes.append(Route(key, method.upper(), path, None, True))
    return routes


class AccessMatrixTests(BaseTestCase):
    prosecutors: Organisation
    ombudsman_office: Organisation
    shelter: Organisation
    actors: dict[str, User]
    bg_case: Case
    screeners: set[str]
    screenings: dict[str, Screening]
    other_screening: Screening
    concerns: dict[int, ConcernReport]
    own_cases: dict[str, Case]
    headers: dict[str, dict[str, str]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.prosecutors = make_org(
            "Prosecutor",
            cls.almaty,
            ministry=Ministry.PROSECUTOR_GENERAL,
            type_code="Prosecutor",
        )
        cls.ombudsman_office = make_org(
            "Ombudsman", cls.astana, ministry=Ministry.OMBUDSMAN, type_code="Ombudsman"
        )
        cls.actors = {}
        for role in Role.values:
            org = {
                str(Role.PROSECUTOR): cls.prosecutors,
                str(Role.OMBUDSMAN): cls.ombudsman_office,
            }.get(role, cls.agency_a)
            extra = (
                {"region_scope": cls.almaty}
                if role == Role.REGIONAL_COORDINATOR
                else {}
            )
            cls.actors[role] = make_user(
                f"matrix-{role}",
                org,
                role,
                is_staff=role == Role.ADMINISTRATOR,
                **extra,
            )
        cls.bg_case = services.open_case(child("Іңкәр", "Омарова"), by=cls.carol)
        cls.give_screenings()
        cls.concerns = {
            org.pk: concern_services.submit_report(
                region=org.region,
                reporter="adult",
                danger_now="no",
                concern="A boy sells flowers at night near the market.",
            )  # fmt: skip
            for org in (cls.agency_a, cls.agency_b)
        }
        ConcernReport.objects.filter(pk=cls.concerns[cls.agency_b.pk].pk).update(
            organisation=cls.agency_b
        )
        ConcernReport.objects.filter(pk=cls.concerns[cls.agency_a.pk].pk).update(
            organisation=cls.agency_a
        )
        cls.own_cases = {}
        for role, user in cls.actors.items():
            cls.own_cases[role] = cls._own_case_for(role, user)
            if CAPABILITIES[role].break_glass:
                services.invoke_break_glass(
                    cls.bg_case,
                    reason_code="immediate_danger",
                    reason="The child called the hotline from an unknown flat.",
                    by=user,
                )
            notify(
                user, kind="break_glass", case_number=cls.bg_case.number, actor="carol"
            )
        cls.shelter = make_org("Shelter", cls.almaty, ministry=Ministry.NONE)
        for case in [*cls.own_cases.values(), cls.carol_case, cls.bg_case]:
            referral_services.create_referral(
                case,
                by=case.owner,
                to_organisation=cls.shelter,
                reasons=["Shelter"],
                urgency="routine",
                legal_basis="child_protection",
                shared_tier=Tier.IDENTITY,
            )
        for case in [*cls.own_cases.values(), cls.carol_case, cls.bg_case]:
            referral_services.record_consent(
                case,
                by=case.owner,
                purpose="sharing",
                given_by="both",
                max_tier=Tier.HEALTH,
                how_obtained="Signed form",
            )
            protection_services.decide(
                case,
                kind="reasonable_grounds",
                outcome="positive",  # so that a reflection period exists too
                reasons="Indicators confirmed by two agencies.",
                by=cls.supervisor_of(case),
            )
            guardianship_services.request_appointment(
                case, kind="legal_representative", by=case.owner
            )
        # A best-interests assessment in progress, with one option, on every case.
        for case in [*cls.own_cases.values(), cls.carol_case, cls.bg_case]:
            assessment = best_interests_services.start_assessment(case, by=case.owner)
            best_interests_services.add_option(
                assessment,
                option="Return to the family with support",
                arguments_for="The child wants to go home.",
                arguments_against="",
                by=case.owner,
            )
        Organisation.objects.filter(pk=cls.shelter.pk).update(is_service_provider=True)
        cls.shelter.refresh_from_db()
        for case in [*cls.own_cases.values(), cls.carol_case, cls.bg_case]:
            give_plans(
                case,
                by=case.owner,
                approver=cls.supervisor_of(case),
                provider=cls.shelter,
            )
        # Rows only, so that the follow-up routes have an id to reach; the cases stay open
        # (the services refuse to record a follow-up of an open case, and say why).
        for case in [*cls.own_cases.values(), cls.carol_case, cls.bg_case]:
            closure = CaseClosure.objects.create(
                case=case,
                status="closed",
                reason="other",
                detail="-",
                closed_by=case.owner,
            )
            FollowUp.objects.create(
                case=case,
                closure=closure,
                months=6,
                due_on=closure.closed_at.date(),
                responsible=case.owner,
            )
        # Emergency access to a case of agency A, for A's supervisor to review.
        services.invoke_break_glass(
            cls.alice_case,
            reason_code="owner_unreachable",
            reason="Alice is on leave and the child ran away again.",
            by=cls.carol,
        )

    @classmethod
    def supervisor_of(cls, case: Case) -> User:
        """A competent authority of the case's organisation, on its team, to take decisions."""
        username = f"matrix-decider-{case.lead_organisation_id}"
        user = User.objects.filter(username=username).first() or make_user(
            username, case.lead_organisation, Role.SUPERVISOR
        )
        if not CaseMember.objects.active().filter(case=case, user=user).exists():
            services.add_team_member(
                case, user=user, role=CaseMember.Role.CASEWORKER, by=case.owner
            )
        return user

    @classmethod
    def _own_case_for(cls, role: str, user: User) -> Case:
        case = services.open_case(child("Ұлжан", "Әлиева"), by=cls.alice)
        cap = CAPABILITIES[role]
        services.open_to_oversight(
            case,
            organisation=cls.prosecutors,
            max_tier=Tier.NARRATIVE,
            reason="review",
            by=cls.alice,
        )
        if cap.oversight:
            org = user.organisation
            assert org is not None
            services.open_to_oversight(
                case,
                organisation=org,
                max_tier=Tier.NARRATIVE,
                reason="complaint",
                by=cls.alice,
            )
        elif cap.max_tier and not cap.sees_all_cases:
            services.add_team_member(
                case, user=user, role=CaseMember.Role.CASEWORKER, by=cls.alice
            )
        return case

    @classmethod
    def give_screenings(cls) -> None:
        """A screening by each role that administers the checklist, and one by Carol."""
        call_command("import_instruments", "--publish", stdout=io.StringIO())
        version = InstrumentVersion.objects.get(instrument__code=CHECKLIST)
        cls.screeners = set(version.parsed.administered_by) & {
            r for r, c in CAPABILITIES.items() if c.screens
        }
        setting = version.parsed.settings[0]
        cls.screenings = {
            role: screening_services.start_screening(
                version, by=cls.actors[role], setting=setting
            )
            for role in cls.screeners
        }
        cls.other_screening = screening_services.start_screening(
            version, by=cls.carol, setting=setting
        )

    # --- expectations -------------------------------------------------------------------------

    def expected(self, rule: str, role: str, kind: str) -> str:
        """'ok' (neither 403 nor 404), '403', '404', or 'login' (redirect / 401)."""
        cap = CAPABILITIES[role]
        sees = {
            "own": cap.max_tier > 0,
            "other": cap.sees_all_cases,
            "break_glass": cap.break_glass or cap.sees_all_cases,
        }[kind]
        writes = (
            kind == "own"
            and cap.writes_cases
            and not cap.oversight
            and not cap.sees_all_cases
        )
        if rule in ("public", "authenticated", "own_notification"):
            return "ok"
        if rule == "opens_cases":
            return "ok" if cap.opens_cases else "403"
        if rule == "break_glass":
            return "ok" if cap.break_glass else "403"
        if rule == "dashboard":
            return (
                "ok" if cap.sees_organisation_cases or cap.sees_region_cases else "403"
            )
        if rule == "receives_referrals":
            return "ok" if cap.receives_referrals else "403"
        if rule == "writes_cases":
            return "ok" if cap.writes_cases else "403"
        if rule == "reviews_break_glass":
            return "ok" if cap.reviews_break_glass else "403"
        if rule == "review_grant":
            return "ok" if cap.reviews_break_glass else "404"
        if rule == "case_read":
            return "ok" if sees else "404"
        if rule == "case_read_restricted":
            return "ok_or_403" if sees else "404"
        if rule == "case_write":
            return "ok" if writes else ("403" if sees else "404")
        if rule == "screening_home":
            return "ok" if cap.screens or cap.sees_organisation_cases else "403"
        if rule == "screening_statistics":
            return "ok" if cap.reads_screening_statistics else "403"
        if rule == "edits_instruments":  # instruments belong to no agency
            return "ok" if cap.edits_instruments else "403"
        if rule == "administers_checklist":
            return "ok" if role in self.screeners else "404"
        if (
            rule == "own_concern"
        ):  # a report in another organisation's inbox is never visible
            return "ok" if kind == "own" and cap.receives_referrals else "404"
        if rule == "own_screening":  # another organisation's screening is never visible
            return "ok" if kind == "own" and role in self.screeners else "404"
        raise AssertionError(f"unknown rule {rule}")

    # --- requests -----------------------------------------------------------------------------

    def case_for(self, role: str, kind: str) -> Case:
        return {
            "own": self.own_cases[role],
            "other": self.carol_case,
            "break_glass": self.bg_case,
        }[kind]

    def fill(self, template: str, case: Case, user: User) -> str:
        member = CaseMember.objects.active().filter(case=case, user=case.owner).first()
        grant = CaseAccessGrant.objects.filter(case=case).first()
        review = (
            reviewable_grants(user).first()
            or CaseAccessGrant.objects.awaiting_review().first()
        )
        note = user.notifications.first()
        referral = Referral.objects.filter(case=case).first()
        decision = case.decisions.first()
        period = case.reflection_periods.first()
        consent = case.consents.first()
        follow_up = case.follow_ups.first()
        appointment = case.guardian_appointments.first()
        assessment = case.best_interests_assessments.first()
        option = BestInterestsOption.objects.filter(assessment__case=case).first()
        role = next((r for r, actor in self.actors.items() if actor == user), "")
        own = case == self.own_cases.get(role) and role in self.screenings
        screening = self.screenings[role] if own else self.other_screening
        values = {
            "code": CHECKLIST,
            "version": 1,  # the checklist's published version
            "reference": screening.reference,
            "report_ref": self.concerns[
                self.agency_a.pk
                if case == self.own_cases.get(role)
                else self.agency_b.pk
            ].reference,
            "part": 1,
            "assessment_id": str(assessment.pk if assessment else uuid.UUID(int=0)),
            "option_id": str(option.pk if option else uuid.UUID(int=0)),
            "consent_id": consent.pk if consent else 0,
            "decision_id": str(decision.pk) if decision else str(uuid.UUID(int=0)),
            "period_id": period.pk if period else 0,
            "referral_id": str(referral.pk) if referral else "0",
            "appointment_id": str(appointment.pk)
            if appointment
            else str(uuid.UUID(int=0)),
            "action": "withdraw" if "guardianship" in template else "acknowledge",
            "number": case.number,
            "follow_up_id": str(follow_up.pk) if follow_up else str(uuid.UUID(int=0)),
            "member_id": member.pk if member else 0,
            "grant_id": grant.pk if grant else 0,
            "person_id": str(case.child_id),
            "org_id": self.agency_a.pk,
            "pk": note.pk if note else 0,
            **plan_path_values(case),
        }
        if (
            "best-interests" in template
        ):  # the two apps' routes share the parameter name
            values["assessment_id"] = str(
                assessment.pk if assessment else uuid.UUID(int=0)
            )
        if "break_glass_review" in template or "<int:grant_id>/review" in template:
            values["grant_id"] = review.pk if review else 0
        path = template
        for name, value in values.items():
            for form in (
                f"<str:{name}>",
                f"<int:{name}>",
                f"<uuid:{name}>",
                f"{{{name}}}",
            ):
                path = path.replace(form, str(value))
        return path

    def body(self, route: Route, case: Case) -> str:
        bodies = {
            "POST /api/v1/cases": {
                "child": {"given_name": "Жанар", "birth_year": 2012}
            },
            "PATCH /api/v1/cases/{number}": {"version": 1},
            "POST /api/v1/cases/{number}/status": {"status": "draft"},
            "POST /api/v1/cases/{number}/team": {"username": "bob", "role": "observer"},
            "POST /api/v1/cases/{number}/notes": {
                "text": "Seen at school today.",
                "tier": 1,
            },
            "POST /api/v1/cases/{number}/referrals": {
                "to_organisation": self.shelter.pk,
                "reasons": ["MedicalAssistance"],
                "shared_tier": 1,
            },
            "POST /api/v1/referrals/{referral_id}/{action}": {"version": 2},
            "POST /api/v1/cases/{number}/decisions": {"kind": "victim_status"},
            "POST /api/v1/cases/{number}/consents": {
                "purpose": "assistance",
                "given_by": "child",
                "max_tier": 2,
                "how_obtained": "Easy-read sheet",
            },
            "POST /api/v1/cases/{number}/decisions/{decision_id}": {
                "outcome": "positive",
                "reasons": "Indicators confirmed.",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/decisions/{decision_id}/reconsider": {
                "reason": "New evidence."
            },
            "POST /api/v1/cases/{number}/age-assessments": {
                "method": "psychosocial_interview",
                "conclusion": "disputed",
                "assessing_organisation": self.agency_a.pk,
                "assessed_on": "2025-01-10",
                "reasons": "The child's account and documents disagree.",
            },
            "POST /api/v1/cases/{number}/guardianship": {"kind": "guardian"},
            "POST /api/v1/cases/{number}/guardianship/{appointment_id}/{action}": {
                "version": 99,
                "reason": "Asked for twice.",
            },
            "PATCH /api/v1/cases/{number}/best-interests/{assessment_id}": {
                "version": 99,
                "child_views": "I want to live with my aunt.",
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/options": {
                "option": "Foster care",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/options/{option_id}/remove": {
                "version": 99
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/complete": {
                "version": 99
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/cancel": {
                "reason": "Started twice.",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/determine": {
                "option": str(uuid.UUID(int=0)),
                "reasons": "Safest for the child.",
                "explained_to_child": True,
                "explanation_method": "spoken",
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/appeal": {
                "lodged_by": "child",
                "grounds": "I was not asked.",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/best-interests/{assessment_id}/decide-appeal": {
                "outcome": "upheld",
                "reasons": "The panel weighed the child's views.",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/risk-assessments": {
                "ratings": {"re_trafficking": {"level": "low"}}
            },
            "PUT /api/v1/cases/{number}/risk-assessments/{assessment_id}": {
                "ratings": {"online": {"level": "low"}},
                "version": 99,
            },
            "POST /api/v1/cases/{number}/risk-assessments/{assessment_id}/finalise": {
                "version": 99
            },
            "POST /api/v1/cases/{number}/risk-assessments/{assessment_id}/discard": {
                "version": 99
            },
            "PUT /api/v1/cases/{number}/safety-plan": {
                "version": 99,
                "emergency_contacts": "111",
                "measures": [],
            },
            "POST /api/v1/cases/{number}/safety-plan/measures/{measure_id}/status": {
                "status": "ended",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/support-plan": {"goals": "Back to school."},
            "PUT /api/v1/cases/{number}/support-plan": {
                "goals": "Back to school.",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/support-plan/status": {
                "status": "completed",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/support-plan/services": {
                "service_type": "legal_aid",
                "provider": self.shelter.pk,
                "frequency": "once",
                "start_date": "2026-01-05",
            },
            "POST /api/v1/cases/{number}/support-plan/services/{service_id}/status": {
                "status": "cancelled",
                "version": 99,
            },
            "POST /api/v1/cases/{number}/support-plan/services/{service_id}/deliveries": {
                "delivered_on": "2026-01-05",
                "duration_minutes": 60,
                "attendance": "attended",
            },
            "POST /api/v1/cases/{number}/reviews": {
                "summary": "Plan on track.",
                "outcome": "continue",
                "other_participants": "The child",
            },
            "POST /api/v1/cases/{number}/follow-ups/{follow_up_id}": {
                "contact_made": False,
                "situation": "lost_contact",
                "version": 1,
            },
            "POST /api/v1/screenings": {"instrument": CHECKLIST, "setting": "police"},
            "PUT /api/v1/screenings/{reference}/answers": {
                "answers": {},
                "version": 99,
            },
            "POST /api/v1/screenings/{reference}/complete": {"version": 99},
            "POST /api/v1/concerns/{report_ref}/close": {"closure": "x", "version": 99},
            "POST /api/v1/screenings/{reference}/case": {
                "child": {"given_name": "Жанар", "birth_year": 2012, "sex": "female"}
            },
            "PATCH /api/v1/persons/{person_id}": {
                "given_name": "Жанар",
                "birth_year": 2012,
                "version": 1,
                "case_number": case.number,
            },
        }
        return json.dumps(bodies.get(route.key, {}))

    def request(self, route: Route, role: str, kind: str) -> int:
        user = self.actors[role]
        case = self.case_for(role, kind)
        if route.is_api:
            path = self.fill(route.path_template, case, user)
            query = "?q=Жанар" if route.key == "GET /api/v1/persons" else ""
            call = getattr(self.client, route.method.lower())
            kwargs: dict[str, Any] = {"headers": self.headers[role]}
            if route.method in ("POST", "PATCH", "PUT"):
                kwargs.update(
                    data=self.body(route, case), content_type="application/json"
                )
            return int(call(path + query, **kwargs).status_code)
        self.client.force_login(user)
        path = "/ru/" + self.fill(route.path_template, case, user)
        if route.key == "set_language":
            path = "/i18n/setlang/"
        response = (
            self.client.post(path) if route.method == "POST" else self.client.get(path)
        )
        return int(response.status_code)

    def check(self, route: Route, role: str, kind: str) -> None:
        status = self.request(route, role, kind)
        expected = self.expected(RULES[route.key], role, kind)
        with self.subTest(route=route.key, role=role, case=kind, status=status):
            if expected == "ok":
                self.assertNotIn(status, (401, 403, 404))
            elif expected == "ok_or_403":
                self.assertNotIn(status, (401, 404))
            else:
                self.assertEqual(str(status), expected)

    # --- tests --------------------------------------------------------------------------------

    def test_it_has_a_rule_for_every_page_and_api_operation(self) -> None:
        keys = {r.key for r in page_routes() + api_routes()}
        self.assertEqual(
            sorted(keys - RULES.keys()), [], "routes without an access rule"
        )
        self.assertEqual(
            sorted(RULES.keys() - keys), [], "rules for routes that no longer exist"
        )

    def test_it_gives_each_role_exactly_its_access_on_every_route(self) -> None:
        self.headers = {role: self.token(user) for role, user in self.actors.items()}
        routes = page_routes() + api_routes()
        for role in Role.values:
            for route in routes:
                for kind in CASE_KINDS:
                    self.check(route, role, kind)

    def test_it_sends_anonymous_visitors_to_log_in(self) -> None:
        for route in page_routes():
            if RULES[route.key] == "public":
                continue
            path = "/ru/" + self.fill(route.path_template, self.alice_case, self.alice)
            response = (
                self.client.post(path)
                if route.method == "POST"
                else self.client.get(path)
            )
            with self.subTest(route=route.key):
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])
        for route in api_routes():
            path = self.fill(route.path_template, self.alice_case, self.alice)
            response = getattr(self.client, route.method.lower())(path)
            with self.subTest(route=route.key):
                self.assertEqual(response.status_code, 401)
