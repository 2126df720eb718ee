from collections.abc import Callable

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (a count the page has already made, or a
    cached one), so it does not COUNT the list again. `count` is a number or a function
    called at most once, when the count is first needed."""

    def __init__(self, object_list, per_page, *, count: int | Callable[[], int], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count() if callable(self._known_count) else self._known_count
