"""Pages of every list: the pages' own `page_of` (a count capped at 1,000, one row more than the page to know
whether a next one exists), so a list costs the same whatever its size (docs/architecture.md, fact 17)."""

from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..views.paging import COUNT_CAP, page_number, page_of

MAX_PAGE_SIZE = 100


class Pagination(BasePagination):
    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        wanted = request.query_params.get("page_size")
        size = min(page_number(wanted), MAX_PAGE_SIZE) if wanted else self.page_size
        self.request = request
        self.page = page_of(queryset, size=size, number=request.query_params.get("page"))
        return list(self.page)

    def _link(self, number: int | None) -> str | None:
        if number is None:
            return None
        url = self.request.build_absolute_uri()
        return remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)

    def get_paginated_response(self, data):
        page = self.page
        return Response({
            "count": min(page.count, COUNT_CAP), "count_capped": page.count_capped, "page": page.number,
            "page_size": page.size,
            "next": self._link(page.next_page_number if page.has_next else None),
            "previous": self._link(page.previous_page_number if page.has_previous else None),
            "results": data,
        })  # fmt: skip

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "page", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": f"Exact up to {COUNT_CAP}; see count_capped."},
                "count_capped": {"type": "boolean", "description": f"True: more than {COUNT_CAP} rows."},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "description": "Page number, from 1.",
             "schema": {"type": "integer"}},
            {"name": "page_size", "required": False, "in": "query",
             "description": f"Rows per page, at most {MAX_PAGE_SIZE} (default {self.page_size}).",
             "schema": {"type": "integer"}},
        ]  # fmt: skip
