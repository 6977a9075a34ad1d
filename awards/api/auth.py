"""Who is calling: a personal token (django-rest-knox's hashed tokens, bound to one membership) or the browser's
session. Either way the request's actor is the one the pages would build, so scoping and rules are theirs."""

import binascii
from hmac import compare_digest

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import authentication, exceptions

from ..actor import Actor
from ..models import ApiToken
from ..selectors import actor_for
from ..services import api as api_services
from ..views.http import client_ip

INVALID = _("This API token is not valid: it may have been revoked. Create a new one on your “API tokens” page.")
EXPIRED = _("This API token has expired. Create a new one on your “API tokens” page.")
ROLE_ENDED = _("The role this API token acts as has ended or been withdrawn: the token no longer works.")


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token tdkt_…`. knox reads the header and keeps only the token's digest; here an expired
    token is refused (and kept on its owner's list, not silently deleted as knox does), the token's membership
    must still be valid today, the actor is built from it, and each use is written to the audit trail."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, token = found
        actor = actor_for(user=user, membership_id=token.membership_id)
        if actor.membership is None or actor.membership.pk != token.membership_id:
            raise exceptions.AuthenticationFailed(ROLE_ENDED, code="token_role_ended")
        actor = Actor(user=user, membership=actor.membership, memberships=(actor.membership,))  # no switching
        request._request.actor = actor  # what every view reads, as ActorMiddleware sets it for a session
        request._request.user = user
        api_services.token_used(token=token, actor=actor, method=request.method, path=request.path,
                                ip=client_ip(request._request))  # fmt: skip
        return user, token

    def authenticate_credentials(self, token: bytes):
        try:
            text = token.decode("utf-8")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, binascii.Error, ValueError):
            raise exceptions.AuthenticationFailed(INVALID, code="token_invalid") from None
        candidates = ApiToken.objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for candidate in candidates:
            if compare_digest(digest, candidate.digest):
                if candidate.is_expired():
                    raise exceptions.AuthenticationFailed(EXPIRED, code="token_expired")
                if not candidate.user.is_active:
                    raise exceptions.AuthenticationFailed(INVALID, code="token_invalid")
                return candidate.user, candidate
        raise exceptions.AuthenticationFailed(INVALID, code="token_invalid")


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser (and the pages' own scripts): ActorMiddleware has built the actor from the session's
    chosen membership; DRF checks the CSRF token on every write."""


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token tdkt_…`: a personal API token (your “API tokens” page)."}  # fmt: skip


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The signed-in browser; writes need the X-CSRFToken header."}  # fmt: skip
