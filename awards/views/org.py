"""The home page, signing in, the role switch, units and the activity log."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..forms.org import LoginForm, MembershipSwitchForm, UnitFilterForm
from ..middleware import SESSION_MEMBERSHIP, started_now
from ..selectors import award_history
from .http import client_ip
from .paging import page_of


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        started_now(self.request)
        self.request.session.pop(SESSION_MEMBERSHIP, None)
        return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "awards/home.html", selectors.home_summary(actor=request.actor))


@require_POST
def membership_switch(request: HttpRequest) -> HttpResponse:
    form = MembershipSwitchForm(request.POST, memberships=request.actor.memberships)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        request.session[SESSION_MEMBERSHIP] = membership.pk
        messages.success(
            request,
            _("You are now working as %(role)s, %(unit)s.")
            % {"role": membership.get_role_display(), "unit": membership.unit.name},
        )
    else:
        messages.error(request, " ".join(form.errors.get("membership", [_("Invalid request.")])))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.units_visible(actor=request.actor, query=filters.get("q", ""), kind=filters.get("kind", ""))
    page = page_of(units, size=50, number=request.GET.get("page"), params=request.GET)
    return render(request, "awards/unit_list.html", {"form": form, "page": page})


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(actor=request.actor, pk=pk, ip=client_ip(request))
    return render(request, "awards/unit_detail.html", {
        "unit": unit, **selectors.unit_detail(actor=request.actor, unit=unit),
        "past_awards": award_history.unit_history(actor=request.actor, unit=unit),
    })  # fmt: skip


@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events_visible(actor=request.actor)
    views = request.GET.get("views") == "1"  # the views of personal data: many, and shown only when asked for
    if not views:
        events = events.exclude(action="personal_data_viewed")
    page = page_of(events, size=50, number=request.GET.get("page"), params=request.GET)
    return render(request, "awards/activity.html", {"page": page, "views": views})
