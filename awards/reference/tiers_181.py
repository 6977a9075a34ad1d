"""The three award tiers of Plan 181 and who acts at each step, as data (seeded; editable in the admin).

Time limits are in working days; DOMAIN.md cites 9 days of appraisal and 5 for signing in one
neighbouring province, used here as defaults.
"""

from ..models import AwardType, NomineeKind, Role, Route, Step, Unit
from ..services.nominations import award_type_ensure
from ..services.prizes import prize_rates_set

APPRAISAL_DAYS, SIGNING_DAYS = 9, 5
# Prize coefficients × the base salary (DOMAIN.md's defaults, to be confirmed against the decree in force).
BANG_KHEN_RATES = {NomineeKind.INDIVIDUAL: "1.0", NomineeKind.COLLECTIVE: "2.0"}
GIAY_KHEN_RATES = {NomineeKind.INDIVIDUAL: "0.3", NomineeKind.COLLECTIVE: "0.6"}


def standard_tiers(*, police: Unit, home_affairs: Unit, province: Unit, ministry: Unit | None) -> list[AwardType]:
    unit_steps = [(Step.PREPARE, Role.UNIT_OFFICER, None, None), (Step.SUBMIT, Role.UNIT_HEAD, None, None)]
    police_appraisal = (Step.POLICE_APPRAISAL, Role.POLICE_REVIEWER, police, APPRAISAL_DAYS)
    home_appraisal = (Step.HOME_AFFAIRS_APPRAISAL, Role.HOME_AFFAIRS_REVIEWER, home_affairs, APPRAISAL_DAYS)
    ministry_tier = award_type_ensure(
        by=None, code="BK-BCA", name="Bằng khen của Bộ trưởng Bộ Công an", authority="Bộ trưởng Bộ Công an",
        route=Route.MINISTRY, deciding_unit=ministry, position=1,
        steps=[*unit_steps, police_appraisal, home_appraisal,
               (Step.MINISTRY_FORWARD, Role.POLICE_DIRECTOR, police, SIGNING_DAYS),
               (Step.AWAITING_DECISION, Role.MINISTRY_LIAISON, ministry or police, None)],
    )  # fmt: skip
    chairman_tier = award_type_ensure(
        by=None, code="BK-UBND", name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        authority="Chủ tịch Ủy ban nhân dân tỉnh", route=Route.CHAIRMAN, deciding_unit=province, position=2,
        steps=[*unit_steps, police_appraisal, home_appraisal,
               (Step.LEADER_APPROVAL, Role.PROVINCIAL_LEADER, province, SIGNING_DAYS),
               (Step.AWAITING_DECISION, Role.PROVINCIAL_LEADER, province, None)],
    )  # fmt: skip
    director_tier = award_type_ensure(
        by=None, code="GK-CAT", name="Giấy khen của Giám đốc Công an tỉnh", authority="Giám đốc Công an tỉnh",
        route=Route.DIRECTOR, deciding_unit=police, position=3,
        steps=[*unit_steps, police_appraisal,
               (Step.DIRECTOR_APPROVAL, Role.POLICE_DIRECTOR, police, SIGNING_DAYS),
               (Step.AWAITING_DECISION, Role.POLICE_DIRECTOR, police, None)],
    )  # fmt: skip
    for tier, rates, symbol in (
        (ministry_tier, BANG_KHEN_RATES, "QĐ-BCA"),
        (chairman_tier, BANG_KHEN_RATES, "QĐ-UBND"),
        (director_tier, GIAY_KHEN_RATES, "QĐ-CAT"),
    ):
        if not tier.prize_rates.exists():
            prize_rates_set(by=None, award_type=tier, rates=rates)
        if not tier.decision_symbol:
            tier.decision_symbol = symbol
            tier.save(update_fields=["decision_symbol"])
    return [ministry_tier, chairman_tier, director_tier]
