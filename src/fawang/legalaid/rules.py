"""The statutory rules of legal aid as pure functions (中华人民共和国法律援助法).

Nothing here touches the database: services gather the facts (the region's hardship standard,
its supplementary matters, the applicant's declared income) and ask these functions. That keeps
every rule testable on fixed dates and figures, and keeps the article that sets a rule next to
the code that applies it.

Day counting is ``fawang.core.sla``'s: 民法典 第二百零一条 (the starting day is not counted) and
第二百零三条 (a period whose last day is a rest day ends on the next working day, at 24:00);
limits in hours (第三十九条 "二十四小时内") are not extended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from fawang.core.sla import SlaRule, compute_due
from fawang.legalaid.choices import (
    NOTIFIED_MATTERS,
    STATUTORY_MATTERS,
    AidStatus,
    ExemptGroup,
    HardshipMethod,
    MatterType,
    NoMeansTestGround,
)

# --------------------------------------------------------------------------- deadlines

# The statutory time limits, each with the article that sets it. ``fawang.core.sla`` counts
# them: calendar days, 民法典 第二百零一条/第二百零三条, due at 24:00 local time of the last day.
DECISION_RULE = SlaRule(days=7, article="法律援助法 第四十三条第一款")
ASSIGN_RULE = SlaRule(days=3, article="法律援助法 第四十三条第一款")
NOTIFIED_ASSIGN_RULE = SlaRule(days=3, article="法律援助法 第三十六条")
OBJECTION_RULE = SlaRule(days=5, article="法律援助法 第四十九条第二款")
DETAINED_FORWARD_RULE = SlaRule(days=0, hours=24, article="法律援助法 第三十九条")
FAST_TRACK_LIMITATION_DAYS = 7  # 第四十四条第一项: limitation period ends in under 7 days
DEFAULT_MATERIALS_DAYS = 15  # not statutory: the time given to supply missing materials


def _due(start: dt.datetime, rule: SlaRule) -> dt.datetime:
    if start.tzinfo is None:
        raise ValueError("deadline functions need timezone-aware datetimes")
    return compute_due(start, rule, now=start)


def decision_due(received_at: dt.datetime) -> dt.datetime:
    """第四十三条: decide whether to grant aid within 7 days of receiving the application."""
    return _due(received_at, DECISION_RULE)


def assignment_due(decided_at: dt.datetime) -> dt.datetime:
    """第四十三条: assign an aid lawyer within 3 days of the decision to grant aid."""
    return _due(decided_at, ASSIGN_RULE)


def notified_assignment_due(notified_at: dt.datetime) -> dt.datetime:
    """第三十六条: assign a lawyer within 3 days of receiving a court/procuratorate/police notice."""
    return _due(notified_at, NOTIFIED_ASSIGN_RULE)


def objection_review_due(objection_at: dt.datetime) -> dt.datetime:
    """第四十九条: the justice bureau reviews an objection within 5 days of receiving it."""
    return _due(objection_at, OBJECTION_RULE)


def detained_forward_due(received_at: dt.datetime) -> dt.datetime:
    """第三十九条: a custodial place forwards a detained person's application within 24 hours.

    Counted in hours, so holidays do not extend it.
    """
    return _due(received_at, DETAINED_FORWARD_RULE)


def materials_due(requested_at: dt.datetime, days: int = DEFAULT_MATERIALS_DAYS) -> dt.datetime:
    """Deadline to supply missing materials (第四十三条第二款); after it the application is
    deemed withdrawn. The statute leaves the length to the institution; ``days`` is it."""
    if days < 1:
        raise ValueError("days must be positive")
    return _due(requested_at, SlaRule(days=days, article="法律援助法 第四十三条第二款"))


def qualifies_for_fast_track(
    *, today: dt.date, limitation_ends_on: dt.date | None = None, needs_preservation: bool = False
) -> bool:
    """第四十四条: aid may be provided first (先行提供) when a limitation period or time limit
    ends in less than 7 days (第一项) or property/evidence preservation or advance execution is
    needed at once (第二项)."""
    if needs_preservation:
        return True
    if limitation_ends_on is None:
        return False
    return (limitation_ends_on - today).days < FAST_TRACK_LIMITATION_DAYS


# --------------------------------------------------------------------------- scope & hardship


@dataclass(frozen=True)
class HardshipCriteria:
    """A region's economic hardship standard (第三十四条: set by the province, adjusted).

    ``monthly_income_per_capita_max``: household monthly income per head at or below which an
    applicant is in hardship. ``assets_max``: optional cap on household financial assets.
    """

    monthly_income_per_capita_max: Decimal
    assets_max: Decimal | None = None


@dataclass(frozen=True)
class HardshipFacts:
    """What the applicant declared or the data lookup returned (第四十一条第一款: 如实说明)."""

    household_size: int
    household_monthly_income: Decimal
    household_assets: Decimal | None = None

    @property
    def income_per_capita(self) -> Decimal:
        if self.household_size < 1:
            raise ValueError("household_size must be at least 1")
        return (self.household_monthly_income / self.household_size).quantize(Decimal("0.01"))


def meets_hardship_standard(facts: HardshipFacts, criteria: HardshipCriteria) -> bool:
    """第三十四条/第四十一条: the declared or looked-up household is within the region's standard."""
    if facts.income_per_capita > criteria.monthly_income_per_capita_max:
        return False
    return not (
        criteria.assets_max is not None
        and facts.household_assets is not None
        and facts.household_assets > criteria.assets_max
    )


@dataclass(frozen=True)
class HardshipLookupResult:
    """The answer of a data-sharing lookup (第四十一条第二款: 信息共享查询)."""

    found: bool
    facts: HardshipFacts | None = None
    on_assistance_rolls: bool = False  # e.g. 低保/特困: already proves hardship
    source: str = ""


class HardshipLookup(Protocol):
    """Adapter to the civil-affairs / social-assistance data exchange.

    A deployment plugs in a real adapter (setting ``FAWANG_LEGALAID_HARDSHIP_LOOKUP``); tests
    use ``FakeHardshipLookup``. An adapter must not raise for "not found": it returns
    ``found=False`` and the applicant may sign an honesty commitment instead.
    """

    def lookup(self, *, id_number: str) -> HardshipLookupResult: ...


@dataclass
class FakeHardshipLookup:
    """In-memory lookup for tests and demos: ``records`` maps ID numbers to results."""

    records: dict[str, HardshipLookupResult] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def lookup(self, *, id_number: str) -> HardshipLookupResult:
        self.calls.append(id_number)
        return self.records.get(id_number, HardshipLookupResult(found=False, source="fake"))


class NullHardshipLookup:
    """Default when no exchange is configured: nothing is ever found."""

    def lookup(self, *, id_number: str) -> HardshipLookupResult:
        return HardshipLookupResult(found=False, source="none")


def matter_in_scope(matter: str, *, supplementary: Iterable[str] = (), subject: str = "") -> bool:
    """第二十二条/第二十四条/第三十一条: the matter is one the statute lists, or one the region
    added as a supplementary matter (第三十一条第九项); ``subject`` is the supplementary matter's
    code and must be among the region's ``supplementary`` codes."""
    if matter in STATUTORY_MATTERS:
        return True
    if matter == MatterType.SUPPLEMENTARY:
        return bool(subject) and subject in set(supplementary)
    return False


def exempt_group_applies(group: str, matter: str) -> bool:
    """第四十二条: whether a claimed exempt group exempts *this* matter.

    Item 3 (进城务工人员) only covers claims for wages or work-injury compensation.
    """
    if group not in ExemptGroup.values:
        return False
    if group == ExemptGroup.MIGRANT_WORKER:
        return matter in (MatterType.LABOUR_REMUNERATION, MatterType.WORK_INJURY)
    return True


@dataclass(frozen=True)
class EligibilityInput:
    matter: str
    supplementary_subject: str = ""
    regional_supplementary: tuple[str, ...] = ()
    no_means_test_ground: str = ""
    exempt_group: str = ""
    exempt_proof_provided: bool = False
    lookup: HardshipLookupResult | None = None
    declared: HardshipFacts | None = None
    honesty_commitment_signed: bool = False
    criteria: HardshipCriteria | None = None
    # A supplementary matter the region put in scope without a means test (its AidMatterScope).
    means_test_required: bool = True


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    hardship_method: str
    reasons: tuple[str, ...]
    articles: tuple[str, ...]


def assess_eligibility(inp: EligibilityInput) -> EligibilityResult:
    """Whether an application meets the substantive conditions, and on what basis.

    Order matters and mirrors the statute: scope first (第二十二条/第三十一条), then the cases
    needing no means test (notification 第二十五条/第二十八条, 第三十二条), then the exempt
    groups with proof (第四十二条), then hardship by data lookup or, failing that, by the
    applicant's signed honesty commitment over their declaration (第四十一条) against the
    region's standard (第三十四条).
    """
    if not matter_in_scope(
        inp.matter, supplementary=inp.regional_supplementary, subject=inp.supplementary_subject
    ):
        return EligibilityResult(
            False, "", (_("申请事项不属于法律援助范围。"),), ("第二十二条", "第三十一条")
        )
    if inp.matter in NOTIFIED_MATTERS:
        return EligibilityResult(True, HardshipMethod.NOT_REQUIRED, (), ("第二十五条", "第二十八条"))
    if inp.matter == MatterType.SUPPLEMENTARY and not inp.means_test_required:
        return EligibilityResult(True, HardshipMethod.NOT_REQUIRED, (), ("第三十一条", "第三十二条"))
    if inp.no_means_test_ground:
        if inp.no_means_test_ground not in NoMeansTestGround.values:
            return EligibilityResult(False, "", (_("免于经济困难审查的情形无效。"),), ("第三十二条",))
        return EligibilityResult(True, HardshipMethod.NOT_REQUIRED, (), ("第三十二条",))
    if inp.exempt_group and inp.exempt_proof_provided and exempt_group_applies(inp.exempt_group, inp.matter):
        return EligibilityResult(True, HardshipMethod.EXEMPT, (), ("第四十二条",))
    if inp.criteria is None:
        return EligibilityResult(
            False, "", (_("本地区尚未设定经济困难标准，无法审查经济困难状况。"),), ("第三十四条",)
        )
    if inp.lookup is not None and inp.lookup.found:
        if inp.lookup.on_assistance_rolls:
            return EligibilityResult(True, HardshipMethod.DATA_LOOKUP, (), ("第四十一条",))
        if inp.lookup.facts is not None:
            ok = meets_hardship_standard(inp.lookup.facts, inp.criteria)
            reasons = () if ok else (_("经信息共享查询，申请人家庭经济状况超过本地区经济困难标准。"),)
            return EligibilityResult(ok, HardshipMethod.DATA_LOOKUP, reasons, ("第三十四条", "第四十一条"))
    if inp.declared is None:
        return EligibilityResult(False, "", (_("申请人未如实说明经济困难状况。"),), ("第四十一条",))
    if not inp.honesty_commitment_signed:
        return EligibilityResult(
            False, "", (_("无法通过信息共享查询核实，申请人须签署个人诚信承诺。"),), ("第四十一条",)
        )
    ok = meets_hardship_standard(inp.declared, inp.criteria)
    reasons = () if ok else (_("申请人申报的家庭经济状况超过本地区经济困难标准。"),)
    return EligibilityResult(ok, HardshipMethod.HONESTY_COMMITMENT, reasons, ("第三十四条", "第四十一条"))


def most_specific(region_code: str, candidates: Iterable[str]) -> str | None:
    """Of the region codes in ``candidates``, the longest one that ``region_code`` lies in.

    Used for per-region standards: a county's own standard beats its city's, which beats the
    province's; "" (nationwide default) matches everything.
    """
    best: str | None = None
    for code in candidates:
        if region_code.startswith(code) and (best is None or len(code) > len(best)):
            best = code
    return best


# --------------------------------------------------------------------------- state machine

S = AidStatus

# The one table of allowed moves: action -> (from states, to state). Services look it up;
# nothing else decides whether a move is legal.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    # township station / custodial place forwards to the county center (初审, 第三十九条) ...
    "forward": (frozenset({S.RECEIVED}), S.FORWARDED),
    # ... which receives it (the 7-day clock of 第四十三条 starts), or accepts it directly
    "receive": (frozenset({S.RECEIVED, S.FORWARDED}), S.UNDER_REVIEW),
    # 第四十三条第二款: list all missing materials at once
    "request_materials": (frozenset({S.UNDER_REVIEW}), S.MATERIALS_REQUESTED),
    "supply_materials": (frozenset({S.MATERIALS_REQUESTED}), S.UNDER_REVIEW),
    # 第四十三条第二款: no answer by the deadline = deemed withdrawn; or the applicant withdraws
    "withdraw": (frozenset({S.RECEIVED, S.FORWARDED, S.UNDER_REVIEW, S.MATERIALS_REQUESTED}), S.WITHDRAWN),
    # 第四十三条第一款
    "approve": (frozenset({S.UNDER_REVIEW}), S.APPROVED),
    "refuse": (frozenset({S.UNDER_REVIEW}), S.REFUSED),
    # 第四十四条: provide aid first, complete formalities after
    "fast_track": (frozenset({S.RECEIVED, S.FORWARDED, S.UNDER_REVIEW, S.MATERIALS_REQUESTED}), S.ASSIGNED),
    "assign": (frozenset({S.APPROVED}), S.ASSIGNED),
    # 第五十五条: the recipient may ask for another aid lawyer; the state stays ASSIGNED
    "reassign": (frozenset({S.ASSIGNED}), S.ASSIGNED),
    # 第四十九条: objection to refusal or termination, reviewed by the justice bureau
    "object": (frozenset({S.REFUSED, S.TERMINATED}), S.OBJECTION_REVIEW),
    "objection_upheld_refusal": (frozenset({S.OBJECTION_REVIEW}), S.REFUSED),
    "objection_upheld_termination": (frozenset({S.OBJECTION_REVIEW}), S.TERMINATED),
    # 责令改正: a refusal is reviewed again; a termination is undone and a lawyer assigned again
    "objection_corrected_refusal": (frozenset({S.OBJECTION_REVIEW}), S.UNDER_REVIEW),
    "objection_corrected_termination": (frozenset({S.OBJECTION_REVIEW}), S.APPROVED),
    # 第四十八条
    "terminate": (frozenset({S.APPROVED, S.ASSIGNED}), S.TERMINATED),
    # 第五十条: the aid lawyer reports the end of the matter
    "report_closing": (frozenset({S.ASSIGNED}), S.CLOSING_REPORTED),
    # 第五十七条/第五十九条: quality review closes the file (subsidy is recorded with it)
    "close": (frozenset({S.CLOSING_REPORTED}), S.CLOSED),
}

TERMINAL_STATES: frozenset[str] = frozenset({S.CLOSED, S.WITHDRAWN})
# Refused and terminated matters stay open on the case spine until the refusal/termination is
# final (no objection, or the objection upheld): ``services.legalaid_finalize``.
OBJECTABLE_STATES: frozenset[str] = frozenset({S.REFUSED, S.TERMINATED})


def next_status(action: str, current: str) -> str | None:
    """The state ``action`` leads to from ``current``, or None if the move is not allowed."""
    entry = TRANSITIONS.get(action)
    if entry is None or current not in entry[0]:
        return None
    return entry[1]


# --------------------------------------------------------------------------- subsidy


@dataclass(frozen=True)
class SubsidyRate:
    """A region's subsidy standard for one form of aid (第五十二条第二款)."""

    base_amount: Decimal
    quality_factor: dict[str, Decimal] = field(default_factory=dict)


def subsidy_amount(rate: SubsidyRate, *, grade: str, extra_costs: Decimal = Decimal("0")) -> Decimal:
    """Subsidy for one closed matter: base × quality factor (a failing review may pay less or
    nothing), plus documented costs. 第五十二条: tax-exempt, paid timely; the standard is set by
    the provincial justice department with finance."""
    factor = rate.quality_factor.get(grade, Decimal("1"))
    amount = rate.base_amount * factor + extra_costs
    if amount < 0:
        raise ValueError("subsidy cannot be negative")
    return amount.quantize(Decimal("0.01"))
