"""The statutory rules of 法律援助法 as pure functions: deadlines on real dates around holidays,
scope, means test, exemptions, the state table and subsidies. No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fawang.legalaid import rules
from fawang.legalaid.choices import AidStatus, ExemptGroup, HardshipMethod, MatterType, NoMeansTestGround
from fawang.legalaid.rules import (
    EligibilityInput,
    FakeHardshipLookup,
    HardshipCriteria,
    HardshipFacts,
    HardshipLookupResult,
    assess_eligibility,
)

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=SH)


def day_end(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime.combine(dt.date(y, m, d), dt.time.max, tzinfo=SH)


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2025, 11, 3), day_end(2025, 11, 10)),  # ordinary week: Mon + 7 = Mon
        (at(2025, 9, 26), day_end(2025, 10, 9)),  # +7 = 10-03, inside National Day → 10-09
        (at(2025, 9, 24), day_end(2025, 10, 9)),  # +7 = 10-01 holiday → first working day 10-09
        (at(2025, 10, 4), day_end(2025, 10, 11)),  # +7 = Sat 10-11, a 调休 working day: stays
        (at(2026, 2, 10), day_end(2026, 2, 24)),  # +7 = 02-17, Spring Festival → 02-24
        (at(2025, 11, 8), day_end(2025, 11, 17)),  # +7 = Sat 11-15 → Mon 11-17
    ],
)
def test_decision_within_7_days_article_43(received, due):
    """第四十三条: decide within 7 days of receipt; 民法典 第二百零一条/第二百零三条 counting."""
    assert rules.decision_due(received) == due


@pytest.mark.parametrize(
    ("decided", "due"),
    [
        (at(2026, 2, 12), day_end(2026, 2, 24)),  # +3 = 02-15 holiday → 02-24
        (at(2026, 2, 11), day_end(2026, 2, 14)),  # +3 = Sat 02-14, make-up working day
        (at(2025, 12, 30), day_end(2026, 1, 4)),  # +3 = 01-02 New Year → Sun 01-04 (调休 working)
    ],
)
def test_assign_within_3_days_of_decision_article_43(decided, due):
    """第四十三条: assign an aid lawyer within 3 days of the decision to grant aid."""
    assert rules.assignment_due(decided) == due


def test_notified_defence_assigned_within_3_days_article_36():
    """第三十六条: a notice received Tue 2025-09-30 → 3 days = 10-03 (holiday) → 10-09."""
    assert rules.notified_assignment_due(at(2025, 9, 30)) == day_end(2025, 10, 9)
    assert rules.notified_assignment_due(at(2025, 11, 4)) == day_end(2025, 11, 7)


def test_objection_reviewed_within_5_days_article_49():
    """第四十九条: 5 days; 2025-12-29 + 5 = 2026-01-03 (holiday) → 01-04 (调休 Sunday)."""
    assert rules.objection_review_due(at(2025, 12, 29)) == day_end(2026, 1, 4)
    assert rules.objection_review_due(at(2025, 11, 3)) == day_end(2025, 11, 10)  # Sat 11-08 → Mon


def test_detained_application_forwarded_within_24_hours_article_39():
    """第三十九条: counted in hours — a holiday does not extend it."""
    received = dt.datetime(2025, 9, 30, 18, 30, tzinfo=SH)
    assert rules.detained_forward_due(received) == dt.datetime(2025, 10, 1, 18, 30, tzinfo=SH)


def test_deadlines_need_aware_datetimes():
    with pytest.raises(ValueError):
        rules.decision_due(dt.datetime(2025, 11, 3, 10))


def test_missing_materials_deadline_article_43_para_2():
    """第四十三条第二款: the institution sets a time to supply materials; counted like other periods."""
    assert rules.materials_due(at(2025, 9, 20), days=15) == day_end(2025, 10, 9)
    with pytest.raises(ValueError):
        rules.materials_due(at(2025, 9, 20), days=0)


@pytest.mark.parametrize(
    ("limitation_ends_on", "preservation", "expected"),
    [
        (dt.date(2025, 11, 9), False, True),  # 6 days left: fast track
        (dt.date(2025, 11, 10), False, False),  # exactly 7 days left: not "不足七日"
        (None, True, True),  # preservation needed at once
        (None, False, False),
    ],
)
def test_fast_track_article_44(limitation_ends_on, preservation, expected):
    """第四十四条: limitation ends in less than 7 days, or preservation is needed."""
    assert (
        rules.qualifies_for_fast_track(
            today=dt.date(2025, 11, 3), limitation_ends_on=limitation_ends_on, needs_preservation=preservation
        )
        is expected
    )


# ---------------------------------------------------------------- scope & eligibility

CRITERIA = HardshipCriteria(monthly_income_per_capita_max=Decimal("1200"))


def test_statutory_matters_in_scope_everywhere_articles_24_31():
    """第二十四条/第三十一条 matters are in scope without any regional entry."""
    for matter in (MatterType.CRIMINAL_DEFENCE, MatterType.SUPPORT_PAYMENT, MatterType.ENVIRONMENT):
        assert rules.matter_in_scope(matter)
    assert not rules.matter_in_scope("divorce_property")


def test_supplementary_matters_need_a_regional_entry_article_31_item_9():
    """第三十一条第九项: supplementary matters count only where the region added them."""
    assert rules.matter_in_scope(MatterType.SUPPLEMENTARY, supplementary=["consumer"], subject="consumer")
    assert not rules.matter_in_scope(MatterType.SUPPLEMENTARY, supplementary=["consumer"], subject="housing")
    assert not rules.matter_in_scope(MatterType.SUPPLEMENTARY, supplementary=[], subject="")


def test_supplementary_matter_without_means_test_article_31_item_9():
    """A region may add a matter and waive the means test for it (第三十一条第九项, 第三十二条第五项)."""
    inp = EligibilityInput(matter=MatterType.SUPPLEMENTARY, supplementary_subject="consumer",
                           regional_supplementary=("consumer",), means_test_required=False)
    result = assess_eligibility(inp)
    assert result.eligible and result.hardship_method == HardshipMethod.NOT_REQUIRED
    with_test = EligibilityInput(matter=MatterType.SUPPLEMENTARY, supplementary_subject="consumer",
                                 regional_supplementary=("consumer",))
    assert not assess_eligibility(with_test).eligible  # no standard, no declaration


def test_out_of_scope_is_refused_with_reason():
    result = assess_eligibility(EligibilityInput(matter=MatterType.SUPPLEMENTARY, supplementary_subject="x"))
    assert not result.eligible
    assert "第二十二条" in result.articles and result.reasons


def test_notified_defence_needs_no_means_test_articles_25_28():
    result = assess_eligibility(EligibilityInput(matter=MatterType.NOTIFIED_DEFENCE))
    assert result.eligible and result.hardship_method == HardshipMethod.NOT_REQUIRED


@pytest.mark.parametrize("ground", list(NoMeansTestGround.values))
def test_no_means_test_matters_article_32(ground):
    """第三十二条: these matters are not limited by economic hardship, even with no standard set."""
    result = assess_eligibility(
        EligibilityInput(matter=MatterType.SUPPORT_PAYMENT, no_means_test_ground=ground)
    )
    assert result.eligible
    assert result.hardship_method == HardshipMethod.NOT_REQUIRED
    assert result.articles == ("第三十二条",)


def test_exempt_groups_skip_the_hardship_check_with_proof_article_42():
    """第四十二条: exempt on *proof* of membership; without proof the normal check applies."""
    inp = EligibilityInput(
        matter=MatterType.SUPPORT_PAYMENT,
        exempt_group=ExemptGroup.SOCIAL_ASSISTANCE,
        exempt_proof_provided=True,
    )
    assert assess_eligibility(inp).hardship_method == HardshipMethod.EXEMPT
    no_proof = EligibilityInput(matter=MatterType.SUPPORT_PAYMENT, exempt_group=ExemptGroup.SOCIAL_ASSISTANCE)
    assert not assess_eligibility(no_proof).eligible


def test_migrant_worker_exemption_covers_only_wages_and_work_injury_article_42_item_3():
    assert rules.exempt_group_applies(ExemptGroup.MIGRANT_WORKER, MatterType.LABOUR_REMUNERATION)
    assert rules.exempt_group_applies(ExemptGroup.MIGRANT_WORKER, MatterType.WORK_INJURY)
    assert not rules.exempt_group_applies(ExemptGroup.MIGRANT_WORKER, MatterType.SUPPORT_PAYMENT)
    inp = EligibilityInput(
        matter=MatterType.SUPPORT_PAYMENT,
        exempt_group=ExemptGroup.MIGRANT_WORKER,
        exempt_proof_provided=True,
        criteria=CRITERIA,
    )
    assert not assess_eligibility(inp).eligible  # falls through to the hardship check, no data


def test_hardship_by_data_lookup_article_41():
    """第四十一条第二款: 信息共享查询 decides when it finds the household."""
    fake = FakeHardshipLookup(
        records={
            "poor": HardshipLookupResult(True, HardshipFacts(3, Decimal("3000"))),  # 1000/head
            "rich": HardshipLookupResult(True, HardshipFacts(2, Decimal("5000"))),  # 2500/head
            "dibao": HardshipLookupResult(True, None, on_assistance_rolls=True),
        }
    )
    for who, expected in (("poor", True), ("rich", False), ("dibao", True)):
        result = assess_eligibility(
            EligibilityInput(
                matter=MatterType.LABOUR_REMUNERATION, lookup=fake.lookup(id_number=who), criteria=CRITERIA
            )
        )
        assert result.eligible is expected, who
        assert result.hardship_method == HardshipMethod.DATA_LOOKUP
    assert fake.calls == ["poor", "rich", "dibao"]


def test_honesty_commitment_when_lookup_finds_nothing_article_41():
    """第四十一条: without a lookup hit, a signed personal honesty commitment over the declaration."""
    declared = HardshipFacts(
        household_size=4, household_monthly_income=Decimal("4800")
    )  # 1200/head: at the line
    unsigned = EligibilityInput(
        matter=MatterType.PENSION, lookup=HardshipLookupResult(False), declared=declared, criteria=CRITERIA
    )
    assert not assess_eligibility(unsigned).eligible
    signed = EligibilityInput(
        matter=MatterType.PENSION,
        lookup=HardshipLookupResult(False),
        declared=declared,
        honesty_commitment_signed=True,
        criteria=CRITERIA,
    )
    result = assess_eligibility(signed)
    assert result.eligible and result.hardship_method == HardshipMethod.HONESTY_COMMITMENT


def test_hardship_needs_a_regional_standard_article_34():
    inp = EligibilityInput(
        matter=MatterType.PENSION, declared=HardshipFacts(1, Decimal("1")), honesty_commitment_signed=True
    )
    result = assess_eligibility(inp)
    assert not result.eligible and "第三十四条" in result.articles


def test_asset_cap_in_hardship_standard_article_34():
    criteria = HardshipCriteria(Decimal("1200"), assets_max=Decimal("50000"))
    assert rules.meets_hardship_standard(HardshipFacts(1, Decimal("1000"), Decimal("40000")), criteria)
    assert not rules.meets_hardship_standard(HardshipFacts(1, Decimal("1000"), Decimal("60000")), criteria)
    with pytest.raises(ValueError):
        _ = HardshipFacts(0, Decimal("1")).income_per_capita


def test_most_specific_region_wins():
    codes = ["", "41", "4101", "410102"]
    assert rules.most_specific("410102003", codes) == "410102"
    assert rules.most_specific("410105", codes) == "4101"
    assert rules.most_specific("420100", codes) == ""
    assert rules.most_specific("420100", ["41"]) is None


# ---------------------------------------------------------------- state table


def test_transition_table_is_closed_over_statuses():
    for action, (sources, target) in rules.TRANSITIONS.items():
        assert target in AidStatus.values, action
        assert sources and sources <= set(AidStatus.values), action


def test_terminal_states_have_no_way_out():
    for state in rules.TERMINAL_STATES:
        assert all(rules.next_status(a, state) is None for a in rules.TRANSITIONS)


def test_refusal_may_be_objected_to_article_49():
    assert rules.next_status("object", AidStatus.REFUSED) == AidStatus.OBJECTION_REVIEW
    assert rules.next_status("object", AidStatus.TERMINATED) == AidStatus.OBJECTION_REVIEW
    assert rules.next_status("object", AidStatus.APPROVED) is None
    assert rules.next_status("objection_corrected_refusal", AidStatus.OBJECTION_REVIEW) == AidStatus.UNDER_REVIEW
    assert rules.next_status("objection_corrected_termination", AidStatus.OBJECTION_REVIEW) == AidStatus.APPROVED


def test_fast_track_assigns_before_decision_article_44():
    assert rules.next_status("fast_track", AidStatus.UNDER_REVIEW) == AidStatus.ASSIGNED
    assert rules.next_status("assign", AidStatus.UNDER_REVIEW) is None


# ---------------------------------------------------------------- subsidy


def test_subsidy_by_grade_article_52():
    """第五十二条: the subsidy standard is regional; a failing review pays less."""
    rate = rules.SubsidyRate(Decimal("1500"), {"fail": Decimal("0.5"), "excellent": Decimal("1.2")})
    assert rules.subsidy_amount(rate, grade="excellent") == Decimal("1800.00")
    assert rules.subsidy_amount(rate, grade="good", extra_costs=Decimal("35.5")) == Decimal("1535.50")
    assert rules.subsidy_amount(rate, grade="fail") == Decimal("750.00")


def test_every_transition_has_a_service():
    """Each move in the table is made by some service (no dead rows in the one table)."""
    import inspect

    from fawang.legalaid import services

    source = inspect.getsource(services)
    missing = [action for action in rules.TRANSITIONS if f'"{action}"' not in source]
    assert missing == []
