"""Every change to risk assessments, safety plans and support plans (see the modules)."""

from qorgau.plans.services.risk import MeasureDetails as MeasureDetails
from qorgau.plans.services.risk import Rating as Rating
from qorgau.plans.services.risk import SafetyPlanDetails as SafetyPlanDetails
from qorgau.plans.services.risk import change_measure_status as change_measure_status
from qorgau.plans.services.risk import (
    discard_risk_assessment as discard_risk_assessment,
)
from qorgau.plans.services.risk import (
    finalise_risk_assessment as finalise_risk_assessment,
)
from qorgau.plans.services.risk import (
    report_overdue_risk_reviews as report_overdue_risk_reviews,
)
from qorgau.plans.services.risk import save_safety_plan as save_safety_plan
from qorgau.plans.services.risk import start_risk_assessment as start_risk_assessment
from qorgau.plans.services.risk import update_risk_assessment as update_risk_assessment
from qorgau.plans.services.support import DeliveryDetails as DeliveryDetails
from qorgau.plans.services.support import ServiceDetails as ServiceDetails
from qorgau.plans.services.support import add_planned_service as add_planned_service
from qorgau.plans.services.support import approve_support_plan as approve_support_plan
from qorgau.plans.services.support import cancel_support_plan as cancel_support_plan
from qorgau.plans.services.support import (
    change_service_status as change_service_status,
)
from qorgau.plans.services.support import (
    change_support_plan_status as change_support_plan_status,
)
from qorgau.plans.services.support import complete_support_plan as complete_support_plan
from qorgau.plans.services.support import create_support_plan as create_support_plan
from qorgau.plans.services.support import is_provider_staff as is_provider_staff
from qorgau.plans.services.support import may_approve as may_approve
from qorgau.plans.services.support import provider_warnings as provider_warnings
from qorgau.plans.services.support import record_delivery as record_delivery
from qorgau.plans.services.support import update_support_plan as update_support_plan
