"""The user's own personal API tokens: list, create (the token shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.nominations import NominationForm
from ..forms.org import ApiTokenForm
from ..selectors import tokens as sel
from ..services import api as svc
from .http import client_ip


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and actor.membership is None:
        messages.error(request, _("A token acts under one of your roles: you have none today."))
    elif request.method == "POST" and form.is_valid():
        try:
            token, secret = svc.token_create(by=actor, name=form.cleaned_data["name"], days=form.cleaned_data["days"],
                                             ip=client_ip(request))  # fmt: skip
        except ValidationError as error:
            NominationForm.add_service_errors(form, error)
        else:
            created = {"token": token, "secret": secret}  # shown on this response only, never stored
            form = ApiTokenForm()
    return render(request, "awards/api_tokens.html", {
        "form": form, "created": created, "tokens": sel.tokens_of(user=request.user), "now": timezone.now(),
    })  # fmt: skip


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = sel.token_get(actor=request.actor, pk=pk, ip=client_ip(request))
    svc.token_revoke(by=request.actor, token=token, ip=client_ip(request))
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens")
