"""Query parameters as the pages read them: an id is digits or nothing (a malformed one filters nothing out, as
on the pages, rather than failing), and their descriptions for the schema."""

from drf_spectacular.utils import OpenApiParameter

from ..text import is_id

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Any unique value (a UUID): a retry with the same key and body acts once and gets the first "
    "response again; the same key with another body is refused (422). Kept 24 hours.",
)  # fmt: skip


def int_param(params, name: str) -> int | None:
    value = params.get(name)
    return int(value) if value and is_id(value) else None


def id_query(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.QUERY, required=False, description=description)


def text_query(name: str, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, required=False, description=description, enum=enum)
