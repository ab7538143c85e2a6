from qorgau.cases.models.cases import (
    Case as Case,
    CaseEvent as CaseEvent,
    CaseMember as CaseMember,
    CaseNote as CaseNote,
    CaseNumberCounter as CaseNumberCounter,
    CaseParticipant as CaseParticipant,
)
from qorgau.cases.models.grants import CaseAccessGrant as CaseAccessGrant
from qorgau.cases.models.persons import Person as Person, PersonNameToken as PersonNameToken
