"""The unit's tờ trình with its list, for the dossier it sends up, from the records (the layout is
`documents.submission`'s): the law and plans in force on its date, then its council's minutes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Dossier, NominationStatus, NomineeKind
from ..selectors.legal_bases import bases_in_force
from .decision import DEFAULT_HEAD_TITLE, bare_title, citation_lines, punctuated_citations
from .handoff import split_number
from .submission import Nominee, Submission


def dossier_submission(dossier: Dossier) -> Submission:
    """Refused with a clear message when every nomination in it was withdrawn: it proposes nobody."""
    nominations = list(
        dossier.nominations.exclude(status=NominationStatus.WITHDRAWN)
        .select_related("parent_unit", "unit")
        .prefetch_related("parent_unit__earlier_names", "unit__earlier_names")
    )
    if not nominations:
        raise ValidationError(
            _("Every nomination in this dossier was withdrawn: it proposes nobody, so there is no tờ trình to print."),
            code="empty_dossier",
        )
    unit, campaign = dossier.unit, dossier.campaign
    number, symbol = split_number(dossier.number)
    return Submission(
        sender_superior=unit.header_superior(), sender=unit.name_on(dossier.date).upper(),
        sender_name=unit.name_on(dossier.date),
        number=number, symbol=symbol, place=unit.document_place(), date=dossier.date,
        recipient=campaign.reviewer.name, award_title=dossier.award_type.name, campaign_title=campaign.title,
        basis=punctuated_citations(citation_lines(bases_in_force(
            campaign=campaign, issuer_kind=unit.kind, day=dossier.date, competence=False), campaign), followed=True),
        council_note=(f"Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng (có mặt {dossier.council_present}/"
                      f"{dossier.council_members} thành viên, {dossier.votes_for}/{dossier.council_present} "
                      "biểu quyết tán thành)."),
        nominees=[
            Nominee(kind=n.kind, name=n.name, position=n.position, achievement=n.achievement, sort_key=n.sort_key,
                    unit_name=(n.parent_unit or n.unit).name_on(dossier.date) if n.kind == NomineeKind.COLLECTIVE else n.workplace)
            for n in nominations
        ],
        signer_title=(bare_title(dossier.signer_title, unit) or DEFAULT_HEAD_TITLE).upper(), signer_name=dossier.signer,
        recipients=["Như trên;", "Lưu: VT."],
    )  # fmt: skip
