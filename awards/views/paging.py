"""Pages of a list that cost the same whatever the size of the list.

Django's `Paginator` counts the whole list on every page (`SELECT COUNT(*)` over, say, a million audit
events) to number the pages. `page_of` counts only up to `COUNT_CAP` rows (a `LIMIT`ed subquery, so the
count costs at most that many index entries) and finds whether a next page exists by reading one row
more than the page: "Page 3 of 8 (712 nominations)" while the list is small, "Page 3 (more than 1,000
nominations)" once it is not. Every list view reads its rows through here, so no page returns more than
its size. Pages are offsets into an indexed order, read at most a little past the cap (`deepest_page`):
a reader that far should filter (docs/scale.md).
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import number_format

COUNT_CAP = 1000


@dataclass
class Page:
    object_list: list
    number: int
    size: int
    count: int  # exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP"
    has_next: bool
    query: str = ""  # the list's other GET parameters, for the pager's links

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def count_label(self) -> str:
        """The count with the language's thousands separator ("1.000")."""
        return number_format(self.count, force_grouping=True)

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def num_pages(self) -> int | None:
        """Known while the count is exact; None past the cap."""
        return None if self.count_capped else max(1, -(-self.count // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.object_list else 0


def page_number(value: str | None) -> int:
    """ "3" → 3; anything else (missing, "abc", "-1", "²", a huge number) → 1."""
    if value and value.isascii() and value.isdigit() and len(value) <= 6:
        return max(1, int(value))
    return 1


def deepest_page(size: int) -> int:
    """The last page number a list past the cap may be read at: a little past the cap, no further (an offset
    of a million rows would cost seconds; a reader that far should filter)."""
    return COUNT_CAP // size + 10


def page_of(queryset: QuerySet, *, size: int, number: str | None, params: QueryDict | None = None) -> Page:
    """The `number`-th page of `size` rows of an ordered queryset (two queries). A page past the end
    gives the last page that has rows when the count is exact, else the first."""
    count = queryset.order_by()[: COUNT_CAP + 1].count()
    wanted = page_number(number)
    last = max(1, -(-count // size)) if count <= COUNT_CAP else deepest_page(size)
    if last is not None and wanted > last:
        wanted = last
    start = (wanted - 1) * size
    rows = list(queryset[start : start + size + 1])
    if not rows and wanted > 1:  # past the end of a list longer than the cap
        wanted, rows = 1, list(queryset[: size + 1])
    query = ""
    if params is not None:
        others = params.copy()
        others.pop("page", None)
        query = others.urlencode()
    more = len(rows) > size and (count <= COUNT_CAP or wanted < deepest_page(size))
    return Page(rows[:size], wanted, size, count, has_next=more, query=query)
