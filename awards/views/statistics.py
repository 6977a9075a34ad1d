"""A campaign's statistics page: its figures as charts, each with its table and a sentence."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..selectors import reports as report_selectors
from ..selectors import statistics
from .charts import chart, grouped, listing
from .http import client_ip


def _progress_charts(result: statistics.CampaignStatistics) -> list[dict]:
    rows, total = result.progress, result.progress_total
    labels = [row.label for row in rows]
    states = chart(
        id="progress", title=_("Reports by unit kind"), labels=labels, stacked=True, horizontal=True,
        first_column=_("Unit kind"),
        summary=_("%(participants)s units take part: %(accepted)s accepted, %(submitted)s awaiting review, "
                  "%(returned)s returned for revision, %(not_submitted)s not yet submitted.") % {
            "participants": grouped(total.participants), "accepted": grouped(total.accepted),
            "submitted": grouped(total.submitted), "returned": grouped(total.returned),
            "not_submitted": grouped(total.not_submitted),
        },
        series=[
            (_("Accepted"), [r.accepted for r in rows]),
            (_("Awaiting review"), [r.submitted for r in rows]),
            (_("Returned for revision"), [r.returned for r in rows]),
            (_("Not yet submitted"), [r.not_submitted for r in rows]),
        ],
    )  # fmt: skip
    late = chart(
        id="late", title=_("Late reports by unit kind"), labels=labels, horizontal=True, first_column=_("Unit kind"),
        summary=_("%(late)s of %(participants)s units late.") % {
            "late": grouped(total.late), "participants": grouped(total.participants)
        } + (" " + listing([(r.label, r.late) for r in rows if r.late]) if total.late else ""),
        series=[(_("Late"), [r.late for r in rows]), (_("Taking part"), [r.participants for r in rows])],
    )  # fmt: skip
    return [states, late]


def _award_chart(id: str, title: str, first_column: str, rows: list, summary: str = "") -> dict:
    return chart(
        id=id, title=title, labels=[r.label for r in rows], stacked=True, horizontal=True, first_column=first_column,
        summary=summary or listing([(r.label, r.total) for r in rows]),
        series=[(_("Collectives"), [r.collectives for r in rows]), (_("Individuals"), [r.individuals for r in rows])],
    )  # fmt: skip


def _award_charts(result: statistics.CampaignStatistics) -> list[dict]:
    if not result.awards_total:
        return []
    made = [
        _award_chart("awards-tier", _("Awardees by award"), _("Award"), result.awards_by_tier,
                     _("%(total)s awardees in issued decisions.") % {"total": grouped(result.awards_total)}
                     + " " + listing([(r.label, r.total) for r in result.awards_by_tier])),
        _award_chart("awards-kind", _("Awardees by kind of nominating unit"), _("Unit kind"), result.awards_by_kind),
    ]  # fmt: skip
    if result.awards_by_level:
        day = date_format(result.campaign.reference_date, "SHORT_DATE_FORMAT")
        made.append(_award_chart(
            "awards-level", _("Awardees by intermediate level on %(day)s") % {"day": day}, _("Unit"),
            result.awards_by_level))  # fmt: skip
    return made


def _lateness_charts(result: statistics.CampaignStatistics) -> list[dict]:
    rows = [row for row in result.lateness.by_agency if row.handled or row.open]
    if not rows:
        return []
    labels = [row.label for row in rows]
    times = chart(
        id="times", title=_("Processing time by agency (working days)"), labels=labels, horizontal=True,
        first_column=_("Agency"), unit=_("working days"),
        summary=_("Average working days per step: %(list)s.") % {
            "list": listing([(r.label, r.average_days) for r in rows if r.average_days is not None]) or "–"},
        series=[(_("Average (working days)"), [r.average_days for r in rows]),
                (_("Longest (working days)"), [r.worst_days for r in rows])],
    )  # fmt: skip
    late = chart(
        id="lateness", title=_("Late steps by agency"), labels=labels, horizontal=True, stacked=True,
        first_column=_("Agency"),
        summary=_("Steps done late, and files held past the limit now: %(list)s.") % {
            "list": listing([(r.label, r.late + r.open_late) for r in rows])},
        series=[(_("Done on time"), [r.handled - r.late for r in rows]), (_("Done late"), [r.late for r in rows]),
                (_("Held past the limit"), [r.open_late for r in rows])],
    )  # fmt: skip
    return [times, late]


@require_GET
def campaign_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    if not statistics.may_see_statistics(request.actor):
        raise PermissionDenied
    result = statistics.campaign_statistics(actor=request.actor, campaign=campaign)
    sections = {
        "progress": _progress_charts(result) if result.progress is not None else None,
        "awards": _award_charts(result) if result.awards_by_tier is not None else None,
        "lateness": _lateness_charts(result) if result.lateness is not None else None,
    }
    every = [made for charts in sections.values() if charts for made in charts]
    context = {
        "campaign": campaign,
        "result": result,
        "sections": sections,
        "chart_data": {made["id"]: made["spec"] for made in every},
    }
    return render(request, "awards/campaign_statistics.html", context)
