from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 1000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most COUNT_CAP rows: an exact count of a million visible cases costs more than the page.

    Beyond the cap the list says "more than 1,000" and the user narrows it with search and filters.
    """

    @cached_property
    def count(self) -> int:
        head = self.object_list[: COUNT_CAP + 1]
        return min(int(head.count()), COUNT_CAP + 1)  # type: ignore[attr-defined]

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP
