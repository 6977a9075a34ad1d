"""A campaign's consolidation by today's units (across the 2025 reorganisation). Thin: the same permission
check as the consolidation page, then `selectors.rollup`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import ItemKind
from ..selectors import rollup
from .paging import Page
from .reports import consolidation_scope

ROWS_PAGE = 100  # today's units per page; the totals are the whole consolidation's


def _page_number(value: str | None, pages: int) -> int:
    number = int(value) if value and value.isdigit() else 1
    return min(max(number, 1), max(pages, 1))


@require_GET
def consolidation_today(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, units, scope_unit = consolidation_scope(request, pk)  # who may see the consolidation, nothing more
    items = [item for item in campaign.outline.items.order_by("position") if item.is_numeric]
    item = next((i for i in items if i.code == request.GET.get("item")), None)
    item = item or next((i for i in items if i.kind == ItemKind.COUNT), None) or (items[0] if items else None)
    result = rollup.rollup_build(campaign=campaign, units=units, codes=[item.code] if item else [])
    count = len(result.rows)
    number = _page_number(request.GET.get("page"), -(-count // ROWS_PAGE))
    start = (number - 1) * ROWS_PAGE
    params = request.GET.copy()
    params.pop("page", None)
    page = Page(object_list=result.rows[start : start + ROWS_PAGE], number=number, size=ROWS_PAGE, count=count,
                has_next=start + ROWS_PAGE < count, query=params.urlencode())  # fmt: skip
    years = sorted(result.totals.get(item.code, {})) if item and item.kind == ItemKind.YEARLY else []
    code = item.code if item else ""
    for row in page:  # the chosen figure of each row (a template cannot look a dict up by a variable)
        row.value = row.values.get(code)
        row.by_year = [(year, (row.value or {}).get(year)) for year in years]
    return render(request, "awards/consolidation_today.html", {
        "campaign": campaign, "scope_unit": scope_unit, "result": result, "items": items, "item": item,
        "total": result.totals.get(item.code) if item else None, "years": years, "page": page,
        "by_year": [result.totals[code].get(year) for year in years] if years else [],
    })  # fmt: skip
