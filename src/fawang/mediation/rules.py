"""The statutory rules of people's mediation as pure functions (中华人民共和国人民调解法).

Day counting follows 民法典 第二百零一条 (the starting day is not counted) and 第二百零三条 (a
period ending on a rest day ends on the next working day), as for legal aid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fawang.core.workdays import next_working_day
from fawang.mediation.choices import MediationStatus

# Not statutory: the usual limit for concluding a mediation (many provinces: 30 days), which a
# committee may change per mediation or per region through settings.
DEFAULT_MEDIATION_DAYS = 30
JUDICIAL_CONFIRMATION_DAYS = 30  # 第三十三条: apply jointly within 30 days of the agreement taking effect
CONFIRMATION_REMINDER_DAYS_BEFORE = 7


def period_end(start: dt.date | dt.datetime, days: int) -> dt.date:
    """民法典 第二百零一条/第二百零三条: last day of a ``days``-day period starting on ``start``."""
    if isinstance(start, dt.datetime):
        start = start.date()
    return next_working_day(start + dt.timedelta(days=days))


def mediation_due(accepted_on: dt.date, days: int = DEFAULT_MEDIATION_DAYS) -> dt.date:
    """The day by which the mediation should be concluded (configurable; default 30 days)."""
    if days < 1:
        raise ValueError("days must be positive")
    return period_end(accepted_on, days)


def judicial_confirmation_due(effective_on: dt.date) -> dt.date:
    """第三十三条: the parties may jointly apply to the court for judicial confirmation within
    30 days from the day the agreement takes effect."""
    return period_end(effective_on, JUDICIAL_CONFIRMATION_DAYS)


def confirmation_reminder_on(
    effective_on: dt.date, days_before: int = CONFIRMATION_REMINDER_DAYS_BEFORE
) -> dt.date:
    """When to remind the parties of the 第三十三条 window: ``days_before`` the last day, but
    never before the day after the agreement took effect."""
    due = judicial_confirmation_due(effective_on)
    return max(due - dt.timedelta(days=days_before), effective_on + dt.timedelta(days=1))


def may_mediate(*, refusing_parties: Sequence[str]) -> bool:
    """第十七条: if one party clearly refuses mediation, it must not go ahead."""
    return not refusing_parties


# 第二十六条: when mediation fails the parties must be told the other ways to protect their rights.
OTHER_REMEDIES_NOTICE = (
    "调解不成，依据《中华人民共和国人民调解法》第二十六条，当事人可以依法通过仲裁、行政、司法等途径"
    "维护自己的权利：可以依约定或者法律规定申请仲裁（劳动争议、农村土地承包经营纠纷等适用相应仲裁程序），"
    "可以请求有关行政机关依法处理，也可以向人民法院提起诉讼。"
)


@dataclass(frozen=True)
class AgreementParty:
    name: str
    role: str
    id_number: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class AgreementDraft:
    """The contents of a written mediation agreement (第二十九条第一款)."""

    parties: tuple[AgreementParty, ...]
    facts: str  # 纠纷的主要事实
    issues: str  # 争议事项
    responsibilities: str  # 各方当事人的责任
    terms: str  # 达成协议的内容
    performance_manner: str  # 履行的方式
    performance_deadline: dt.date | None


def agreement_problems(draft: AgreementDraft) -> dict[str, str]:
    """Missing contents of 第二十九条 for a written agreement, as field → zh-hans message.

    The statute says "可以载明" (may contain); we require all of it because an agreement
    without a performance term cannot be supervised (第三十一条) or confirmed by a court
    (第三十三条) — 当事人 and 履行 are what the court checks.
    """
    problems: dict[str, str] = {}
    if len(draft.parties) < 2:
        problems["parties"] = _("调解协议至少需要两方当事人的基本情况（第二十九条第一款第一项）。")
    elif any(not p.name.strip() for p in draft.parties):
        problems["parties"] = _("每一方当事人都须填写姓名或名称（第二十九条第一款第一项）。")
    if not draft.facts.strip():
        problems["facts"] = _("请填写纠纷的主要事实（第二十九条第一款第二项）。")
    if not draft.issues.strip():
        problems["issues"] = _("请填写争议事项（第二十九条第一款第二项）。")
    if not draft.terms.strip():
        problems["terms"] = _("请填写当事人达成调解协议的内容（第二十九条第一款第三项）。")
    if not draft.performance_manner.strip():
        problems["performance_manner"] = _("请填写履行的方式（第二十九条第一款第三项）。")
    if draft.performance_deadline is None:
        problems["performance_deadline"] = _("请填写履行的期限（第二十九条第一款第三项）。")
    return problems


def agreement_takes_effect(
    *, all_parties_signed: bool, mediator_signed: bool, committee_sealed: bool
) -> bool:
    """第二十九条第二款: a written agreement takes effect when every party has signed (or sealed
    or fingerprinted), the mediator has signed and the committee's seal is affixed."""
    return all_parties_signed and mediator_signed and committee_sealed


M = MediationStatus

# The one table of allowed moves: action -> (from states, to state); None keeps the state.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accept": (frozenset({M.RECEIVED}), M.ACCEPTED),
    # 第十七条: one party clearly refuses → no mediation
    "refuse": (frozenset({M.RECEIVED, M.ACCEPTED}), M.REFUSED),
    # 第十九条: designate or let the parties choose; mediation starts
    "assign_mediator": (frozenset({M.ACCEPTED}), M.IN_MEDIATION),
    # 第二十条/第二十七条: invitations and session records keep the state
    "record_session": (frozenset({M.IN_MEDIATION}), M.IN_MEDIATION),
    "invite": (frozenset({M.IN_MEDIATION}), M.IN_MEDIATION),
    "report_risk": (frozenset({M.RECEIVED, M.ACCEPTED, M.IN_MEDIATION}), None),
    # 第二十三条第二项/第二十六条: failure or a party's wish to stop ends it
    "fail": (frozenset({M.ACCEPTED, M.IN_MEDIATION}), M.FAILED),
    # 第二十八条/第二十九条
    "agree": (frozenset({M.IN_MEDIATION}), M.AGREED),
    # 第三十一条: follow-up of performance
    "follow_up": (frozenset({M.AGREED}), M.AGREED),
    "performed": (frozenset({M.AGREED, M.DEFAULTED}), M.PERFORMED),
    "defaulted": (frozenset({M.AGREED}), M.DEFAULTED),
}

TERMINAL_STATES: frozenset[str] = frozenset({M.FAILED, M.REFUSED, M.PERFORMED})


def next_status(action: str, current: str) -> str | None:
    """The state ``action`` leads to from ``current`` (None: not allowed). Actions whose
    target is None in the table keep the current state."""
    entry = TRANSITIONS.get(action)
    if entry is None or current not in entry[0]:
        return None
    return entry[1] or current
