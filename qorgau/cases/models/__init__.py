from qorgau.cases.models.cases import (
    Case as Case,
)
from qorgau.cases.models.cases import (
    CaseEvent as CaseEvent,
)
from qorgau.cases.models.cases import (
    CaseMember as CaseMember,
)
from qorgau.cases.models.cases import (
    CaseNote as CaseNote,
)
from qorgau.cases.models.cases import (
    CaseNumberCounter as CaseNumberCounter,
)
from qorgau.cases.models.cases import (
    CaseParticipant as CaseParticipant,
)
from qorgau.cases.models.grants import CaseAccessGrant as CaseAccessGrant
from qorgau.cases.models.persons import Person as Person
from qorgau.cases.models.persons import PersonNameToken as PersonNameToken
