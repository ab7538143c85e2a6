from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

COUNT_CAP = 1000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most COUNT_CAP rows: an exact count of a million visible cases costs more than the page.

    Beyond the cap the list says "more than 1,000" and the user narrows it with search and filters.
    `count_from` is the same rows as the list, written in the form cheapest to count, or a
    function that counts them up to the number it is given.
    """

    def __init__(self, *args: Any, count_from: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count_from = count_from

    @cached_property
    def count(self) -> int:
        if callable(self.count_from):  # counts up to the number it is given
            return min(int(self.count_from(at_most=COUNT_CAP + 1)), COUNT_CAP + 1)
        rows = self.object_list if self.count_from is None else self.count_from
        head = rows[: COUNT_CAP + 1]
        return min(int(head.count()), COUNT_CAP + 1)  # type: ignore[union-attr]

    def get_page(self, number: Any) -> Any:
        """The first page without counting when it holds every row (a search that finds a few)."""
        if str(number or 1) == "1" and "count" not in self.__dict__:
            rows = list(self.object_list[: self.per_page + 1])
            if len(rows) <= self.per_page:
                self.__dict__["count"] = len(rows)
            return Page(
                rows[: self.per_page], 1, self
            )  # counted when asked, not fetched again
        return super().get_page(number)

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP
