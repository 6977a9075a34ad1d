"""Notifications (the bell, the list, e-mail choices), the lateness report and the operations pages.

Thin views: the selectors decide what is visible (a user's own notifications; an agency's own
lateness rows; operations for administrators), the services write.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..documents import exports
from ..models import NotificationKind
from ..selectors import home as home_selectors
from ..selectors import lateness as lateness_selectors
from ..selectors import notifications as selectors
from ..services import notifications as services
from .http import file_response, form_errors_as_messages
from .paging import page_of


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # "mark all as read"
        count = services.notification_mark_read(user=request.user)
        messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
        return redirect("notification_list")
    rows = selectors.notifications_visible(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = page_of(rows, size=30, number=request.GET.get("page"), params=request.GET)
    work, more = home_selectors.work_count(actor=request.actor)
    return render(request, "awards/notifications.html", {"page": page, "unread_only": unread_only,
                                                         "work": work, "work_more": more})  # fmt: skip


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and follow its link (only ever to this site)."""
    notification = get_object_or_404(selectors.notifications_visible(request.user), pk=pk)
    services.notification_mark_read(user=request.user, ids=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notification_list")


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_save(user=request.user, email=form.cleaned_data)
            messages.success(request, _("Your e-mail choices are saved."))
            return redirect("notification_settings")
    else:
        form = PreferencesForm(initial=services.preferences_of(request.user))
    return render(request, "awards/notification_settings.html", {"form": form})


class LatenessFilter(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=None, required=False, empty_label=gettext_lazy("All campaigns")
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


@require_GET
def lateness(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = LatenessFilter(request.GET or None, campaigns=lateness_selectors.lateness_campaigns(actor))
    campaign = None
    if form.is_bound:
        if form.is_valid():
            campaign = form.cleaned_data["campaign"]
        else:
            form_errors_as_messages(request, form)
    result = lateness_selectors.lateness_report(actor=actor, campaign=campaign)
    if request.GET.get("format") == "xlsx":
        data = exports.lateness_xlsx(result=result, day=timezone.localdate(), author=actor.unit.name)
        suffix = f" - {campaign.plan_reference.replace('/', '-')}" if campaign else ""
        return file_response(data, name=f"Thời gian xử lý hồ sơ{suffix}.xlsx")
    return render(request, "awards/lateness.html", {"form": form, "result": result, "campaign": campaign})


def _an_id(text: str) -> bool:
    return text.isascii() and text.isdecimal() and len(text) <= 18


@require_GET
def operations_health(request: HttpRequest) -> HttpResponse:
    return render(request, "awards/health.html", {"health": selectors.health(actor=request.actor)})


@require_http_methods(["GET", "POST"])
def operations_emails(request: HttpRequest) -> HttpResponse:
    """E-mails that failed for good, with their error; the administrator sends them again."""
    failed = selectors.failed_emails(actor=request.actor)
    if request.method == "POST":
        ids = None if request.POST.get("all") else [int(i) for i in request.POST.getlist("id") if _an_id(i)]
        if ids is not None and not ids:
            messages.error(request, _("Choose the e-mails to send again."))
        else:
            count = services.email_retry(by=request.actor, ids=ids)
            messages.success(request, _("%(count)s e-mails will be sent again.") % {"count": count})
        return redirect("operations_emails")
    page = page_of(failed, size=50, number=request.GET.get("page"), params=request.GET)
    return render(request, "awards/failed_emails.html", {"page": page})
