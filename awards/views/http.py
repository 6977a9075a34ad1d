"""What every view module shares: the client's address for the audit trail, file responses, and form
errors shown as messages."""

import ipaddress

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from ..middleware import is_trusted_proxy
from ..uploads import CONTENT_TYPE_BY_EXTENSION, content_disposition


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit trail and the login lockout (settings.AXES_CLIENT_IP_CALLABLE).

    Behind a trusted proxy (settings.TRUSTED_PROXIES) the peer is the proxy, so X-Forwarded-For is read from
    the right: each trusted proxy appends the address it saw, and the first address that is not one of ours
    is the client (anything further left was written by the client and may be forged). Without a trusted
    peer the header is ignored: keying the lockout on a forged or on the proxy's address would let one
    client lock out everyone behind that proxy, or escape the lockout.
    """
    peer = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a proxy of ours wrote garbage: keep the last address we can vouch for
        if not is_trusted_proxy(hop):
            return hop
        peer = hop
    return peer


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
