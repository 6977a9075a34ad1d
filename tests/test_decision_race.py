"""Two drafts issued with the same number at the same moment, on PostgreSQL: one takes the number, the other
is told to take the next one — a clear error, never a 500 — and nothing of it is half done."""

import threading
import traceback

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from awards.models import Decision, DecisionStatus, NominationStatus
from awards.services import decisions as svc
from tests.test_decisions import awaiting, scan
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_decisions_racing_for_one_number_get_it_once_and_the_other_a_reason(org, world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's concurrent transactions")
    campaign, tiers = world
    director = org.actor("director")
    drafts = [
        svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                           nominations=[awaiting(org, campaign, tiers["director"], name=name, id_number="")])
        for name in ("Trần Văn Một", "Trần Văn Hai")
    ]  # fmt: skip
    barrier = threading.Barrier(2, timeout=30)
    results: list = [None, None]

    def issue(index: int) -> None:
        try:
            mine = Decision.objects.get(pk=drafts[index].pk)
            upload = scan()
            barrier.wait()
            try:
                svc.decision_issue(
                    by=org.actor("director"), decision=mine, number=1, date=timezone.localdate(), scan=upload
                )
                results[index] = "issued"
            except ValidationError as error:
                results[index] = " ".join(error.message_dict.get("number", error.messages))
        except BaseException:
            results[index] = "error: " + traceback.format_exc()
        finally:
            connection.close()

    with override_settings(MEDIA_ROOT=tmp_path):
        threads = [threading.Thread(target=issue, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(r.startswith("error") for r in results), results
    assert sorted(results, key=lambda r: r != "issued")[0] == "issued"
    [refused] = [r for r in results if r != "issued"]
    assert "01/QĐ-CAT" in refused and "2" in refused
    statuses = sorted(Decision.objects.values_list("status", flat=True))
    assert statuses == [DecisionStatus.DRAFT, DecisionStatus.ISSUED]
    loser = Decision.objects.get(status=DecisionStatus.DRAFT)
    assert loser.number is None and loser.items.get().nomination.status == NominationStatus.AWAITING_DECISION
