"""The inbox prints each row from values the view prepares once per page (views.nominations.InboxRow), not
through model properties, choices and an include per row: the same columns and values as before, byte for
byte, and the same status, step, lateness and officer as the nomination's own properties say."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import override

from awards.models import Nomination, NominationStatus, Outcome, Step
from awards.selectors.nominations import INBOX_ROW_FIELDS, nomination_inbox
from awards.services import nominations as svc
from awards.views import nominations as views
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

# The inbox's rows as the template printed them before they were prepared in the view (with the status include).
FORMER_ROWS = Template("""{% load i18n %}{% for row in rows %}<tr>
      <td><input type="checkbox" name="selected" value="{{ row.n.pk }}" aria-label="{{ row.n.name }}"></td>
      <td data-label="{% translate 'Name' %}"><a href="{% url 'nomination_detail' row.n.pk %}">{{ row.n.name }}</a></td>
      <td data-label="{% translate 'Nominating unit' %}">{{ row.n.unit.name }}</td>
      <td data-label="{% translate 'Award' %}">{{ row.n.award_type.name }}</td>
      <td data-label="{% translate 'Step' %}">{% include "awards/_nomination_status.html" with n=row.n %}{% if row.handoff %} <small class="muted">{% translate "(sent on with a submission)" %}</small>{% endif %}</td>
      <td data-label="{% translate 'Since' %}">{{ row.n.held_since|date:"SHORT_DATE_FORMAT" }}{% if row.n.step_due %}<br><small>{% blocktranslate with due=row.n.step_due|date:"SHORT_DATE_FORMAT" %}due {{ due }}{% endblocktranslate %}</small>{% if row.n.step_overdue %} <span class="badge badge--late">{% translate "late" %}</span>{% endif %}{% endif %}</td>
      <td data-label="{% translate 'Handled by' %}">{% if row.n.assignee %}{{ row.n.assignee.display_name }}{% else %}<button class="btn" type="submit" formaction="{% url 'nomination_claim' row.n.pk %}" data-testid="claim">{% translate "Take and open" %}</button>{% endif %}</td>
    </tr>{% endfor %}""")  # fmt: skip


def former_rows(actor) -> str:
    rows = [
        {"n": n, "handoff": (n.award_type.route, n.step) in svc.HANDOFF_STEPS}
        for n in nomination_inbox(actor=actor)[: views.INBOX_PAGE]
    ]
    return FORMER_ROWS.render(Context({"rows": rows}))


def shown_rows(client) -> str:
    page = client.get("/nominations/").content.decode()
    return re.search(r"<tbody>(.*)</tbody>", page, re.DOTALL).group(1)


def test_the_inbox_prints_the_same_rows_as_before(org, world):
    campaign, tiers = world
    names = ["Người <Một> & \"Hai\" 'Ba'", "Người Giấy Khen 1", "Người Giấy Khen 2"]
    director = [nominate(org, campaign, tiers["director"], name=name, id_number="") for name in names]
    chairman = [nominate(org, campaign, tiers["chairman"], name=f"Người Bằng Khen {i}", gender="female",
                         id_number="") for i in range(2)]  # fmt: skip
    send(org, campaign, tiers["director"], director)
    send(org, campaign, tiers["chairman"], chairman)
    svc.nomination_claim(by=org.actor("police"), nomination=director[0])  # handled by the reviewer
    svc.nomination_act(by=org.actor("police"), nomination=chairman[1], step=Step.POLICE_APPRAISAL,
                       outcome=Outcome.RETURNED, comment="Bổ sung")  # back to the unit's head  # fmt: skip
    # one step late, one due in the future and held for weeks (its date read in Vietnam's time zone)
    Nomination.objects.filter(pk=director[1].pk).update(step_due=timezone.localdate() - dt.timedelta(days=2))
    Nomination.objects.filter(pk=director[2].pk).update(
        step_due=timezone.localdate() + dt.timedelta(days=5),
        held_since=dt.datetime(2024, 7, 1, 17, 30, tzinfo=dt.UTC),  # 2 July in Hà Nội
    )
    nominate(org, campaign, tiers["director"], name="Lê Văn Cường", id_number="")  # the officer's draft
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=nominate(
        org, campaign, tiers["chairman"], name="Phạm Thị Dung", id_number=""))  # for the head  # fmt: skip
    for persona in ("police", "officer_a", "head_a"):
        actor = org.actor(persona)
        shown = shown_rows(org.client(persona))
        assert shown.count("<tr>") == nomination_inbox(actor=actor).count() > 0, persona
        assert shown == former_rows(actor), persona
    police = shown_rows(org.client("police"))
    assert "Người dùng police" in police and 'badge--late">trễ hạn<' in police and "02/07/2024" in police
    assert "Người &lt;Một&gt; &amp; &quot;Hai&quot; &#x27;Ba&#x27;" in police
    assert "Lê Văn Cường" in shown_rows(org.client("officer_a"))
    english = org.client("police")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with override("en"):  # the labels and dates follow the language
        assert shown_rows(english) == former_rows(org.actor("police"))
        assert "07/02/2024" in shown_rows(english)


def row_of(n: Nomination) -> dict:
    """A nomination as `sel.inbox_rows` reads it."""
    values = {
        "pk": n.pk, "name": n.name, "status": n.status, "step": n.step, "held_since": n.held_since,
        "step_due": n.step_due, "unit__name": n.unit.name, "award_type__name": n.award_type.name,
        "award_type__route": n.award_type.route, "assignee_id": n.assignee_id,
        "assignee__full_name": n.assignee.full_name if n.assignee else None,
        "assignee__first_name": n.assignee.first_name if n.assignee else None,
        "assignee__last_name": n.assignee.last_name if n.assignee else None,
        "assignee__username": n.assignee.username if n.assignee else None,
    }  # fmt: skip
    assert set(values) == set(INBOX_ROW_FIELDS)
    return values


def test_each_row_says_what_the_nominations_own_properties_say(org, world):
    """Every status and step, a step due yesterday, today or never: the row's step label and lateness are the
    model's `is_held`, `get_step_display` and `step_overdue`."""
    campaign, tiers = world
    base = nominate(org, campaign, tiers["chairman"])
    base.assignee = org.users["police"]
    today = timezone.localdate()
    for status in NominationStatus.values:
        for step in Step.values:
            for due in (None, today - dt.timedelta(days=1), today):
                n = Nomination(**{f.attname: getattr(base, f.attname) for f in Nomination._meta.concrete_fields})
                n.status, n.step, n.step_due = status, step, due
                n.assignee = org.users["police"] if due else None
                row = views._inbox_rows([row_of(n)])[0]
                held_step = n.is_held and n.get_step_display() != n.get_status_display()
                assert row.status_label == n.get_status_display()
                assert row.step_label == (n.get_step_display() if held_step else "")
                assert row.late == n.step_overdue, (status, step, due)
                assert row.due == (f"{due:%d/%m/%Y}" if due else "")
                assert row.handled_by == (org.users["police"].display_name if due else "")
                assert row.handoff == ((n.award_type.route, step) in svc.HANDOFF_STEPS)


def test_the_filter_options_are_escaped_as_format_html_escaped_them():
    choices = [(1, "Đơn vị <A> & \"B\" 'C'", "a"), (2, "Ủy ban nhân dân xã Xuân", "b"), (30, "x", "c")]
    for selected in (None, 2, 99):
        expected = format_html_join(
            "", '<option value="{}"{}>{}</option>', ((pk, " selected" if pk == selected else "", name) for pk, name, _ in choices)
        )  # fmt: skip
        assert views._options(choices, selected) == expected
