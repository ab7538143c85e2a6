"""Age assessments, the presumption of minority and guardian appointments: atomic, checked,
on the timeline and audited (age.py, appointments.py; what the pages read in reading.py).
"""

from qorgau.guardianship.services.age import RECORDING_ROLES as RECORDING_ROLES
from qorgau.guardianship.services.age import AgeStatus as AgeStatus
from qorgau.guardianship.services.age import age_status as age_status
from qorgau.guardianship.services.age import may_record as may_record
from qorgau.guardianship.services.age import presume_minority as presume_minority
from qorgau.guardianship.services.age import (
    record_age_assessment as record_age_assessment,
)
from qorgau.guardianship.services.appointments import appoint as appoint
from qorgau.guardianship.services.appointments import (
    end_appointment as end_appointment,
)
from qorgau.guardianship.services.appointments import needs_guardian as needs_guardian
from qorgau.guardianship.services.appointments import on_case_opened as on_case_opened
from qorgau.guardianship.services.appointments import (
    report_overdue_requests as report_overdue_requests,
)
from qorgau.guardianship.services.appointments import (
    request_appointment as request_appointment,
)
from qorgau.guardianship.services.appointments import (
    require_guardian as require_guardian,
)
from qorgau.guardianship.services.appointments import (
    withdraw_request as withdraw_request,
)
from qorgau.guardianship.services.reading import Summary as Summary
from qorgau.guardianship.services.reading import (
    requests_for_owner as requests_for_owner,
)
from qorgau.guardianship.services.reading import summary as summary
