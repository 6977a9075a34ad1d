"""What every API view shares: the actor, the client's address, no caching, no login redirect, and the
Idempotency-Key on creating and acting requests."""

import re
from functools import wraps

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ..actor import Actor
from ..services import api as api_services
from ..views.http import client_ip
from .errors import error, error_response

IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_FORMAT = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, no spaces: a UUID, a job's own id


class ApiView(GenericAPIView):
    # A thin view: parse, call a selector or a service, serialise; scoping and rules are the pages' own. (A comment,
    # not a docstring: the schema would show it as every operation's description.)

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.login_required = False  # DRF says so too: LoginRequiredMiddleware must never redirect, the API answers 401
        return view

    @property
    def actor(self) -> Actor:
        return self.request._request.actor

    @property
    def ip(self) -> str | None:
        return client_ip(self.request._request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"  # what a caller may see is theirs alone
        return response


def idempotent(handler):
    """A POST sent with an Idempotency-Key acts once: its response is stored in the database (every node sees
    it) and replayed for a retry with the same key and body; the same key with another body is refused (422).
    A request that fails stores nothing, so it may be retried with the same key once corrected."""

    @wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return handler(self, request, *args, **kwargs)
        if not KEY_FORMAT.fullmatch(key):
            return error_response(status.HTTP_400_BAD_REQUEST, [error(
                IDEMPOTENCY_HEADER, "invalid",
                _("An Idempotency-Key is 1 to 255 visible characters without spaces, e.g. a UUID."),
            )])  # fmt: skip
        fingerprint = api_services.request_fingerprint(method=request.method, path=request.path, body=request.data)
        claim = api_services.idempotency_claim(user=request.user, key=key, fingerprint=fingerprint)
        if claim.replay:
            return Response(claim.row.response, status=claim.row.status_code, headers={"Idempotency-Replayed": "true"})
        try:
            response = handler(self, request, *args, **kwargs)
        except BaseException:
            api_services.idempotency_release(row=claim.row)
            raise
        if 200 <= response.status_code < 300:
            api_services.idempotency_store(row=claim.row, status=response.status_code, body=response.data)
        else:
            api_services.idempotency_release(row=claim.row)
        return response

    return wrapper
