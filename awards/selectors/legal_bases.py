"""Which legal bases a document cites: the national acts in force on its date for its issuing body, then the
campaign's own directives and plans, in the order Decree 30/2020 documents cite them."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from ..models import COMPETENCE_SLOTS, BasisScope, BasisSlot, Campaign, CampaignLegalBasis, LegalBasis

_SLOT_ORDER = {slot: position for position, slot in enumerate(BasisSlot.values)}


def bases_ordered(bases: Iterable[LegalBasis], *, campaign: Campaign) -> list[LegalBasis]:
    """National acts by kind (competence, law, decree, the Ministry's rules) and date, then the campaign's
    in the order it lists them. An amending act sorts after the act it amends (it is later)."""
    bases = list(bases)
    national = sorted((b for b in bases if b.scope == BasisScope.NATIONAL),
                      key=lambda b: (_SLOT_ORDER.get(b.slot, 99), b.in_force_from, b.number))  # fmt: skip
    positions = dict(CampaignLegalBasis.objects.filter(campaign=campaign).values_list("legal_basis_id", "position"))
    own = sorted((b for b in bases if b.scope != BasisScope.NATIONAL), key=lambda b: (positions.get(b.pk, 0), b.pk))
    return national + own


def bases_in_force(*, campaign: Campaign, issuer_kind: str, day: dt.date, competence: bool) -> list[LegalBasis]:
    """What a document of `issuer_kind` dated `day` cites. `competence`: a decision states who may sign it
    (the law organising its body); a tờ trình that proposes one does not."""
    in_force = Q(in_force_from__lte=day) & (Q(in_force_to__isnull=True) | Q(in_force_to__gte=day))
    national = [
        basis for basis in LegalBasis.objects.filter(in_force, scope=BasisScope.NATIONAL)
        if basis.applies_to_kind(issuer_kind) and (competence or basis.slot not in COMPETENCE_SLOTS)
    ]  # fmt: skip
    own = LegalBasis.objects.filter(in_force, scope=BasisScope.CAMPAIGN, campaignlegalbasis__campaign=campaign)
    return bases_ordered([*national, *own], campaign=campaign)
