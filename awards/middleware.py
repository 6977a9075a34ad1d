"""Session limits and the actor (the membership a user works under) on every request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .actor import Actor
from .models import Membership
from .selectors import actor_for

SESSION_STARTED = "tdkt_auth_started"
SESSION_MEMBERSHIP = "tdkt_membership"


class SessionLimitsMiddleware:
    """Ends sessions of deactivated users and sessions older than the absolute limit (12 hours).

    The 30-minute idle limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
                messages.warning(request, _("Your session has reached its 12-hour limit. Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ActorMiddleware:
    """Attaches request.actor: the user with the membership chosen in the session, if still valid."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = Actor(user=request.user)
        if request.user.is_authenticated:
            wanted = request.session.get(SESSION_MEMBERSHIP)
            actor = actor_for(user=request.user, membership_id=wanted)
            if wanted and (actor.membership is None or actor.membership.pk != wanted):
                self._explain_lost_membership(request, wanted)
            request.session[SESSION_MEMBERSHIP] = actor.membership.pk if actor.membership else None
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
    request.session[SESSION_STARTED] = timezone.now().timestamp()


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
