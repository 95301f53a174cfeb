"""The statutory rules of 人民调解法 as pure functions. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from fawang.mediation import rules
from fawang.mediation.choices import MediationStatus
from fawang.mediation.rules import AgreementDraft, AgreementParty


def test_judicial_confirmation_window_30_days_article_33():
    """第三十三条: within 30 days of the agreement taking effect; 民法典 第二百零三条 extension."""
    assert rules.judicial_confirmation_due(dt.date(2025, 11, 3)) == dt.date(2025, 12, 3)
    # 2026-01-16 + 30 = 2026-02-15, first day of the Spring Festival holiday → 2026-02-24
    assert rules.judicial_confirmation_due(dt.date(2026, 1, 16)) == dt.date(2026, 2, 24)
    # 2025-09-01 + 30 = 2025-10-01 National Day → 2025-10-09
    assert rules.judicial_confirmation_due(dt.date(2025, 9, 1)) == dt.date(2025, 10, 9)


def test_confirmation_reminder_is_a_week_before_the_last_day_article_33():
    assert rules.confirmation_reminder_on(dt.date(2026, 1, 16)) == dt.date(2026, 2, 17)
    assert rules.confirmation_reminder_on(dt.date(2025, 11, 3), days_before=60) == dt.date(2025, 11, 4)


def test_default_mediation_limit_is_30_days_and_configurable():
    assert rules.mediation_due(dt.date(2025, 11, 3)) == dt.date(2025, 12, 3)
    assert rules.mediation_due(dt.date(2025, 11, 3), days=15) == dt.date(2025, 11, 18)
    # 2025-09-06 + 30 = 2025-10-06 (National Day) → 2025-10-09
    assert rules.mediation_due(dt.date(2025, 9, 6)) == dt.date(2025, 10, 9)
    with pytest.raises(ValueError):
        rules.mediation_due(dt.date(2025, 11, 3), days=0)


def test_a_party_refusing_stops_mediation_article_17():
    """第十七条: 当事人一方明确拒绝调解的，不得调解."""
    assert rules.may_mediate(refusing_parties=[])
    assert not rules.may_mediate(refusing_parties=["张三"])
    assert rules.next_status("refuse", MediationStatus.ACCEPTED) == MediationStatus.REFUSED


def test_failure_tells_the_parties_other_remedies_article_26():
    """第二十六条: 告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利."""
    for word in ("仲裁", "行政", "人民法院", "第二十六条"):
        assert word in rules.OTHER_REMEDIES_NOTICE
    assert rules.next_status("fail", MediationStatus.IN_MEDIATION) == MediationStatus.FAILED


def _draft(**overrides) -> AgreementDraft:
    values = {
        "parties": (AgreementParty("张三", "applicant"), AgreementParty("李四", "respondent")),
        "facts": "李四借张三人民币一万元，到期未还。",
        "issues": "借款本金及利息的偿还。",
        "responsibilities": "李四承担还款责任。",
        "terms": "李四分两期归还张三借款一万元，张三放弃利息。",
        "performance_manner": "银行转账",
        "performance_deadline": dt.date(2025, 12, 31),
    }
    values.update(overrides)
    return AgreementDraft(**values)


def test_complete_agreement_has_no_problems_article_29():
    assert rules.agreement_problems(_draft()) == {}


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"parties": (AgreementParty("张三", "applicant"),)}, "parties"),
        ({"parties": (AgreementParty("张三", "applicant"), AgreementParty(" ", "respondent"))}, "parties"),
        ({"facts": ""}, "facts"),
        ({"issues": " "}, "issues"),
        ({"terms": ""}, "terms"),
        ({"performance_manner": ""}, "performance_manner"),
        ({"performance_deadline": None}, "performance_deadline"),
    ],
)
def test_agreement_contents_of_article_29_are_required(override, field):
    """第二十九条第一款: parties' basic info, main facts and issues, content/manner/deadline."""
    problems = rules.agreement_problems(_draft(**override))
    assert field in problems and "第二十九条" in problems[field]


def test_written_agreement_takes_effect_on_all_signatures_and_seal_article_29_para_2():
    assert rules.agreement_takes_effect(all_parties_signed=True, mediator_signed=True, committee_sealed=True)
    assert not rules.agreement_takes_effect(
        all_parties_signed=False, mediator_signed=True, committee_sealed=True
    )
    assert not rules.agreement_takes_effect(
        all_parties_signed=True, mediator_signed=True, committee_sealed=False
    )


def test_transition_table_is_closed_over_statuses():
    for action, (sources, target) in rules.TRANSITIONS.items():
        assert target is None or target in MediationStatus.values, action
        assert sources <= set(MediationStatus.values), action
    for state in rules.TERMINAL_STATES:
        assert all(rules.next_status(a, state) is None for a in rules.TRANSITIONS)


def test_follow_up_of_performance_article_31():
    """第三十一条: the committee supervises performance of an agreement."""
    assert rules.next_status("follow_up", MediationStatus.AGREED) == MediationStatus.AGREED
    assert rules.next_status("performed", MediationStatus.DEFAULTED) == MediationStatus.PERFORMED
    assert rules.next_status("performed", MediationStatus.IN_MEDIATION) is None


def test_every_transition_has_a_service():
    import inspect

    from fawang.mediation import services

    source = inspect.getsource(services)
    assert [a for a in rules.TRANSITIONS if f'"{a}"' not in source] == []
