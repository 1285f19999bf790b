"""`UNSET`: the default of an update service's arguments, meaning "leave this field as it is".

None cannot play that part: for a nullable field (a request's team, a policy's calendar) None is
a value a caller sends to clear it. Annotate such an argument `Team | None | Unset = UNSET`.
"""

import enum
from typing import Final, Literal


class _Unset(enum.Enum):
    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset.UNSET
type Unset = Literal[_Unset.UNSET]
