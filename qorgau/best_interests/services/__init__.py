"""Best-interests assessments and determinations: atomic, checked, on the timeline and audited.

Anyone who may change the case assesses; only a person holding `determines_best_interests`
(a supervisor or a regional coordinator) determines, with a panel, and decides appeals — never
an appeal against a determination they made or sat on. The assessment's states:
in progress → completed (or cancelled with a reason); the determination's: determined →
under appeal → appeal decided (or set aside, to be determined again); when its review date comes
the review is due, and a new assessment reviews it until that one's determination replaces it.
"""

from qorgau.best_interests.services.assessments import (
    add_option as add_option,
)
from qorgau.best_interests.services.assessments import (
    cancel_assessment as cancel_assessment,
)
from qorgau.best_interests.services.assessments import (
    complete_assessment as complete_assessment,
)
from qorgau.best_interests.services.assessments import (
    remove_option as remove_option,
)
from qorgau.best_interests.services.assessments import (
    start_assessment as start_assessment,
)
from qorgau.best_interests.services.assessments import (
    update_assessment as update_assessment,
)
from qorgau.best_interests.services.common import (
    determination_in_force as determination_in_force,
)
from qorgau.best_interests.services.common import team_users as team_users
from qorgau.best_interests.services.determinations import (
    Determining as Determining,
)
from qorgau.best_interests.services.determinations import (
    decide_appeal as decide_appeal,
)
from qorgau.best_interests.services.determinations import determine as determine
from qorgau.best_interests.services.determinations import (
    in_force_on as in_force_on,
)
from qorgau.best_interests.services.determinations import (
    lodge_appeal as lodge_appeal,
)
from qorgau.best_interests.services.determinations import (
    report_reviews_due as report_reviews_due,
)
