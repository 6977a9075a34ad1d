"""Session limits and the actor (the membership a user works under) on every request; the request id and
the proxy's forwarded headers before anything else looks at the request."""

import ipaddress
import re
import uuid
from functools import lru_cache
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.logs import request_id

from .actor import Actor
from .models import Membership
from .selectors import actor_for

SESSION_STARTED = "tdkt_auth_started"
SESSION_TOUCHED = "tdkt_touched"
SESSION_MEMBERSHIP = "tdkt_membership"
# Load balancers' probes (awards.views.health): no session, no user, no actor, no redirect to HTTPS.
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
API_PREFIX = "/api/"  # the REST API (awards/api): JSON answers, its own authentication
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """Gives each request an id, in the X-Request-ID response header and in every log record written while
    it runs (config.logs), so one request's lines can be found across nodes. A trusted proxy's id is kept
    when it is a plain token; anything else (a client's, too long, or able to forge log lines) is replaced."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only our proxy may name the request (a client could otherwise tie its lines to someone else's).
        incoming = request.headers.get("X-Request-ID", "") if is_trusted_proxy(request.META.get("REMOTE_ADDR")) else ""
        request.request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address: str | None) -> bool:
    """Whether `address` is one of settings.TRUSTED_PROXIES (addresses or networks): only these may tell us
    the client's address and protocol."""
    if not address or not settings.TRUSTED_PROXIES:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # "::ffff:10.0.0.5" from a socket bound to "::"
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


class ForwardedHeadersMiddleware:
    """Drops X-Forwarded-For and X-Forwarded-Proto unless the request came straight from a trusted proxy.

    Django's SECURE_PROXY_SSL_HEADER believes the header from anyone who can reach the server; removing it
    here, before SecurityMiddleware, means a client talking to a node directly cannot claim HTTPS (or
    another address) by sending the headers itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        try:  # refuse to start on a typo rather than fail every request
            _networks(tuple(settings.TRUSTED_PROXIES))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            request.META.pop("HTTP_X_FORWARDED_FOR", None)
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, asking the view before the user: a public view (the health probes, the login page) then never
    loads the session and the user, so a probe sent with a session cookie costs no database query either."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLimitsMiddleware:
    """Ends sessions of deactivated users and sessions older than the absolute limit (12 hours), and moves
    the 30-minute idle clock.

    Django moves the idle clock (the row's expire_date and the cookie's age) whenever it saves the session.
    Saving on every request cost a database write per page (docs/architecture.md, fact 17), so the session
    is marked changed only when its last touch is older than SESSION_TOUCH_INTERVAL: the row is written at
    most that often unless its content changes. The idle limit stays a maximum: a session ends between
    SESSION_COOKIE_AGE - SESSION_TOUCH_INTERVAL and SESSION_COOKIE_AGE after the last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTH_PATHS:
            return self.get_response(request)
        session = request.session
        if "_auth_user_id" in session and not request.user.is_authenticated:
            # The user was deactivated or deleted: end the session instead of leaving it dormant.
            session.flush()
        elif request.user.is_authenticated:
            started = session.get(SESSION_STARTED)
            now = timezone.now().timestamp()
            if started is None:
                session[SESSION_STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
                logout(request)
                if request.path_info.startswith(API_PREFIX):  # the API answers 401 itself, never a redirect
                    return self.get_response(request)
                messages.warning(request, _("Your session has reached its 12-hour limit. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - session.get(SESSION_TOUCHED, 0) >= settings.SESSION_TOUCH_INTERVAL.total_seconds():
                session[SESSION_TOUCHED] = now  # a change: the session is saved, with a new expiry
        return self.get_response(request)


class ActorMiddleware:
    """Attaches request.actor: the user with the membership chosen in the session, if still valid."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = Actor(user=request.user)
        if request.path_info in HEALTH_PATHS:
            return self.get_response(request)
        if request.user.is_authenticated:
            wanted = request.session.get(SESSION_MEMBERSHIP)
            actor = actor_for(user=request.user, membership_id=wanted)
            if wanted and (actor.membership is None or actor.membership.pk != wanted):
                self._explain_lost_membership(request, wanted)
            chosen = actor.membership.pk if actor.membership else None
            if wanted != chosen:  # assigning marks the session changed: write only what changed
                request.session[SESSION_MEMBERSHIP] = chosen
            request.actor = actor
        return self.get_response(request)

    @staticmethod
    def _explain_lost_membership(request, membership_id: int) -> None:
        lost = Membership.objects.filter(pk=membership_id, user=request.user).select_related("acting_for__user").first()
        if lost and lost.acting_for_id and lost.valid_to and lost.valid_to < timezone.localdate():
            messages.warning(
                request,
                _("Your acting role for %(name)s ended on %(date)s; it can no longer be used.")
                % {"name": lost.acting_for.user.display_name, "date": date_format(lost.valid_to, "SHORT_DATE_FORMAT")},
            )
        else:
            messages.warning(request, _("The role you were working under is no longer valid."))


def started_now(request) -> None:
    """At login: the 12-hour clock starts, and the idle clock was just moved by the login's own save."""
    now = timezone.now().timestamp()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_TOUCHED] = now


class LanguageMiddleware:
    """Vietnamese unless the user picked another language: the browser's Accept-Language is ignored,
    since officials' machines often ship with English browsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):  # restored afterwards: threads serve many users
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ControlCharactersMiddleware:
    """A NUL or another control character in the address or its query string (no link of ours has one, and
    PostgreSQL refuses NUL in any text) is answered 400 with a page that says why, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if _has_control(request.path) or _has_control(unquote_plus(query)):
            if request.path_info.startswith(API_PREFIX):  # the API answers in its own shape (awards/api/errors.py)
                message = _("The address contains a control character (such as NUL): it cannot be processed.")
                return JsonResponse({"errors": [{"field": None, "code": "control_character", "message": message}]},
                                    status=400)  # fmt: skip
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


class NoStoreMiddleware:
    """What a signed-in user sees is theirs: no browser, shared computer's back button or proxy keeps it.
    Decided from a session the request already read (a health probe never loads one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        signed_in = session is not None and session.accessed and session.get(SESSION_KEY)
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
