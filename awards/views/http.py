"""What every view module shares: the client's address for the audit trail, file responses, and form
errors shown as messages."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from ..uploads import CONTENT_TYPE_BY_EXTENSION, content_disposition


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def file_response(content: bytes, *, name: str) -> HttpResponse:
    """A document built for this request, as an attachment named `name` (its extension gives the type)."""
    response = HttpResponse(content, content_type=CONTENT_TYPE_BY_EXTENSION[name.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def form_errors_as_messages(request: HttpRequest, form) -> None:
    """For forms posted from a page that redirects back: each error becomes a message on that page, after
    its field's label (the form itself is not shown again)."""
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else problem)
