"""Writes of the legal aid line. Each transition is one service that:

1. locks the ``LegalAidApplication`` row (always before the case row: one lock order);
2. checks the move against ``rules.TRANSITIONS`` and the actor's role and region;
3. saves the application with ``update_fields``;
4. moves the spine through ``fawang.cases.services`` (``case_transition``/``case_record``…),
   so the ``CaseEvent`` is written in the same transaction.

The statutory rules themselves are in ``rules`` (pure); this module gathers the facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fawang.cases import services as cs
from fawang.cases.choices import CaseStatus, Channel
from fawang.cases.models import Case, Party
from fawang.catalog.choices import ServiceType
from fawang.catalog.models import ServiceItem
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.legalaid import events as lev
from fawang.legalaid import rules
from fawang.legalaid.allocation import SERIOUS_CASE_MIN_YEARS, choose_aid_lawyer
from fawang.legalaid.choices import (
    NOTIFIED_MATTERS,
    AidForm,
    AidSource,
    AidStatus,
    ExemptGroup,
    MatterType,
    NoMeansTestGround,
    Notifier,
    ObjectionOutcome,
    QualityGrade,
    QualityMethod,
    TerminationGround,
)
from fawang.legalaid.models import (
    AidAssignment,
    AidMatterScope,
    ClosingReport,
    HardshipStandard,
    LegalAidApplication,
    Objection,
    ProgressReport,
    QualityReview,
    SubsidyRecord,
    SubsidyStandard,
)

# Role actions (fawang.core.permissions). The objection is reviewed by the justice bureau that
# set up the center (第四十九条): its supervisors hold "supervision.act".
INTAKE = "legalaid.intake"
REVIEW = "legalaid.review"
APPROVE = "legalaid.approve"
HANDLE = "legalaid.handle"
OBJECTION_REVIEW = "supervision.act"

APPLICATION_ITEM_CODE = "GGFL-FY-001"
NOTIFIED_ITEM_CODE = "GGFL-FY-002"


# --------------------------------------------------------------------------- helpers


def _lock(app: LegalAidApplication) -> LegalAidApplication:
    try:
        return LegalAidApplication.objects.select_for_update().select_related("case").get(pk=app.pk)
    except LegalAidApplication.DoesNotExist:
        raise NotFoundOrForbidden() from None


def _target(app: LegalAidApplication, action: str) -> str:
    target = rules.next_status(action, app.status)
    if target is None:
        raise DomainError(
            "invalid_transition",
            _("法律援助申请当前状态为“%(s)s”，不能执行此操作。") % {"s": AidStatus(app.status).label},
            status=app.status,
            action=action,
        )
    return target


def _save(app: LegalAidApplication, **values: Any) -> None:
    for name, value in values.items():
        setattr(app, name, value)
    app.save(update_fields=[*values, "updated_at"])


def _refresh(target: LegalAidApplication, source: LegalAidApplication) -> LegalAidApplication:
    """Bring the caller's instance up to date with what the service saved on ``source``."""
    target.refresh_from_db()
    target.case.refresh_from_db()
    return target


def _intake_action(actor: Any) -> str:
    """Receiving work at the center is done by intake staff or reviewers; approvers hold
    ``legalaid.review`` but not ``legalaid.intake``."""
    from fawang.core.permissions import has_permission

    if actor is None or getattr(actor, "role", "citizen") == "citizen" or has_permission(actor, INTAKE):
        return INTAKE
    return REVIEW


def _apply_action(actor: Any) -> str:
    """Any front desk takes an application (window, hotline, village adviser: 任何渠道); legal aid
    staff hold ``legalaid.intake``, the others the generic ``case.intake``."""
    from fawang.core.permissions import has_permission

    if actor is None or getattr(actor, "role", "citizen") == "citizen" or has_permission(actor, INTAKE):
        return INTAKE
    return "case.intake"


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{field}_required", message, field=field)
    return value


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError("number_invalid", _("请填写有效的金额。"), field=field) from None
    if result < 0:
        raise DomainError("number_invalid", _("金额不能为负数。"), field=field)
    return result


def _item(code: str) -> ServiceItem:
    item = ServiceItem.objects.filter(code=code, is_active=True).first()
    if item is None:
        item = ServiceItem.objects.filter(service_type=ServiceType.LEGAL_AID, is_active=True).order_by("code").first()
    if item is None:
        raise DomainError("item_missing", _("服务事项目录中没有启用的法律援助事项，请先维护事项目录。"))
    return item


def _case_event_as(actor: Any, *, case: Case, event_type: str, payload: dict[str, Any]) -> None:
    """Append a spine event for an act of the citizen (or the system) on their own case.

    ``cases.services.case_record`` authorizes staff by region; a citizen has no region, so we
    check ownership here and append through the spine's low-level ``case_event_append``
    under the case lock.
    """
    if actor is not None and getattr(actor, "role", "citizen") != "citizen":
        cs.case_record(case=case, actor=actor, event_type=event_type, payload=payload, action=INTAKE)
        return
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if actor is not None and locked.citizen_user_id != actor.pk:
        raise NotFoundOrForbidden()
    cs.case_event_append(case=locked, event_type=event_type, actor=actor, payload=payload,
                         from_status=locked.status, to_status=locked.status)


# --------------------------------------------------------------------------- configuration


def hardship_criteria_for(region_code: str) -> rules.HardshipCriteria | None:
    """The most specific regional hardship standard (第三十四条), or None if none is set."""
    standards = {s.region_code: s for s in HardshipStandard.objects.all()}
    code = rules.most_specific(region_code, standards)
    if code is None:
        return None
    s = standards[code]
    return rules.HardshipCriteria(s.monthly_income_per_capita_max, s.assets_max)


def supplementary_matters_for(region_code: str) -> tuple[str, ...]:
    """Codes of supplementary matters (第三十一条第九项) valid in the region and its ancestors."""
    codes = [c for c in AidMatterScope.objects.filter(is_active=True).values_list("region_code", "code")]
    return tuple(sorted({code for region, code in codes if region_code.startswith(region)}))


def supplementary_needs_means_test(region_code: str, code: str) -> bool:
    """Whether the region's supplementary matter ``code`` keeps the means test; the most
    specific region's entry decides."""
    rows = {r: m for r, m in AidMatterScope.objects.filter(is_active=True, code=code)
            .values_list("region_code", "means_test_required")}
    best = rules.most_specific(region_code, rows)
    return True if best is None else rows[best]


def subsidy_rate_for(region_code: str, aid_form: str) -> tuple[rules.SubsidyRate, SubsidyStandard] | None:
    standards = {s.region_code: s for s in SubsidyStandard.objects.filter(aid_form=aid_form)}
    code = rules.most_specific(region_code, standards)
    if code is None:
        return None
    s = standards[code]
    factors = {k: Decimal(str(v)) for k, v in (s.grade_factors or {}).items()}
    return rules.SubsidyRate(s.base_amount, factors), s


def hardship_lookup() -> rules.HardshipLookup:
    """The configured data-sharing adapter (第四十一条); nothing is found when none is set."""
    path = getattr(settings, "FAWANG_LEGALAID_HARDSHIP_LOOKUP", "")
    if not path:
        return rules.NullHardshipLookup()
    return import_string(path)()


# --------------------------------------------------------------------------- intake


def legalaid_apply(
    *,
    actor: Any,
    applicant: Party,
    matter: str,
    channel: str,
    service_point: Any = None,
    region_code: str = "",
    summary: str = "",
    aid_form: str = AidForm.LITIGATION_AGENCY,
    supplementary_subject: str = "",
    no_means_test_ground: str = "",
    exempt_group: str = "",
    exempt_proof_provided: bool = False,
    household_size: int | None = None,
    household_monthly_income: Any = None,
    household_assets: Any = None,
    honesty_commitment_signed: bool = False,
    is_detained: bool = False,
    custodial_place: str = "",
    limitation_ends_on: dt.date | None = None,
    needs_preservation: bool = False,
    specialty: str = "",
    language: str = "",
    serious_case: bool = False,
    citizen_user: Any = None,
    idempotency_key: str | None = None,
    item: ServiceItem | None = None,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> LegalAidApplication:
    """An application on any channel (F2). It starts RECEIVED where it was taken: a township
    station does the initial review and forwards it (``legalaid_forward``), the county center
    receives it (``legalaid_receive``). A detained applicant's application must be forwarded
    within 24 hours (第三十九条): the clock starts here."""
    if matter not in MatterType.values:
        raise DomainError("matter_invalid", _("申请事项无效。"), field="matter")
    if matter in NOTIFIED_MATTERS:
        raise DomainError("matter_notified", _("通知辩护、强制医疗代理由公检法机关通知，不经申请。"), field="matter")
    if aid_form not in AidForm.values:
        raise DomainError("aid_form_invalid", _("援助形式无效。"), field="aid_form")
    if no_means_test_ground and no_means_test_ground not in NoMeansTestGround.values:
        raise DomainError("ground_invalid", _("免于经济困难审查的情形无效。"), field="no_means_test_ground")
    if exempt_group and exempt_group not in ExemptGroup.values:
        raise DomainError("exempt_group_invalid", _("免予核查人员类别无效。"), field="exempt_group")
    if household_size is not None and household_size < 1:
        raise DomainError("household_size_invalid", _("家庭人口至少为1人。"), field="household_size")
    if is_detained and not (custodial_place or "").strip():
        raise DomainError("custodial_place_required", _("请填写羁押或监管场所。"), field="custodial_place")
    income = _decimal(household_monthly_income, "household_monthly_income")
    assets = _decimal(household_assets, "household_assets")
    at = at or timezone.now()
    with transaction.atomic():
        case, created = cs.case_create_or_get(
            item=item or _item(APPLICATION_ITEM_CODE), channel=channel, applicant=applicant,
            region_code=service_point.region_code if service_point is not None else region_code,
            service_point=service_point, actor=actor, action=_apply_action(actor),
            idempotency_key=idempotency_key, subject=str(MatterType(matter).label)[:200],
            form_data={"matter": matter, "summary": summary[:2000]}, citizen_user=citizen_user, at=at,
            is_demo=is_demo,
        )
        if not created:
            existing = LegalAidApplication.objects.filter(case=case).first()
            if existing is None:
                raise DomainError("idempotency_conflict", _("该幂等键已用于其他事项。"))
            return existing
        app = LegalAidApplication.objects.create(
            case=case, status=AidStatus.RECEIVED, source=AidSource.APPLICATION, matter=matter,
            supplementary_subject=supplementary_subject, aid_form=aid_form, summary=summary,
            region_code=case.region_code, received_at=at, is_detained=is_detained,
            custodial_place=custodial_place, forward_due_at=rules.detained_forward_due(at) if is_detained else None,
            no_means_test_ground=no_means_test_ground, exempt_group=exempt_group,
            exempt_proof_provided=exempt_proof_provided, household_size=household_size,
            household_monthly_income=income, household_assets=assets,
            honesty_commitment_signed_at=at if honesty_commitment_signed else None,
            limitation_ends_on=limitation_ends_on, needs_preservation=needs_preservation,
            specialty=specialty, language=language, serious_case=serious_case, is_demo=is_demo,
        )
        if is_detained:
            locked = Case.objects.select_for_update().get(pk=case.pk)
            cs.case_event_append(
                case=locked, event_type=lev.DETAINED_RECEIVED, actor=actor, at=at,
                from_status=locked.status, to_status=locked.status,
                payload={"custodial_place": custodial_place, "forward_due_at": app.forward_due_at.isoformat()},
            )
    return app


def legalaid_notify(
    *,
    actor: Any,
    notifier: str,
    notifier_name: str,
    notice_number: str,
    defendant: Party,
    center: Any,
    matter: str = MatterType.NOTIFIED_DEFENCE,
    summary: str = "",
    serious_case: bool = False,
    language: str = "",
    specialty: str = "criminal_defense",
    item: ServiceItem | None = None,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> LegalAidApplication:
    """A court, procuratorate or police notice (第二十五条/第二十八条/第三十六条): no means test,
    no application decision; the center must assign a lawyer within 3 days of receiving it."""
    if notifier not in Notifier.values:
        raise DomainError("notifier_invalid", _("通知机关无效。"), field="notifier")
    if matter not in NOTIFIED_MATTERS:
        raise DomainError("matter_invalid", _("通知事项只能是通知辩护或强制医疗代理。"), field="matter")
    notifier_name = _text(notifier_name, "notifier_name", _("请填写通知机关名称。"))
    notice_number = _text(notice_number, "notice_number", _("请填写通知文书编号。"))
    if center is None:
        raise DomainError("center_required", _("请选择法律援助机构。"), field="center")
    at = at or timezone.now()
    with transaction.atomic():
        case, _created = cs.case_create_or_get(
            item=item or _item(NOTIFIED_ITEM_CODE), channel=Channel.NOTIFICATION, applicant=defendant,
            service_point=center, region_code=center.region_code, actor=actor, action=_intake_action(actor),
            idempotency_key=_notice_key(notifier, notifier_name, notice_number),
            subject=str(MatterType(matter).label)[:200], form_data={"notice_number": notice_number}, at=at,
            is_demo=is_demo,
        )
        existing = LegalAidApplication.objects.filter(case=case).first()
        if existing is not None:
            return existing
        app = LegalAidApplication.objects.create(
            case=case, status=AidStatus.APPROVED, source=AidSource.NOTIFICATION, notifier=notifier,
            notifier_name=notifier_name, notice_number=notice_number, matter=matter,
            aid_form=AidForm.CRIMINAL_DEFENCE, summary=summary, region_code=case.region_code, center=center,
            received_at=at, center_received_at=at, hardship_method="not_required", decided_at=at,
            assign_due_at=rules.notified_assignment_due(at), serious_case=serious_case, language=language,
            specialty=specialty, articles=["第二十五条", "第三十六条"], is_demo=is_demo,
        )
        cs.case_accept(case=case, actor=actor, action=_intake_action(actor), at=at)
        cs.case_transition(
            case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor, event_type=lev.NOTIFIED,
            action=_intake_action(actor), at=at,
            payload={"notifier": notifier, "notifier_name": notifier_name, "notice_number": notice_number,
                     "assign_due_at": app.assign_due_at.isoformat()},
        )
    return app


def _notice_key(notifier: str, notifier_name: str, notice_number: str) -> str:
    """One matter per notice: the same notice registered twice (phone, then paper) is one case.
    Hashed because court names and document numbers together can exceed the key length."""
    import hashlib

    digest = hashlib.sha256(f"{notifier}|{notifier_name}|{notice_number}".encode()).hexdigest()[:40]
    return f"legalaid-notice:{digest}"


def legalaid_forward(*, app: LegalAidApplication, actor: Any, to_center: Any, opinion: str = "") -> LegalAidApplication:
    """初审 at a township station (or a custodial place) and forward to the county center."""
    if to_center is None:
        raise DomainError("center_required", _("请选择接收的法律援助机构。"), field="to_center")
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, INTAKE, locked.region_code)
        target = _target(locked, "forward")
        now = timezone.now()
        cs.case_transfer(case=locked.case, actor=actor, to_service_point=to_center, escalate=True,
                         reason=_("法律援助申请初审后转交法律援助机构审查决定。"))
        _save(locked, status=target, forwarded_at=now, center=to_center,
              initial_review_opinion=(opinion or "").strip())
    return _refresh(app, locked)


def legalaid_receive(*, app: LegalAidApplication, actor: Any, at: dt.datetime | None = None) -> LegalAidApplication:
    """The legal aid institution receives the application: the 7-day decision clock of
    第四十三条 starts (an application forwarded by a township is first taken over)."""
    with transaction.atomic():
        locked = _lock(app)
        target = _target(locked, "receive")
        case = locked.case
        if case.status == CaseStatus.TRANSFERRING:
            cs.case_transfer_accept(case=case, actor=actor, action=_intake_action(actor))
        at = at or timezone.now()
        cs.case_accept(case=case, actor=actor, action=_intake_action(actor), at=at)
        _save(locked, status=target, center_received_at=at, decision_due_at=rules.decision_due(at),
              region_code=case.region_code, center=case.service_point or locked.center)
    return _refresh(app, locked)


# --------------------------------------------------------------------------- review


def _eligibility_input(app: LegalAidApplication, lookup_result: rules.HardshipLookupResult | None):
    declared = None
    if app.household_size and app.household_monthly_income is not None:
        declared = rules.HardshipFacts(app.household_size, app.household_monthly_income, app.household_assets)
    return rules.EligibilityInput(
        matter=app.matter, supplementary_subject=app.supplementary_subject,
        regional_supplementary=supplementary_matters_for(app.region_code),
        no_means_test_ground=app.no_means_test_ground, exempt_group=app.exempt_group,
        exempt_proof_provided=app.exempt_proof_provided, lookup=lookup_result, declared=declared,
        honesty_commitment_signed=app.honesty_commitment_signed_at is not None,
        criteria=hardship_criteria_for(app.region_code),
        means_test_required=(app.matter != MatterType.SUPPLEMENTARY
                             or supplementary_needs_means_test(app.region_code, app.supplementary_subject)),
    )


def _assess(app: LegalAidApplication, lookup: rules.HardshipLookup | None) -> tuple[rules.EligibilityResult, str]:
    """Eligibility, asking the data lookup only when a means test is actually needed."""
    first = rules.assess_eligibility(_eligibility_input(app, None))
    if first.hardship_method in ("not_required", "exempt") or not first.articles or "第二十二条" in first.articles:
        return first, ""
    id_number = app.case.applicant.id_number if app.case.applicant_id else ""
    result = None
    if id_number:
        result = (lookup or hardship_lookup()).lookup(id_number=id_number)
    return rules.assess_eligibility(_eligibility_input(app, result)), (result.source if result else "")


def legalaid_check_hardship(
    *, app: LegalAidApplication, actor: Any, lookup: rules.HardshipLookup | None = None
) -> rules.EligibilityResult:
    """Check scope and economic hardship (第三十四条/第四十一条/第四十二条/第三十二条) and record how."""
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, REVIEW, locked.region_code)
        if locked.status != AidStatus.UNDER_REVIEW:
            raise DomainError("not_under_review", _("只有审查中的申请才能审查经济困难状况。"))
        result, source = _assess(locked, lookup)
        _save(locked, hardship_method=result.hardship_method, lookup_source=source, articles=list(result.articles))
        cs.case_record(case=locked.case, actor=actor, event_type=lev.HARDSHIP_CHECKED, action=REVIEW,
                       payload={"eligible": result.eligible, "method": result.hardship_method,
                                "reasons": list(result.reasons), "articles": list(result.articles)})
    _refresh(app, locked)
    return result


def legalaid_request_materials(
    *, app: LegalAidApplication, actor: Any, materials: Sequence[str], days: int = rules.DEFAULT_MATERIALS_DAYS,
    note: str = "",
) -> LegalAidApplication:
    """第四十三条第二款: tell the applicant, all at once, every material to add."""
    names = [m.strip() for m in materials if m and m.strip()]
    if not names:
        raise DomainError("materials_required", _("请一次性列明需要补充的全部材料。"), field="materials")
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, REVIEW, locked.region_code)
        target = _target(locked, "request_materials")
        now = timezone.now()
        cs.case_request_materials(case=locked.case, actor=actor, action=REVIEW, materials=names, note=note)
        _save(locked, status=target, missing_materials=names, materials_requested_at=now,
              materials_due_at=rules.materials_due(now, days))
    return _refresh(app, locked)


def legalaid_supply_materials(
    *, app: LegalAidApplication, actor: Any, received: Sequence[str] = ()
) -> LegalAidApplication:
    """Materials arrived: review resumes, the decision deadline moves by the days waited."""
    from fawang.core.sla import compute_due

    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, REVIEW, locked.region_code)
        target = _target(locked, "supply_materials")
        now = timezone.now()
        cs.case_materials_received(case=locked.case, actor=actor, action=REVIEW, received=list(received))
        pauses = [*locked.pauses, [locked.materials_requested_at.isoformat(), now.isoformat()]]
        parsed = [(dt.datetime.fromisoformat(b), dt.datetime.fromisoformat(e)) for b, e in pauses]
        due = compute_due(locked.center_received_at, rules.DECISION_RULE, parsed, now=now)
        _save(locked, status=target, pauses=pauses, decision_due_at=due, missing_materials=[],
              materials_due_at=None, materials_requested_at=None)
    return _refresh(app, locked)


def legalaid_withdraw(
    *, app: LegalAidApplication, actor: Any, reason: str = "", deemed: bool = False
) -> LegalAidApplication:
    """The applicant withdraws; or, with ``deemed``, the materials deadline passed unanswered
    (第四十三条第二款 视为撤回申请)."""
    if deemed:
        reason = _("申请人未按要求补充材料或者作出说明，视为撤回申请（法律援助法第四十三条第二款）。")
    with transaction.atomic():
        locked = _lock(app)
        if actor is not None and getattr(actor, "role", "citizen") != "citizen":
            cs.authorize(actor, INTAKE, locked.region_code)
        target = _target(locked, "withdraw")
        if deemed and (locked.materials_due_at is None or locked.materials_due_at > timezone.now()):
            raise DomainError("not_expired", _("补充材料期限尚未届满，不能视为撤回。"))
        if locked.case.status == CaseStatus.TRANSFERRING:
            raise DomainError("transferring", _("申请正在转交途中，请由接收的法律援助机构处理。"))
        if actor is not None and getattr(actor, "role", "citizen") == "citizen":
            if locked.case.citizen_user_id != actor.pk:
                raise NotFoundOrForbidden()
            # The spine authorizes staff only; a citizen's own withdrawal is recorded by the system.
            cs.case_withdraw(case=locked.case, actor=None, action=INTAKE, reason=reason or _("申请人撤回申请。"))
        else:
            cs.case_withdraw(case=locked.case, actor=actor, action=INTAKE, reason=reason)
        _save(locked, status=target)
    return _refresh(app, locked)


def legalaid_expire_materials(*, now: dt.datetime | None = None) -> int:
    """Periodic scan: applications whose materials deadline passed are deemed withdrawn."""
    import logging

    now = now or timezone.now()
    count = 0
    due = LegalAidApplication.objects.filter(status=AidStatus.MATERIALS_REQUESTED, materials_due_at__lt=now)
    for app in due.only("pk"):
        try:
            legalaid_withdraw(app=app, actor=None, deemed=True)
        except DomainError as exc:  # one odd row must not stop the scan (e.g. supplied meanwhile)
            logging.getLogger("fawang.legalaid").warning("视为撤回跳过 %s: %s", app.pk, exc.message)
            continue
        count += 1
    return count


def legalaid_approve(
    *, app: LegalAidApplication, actor: Any, lookup: rules.HardshipLookup | None = None,
    at: dt.datetime | None = None,
) -> LegalAidApplication:
    """第四十三条: decide to grant aid; a lawyer must then be assigned within 3 days."""
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        target = _target(locked, "approve")
        result, source = _assess(locked, lookup)
        if not result.eligible:
            raise DomainError("not_eligible", _("不符合法律援助条件：%(r)s") % {"r": "；".join(result.reasons)},
                              reasons=list(result.reasons), articles=list(result.articles))
        at = at or timezone.now()
        due = rules.assignment_due(at)
        cs.case_transition(case=locked.case, to_status=CaseStatus.IN_PROGRESS, actor=actor,
                           event_type=lev.APPROVED, action=APPROVE, at=at,
                           payload={"method": result.hardship_method, "articles": list(result.articles),
                                    "assign_due_at": due.isoformat()})
        _save(locked, status=target, decided_at=at, decided_by=actor, assign_due_at=due,
              hardship_method=result.hardship_method, lookup_source=source or locked.lookup_source,
              articles=list(result.articles))
    return _refresh(app, locked)


def legalaid_refuse(
    *, app: LegalAidApplication, actor: Any, reasons: str, at: dt.datetime | None = None
) -> LegalAidApplication:
    """第四十三条: a refusal is given in writing with the reasons (``documents.refusal_notice_pdf``)."""
    reasons = _text(reasons, "reasons", _("决定不予法律援助的，应当说明理由（法律援助法第四十三条）。"))
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        target = _target(locked, "refuse")
        at = at or timezone.now()
        cs.case_transition(case=locked.case, to_status=CaseStatus.IN_PROGRESS, actor=actor,
                           event_type=lev.REFUSED, action=APPROVE, at=at, payload={"reason": reasons})
        _save(locked, status=target, decided_at=at, decided_by=actor, refusal_reasons=reasons)
    return _refresh(app, locked)


# --------------------------------------------------------------------------- assignment


def _allocate(app: LegalAidApplication, *, as_of: dt.datetime, exclude: Sequence[int] = ()):
    from fawang.legalaid.selectors import aid_lawyer_candidates, assignment_history

    candidates = aid_lawyer_candidates(region_code=app.region_code)
    history = assignment_history(candidate_ids=[c.id for c in candidates], as_of=as_of)
    return choose_aid_lawyer(
        candidates, history, as_of=as_of, specialty=app.specialty, language=app.language,
        min_years=SERIOUS_CASE_MIN_YEARS if app.serious_case else 0, exclude=exclude,
    )


def _make_assignment(
    locked: LegalAidApplication, *, actor: Any, practitioner: Any, lawyer_user: Any, as_of: dt.datetime,
    fast_track: bool = False, exclude: Sequence[int] = (),
) -> AidAssignment:
    from fawang.directory.models import Practitioner

    ideal = actual = None
    relaxed: list[str] = []
    if practitioner is None:
        allocation = _allocate(locked, as_of=as_of, exclude=exclude)
        if allocation is None:
            raise DomainError("no_lawyer", _("本地区暂无可指派的法律援助人员，请维护法律援助人员名录或跨区域调配。"))
        practitioner = Practitioner.objects.get(pk=allocation.candidate.id)
        ideal, actual, relaxed = allocation.ideal_share, allocation.actual_share, list(allocation.relaxed)
    elif not practitioner.is_legal_aid_lawyer:
        raise DomainError("not_aid_lawyer", _("所选人员不是法律援助人员。"), field="practitioner")
    elif locked.serious_case and (practitioner.years_in_practice or 0) < SERIOUS_CASE_MIN_YEARS:
        raise DomainError("too_junior", _("可能判处无期徒刑、死刑的案件，应当指派具有三年以上相关执业经历的律师"
                                          "（法律援助法第二十六条）。"), field="practitioner")
    if lawyer_user is not None and getattr(lawyer_user, "role", "") != "lawyer":
        raise DomainError("lawyer_user_invalid", _("承办人账号必须是律师角色。"), field="lawyer_user")
    assignment = AidAssignment.objects.create(
        application=locked, practitioner=practitioner, practitioner_name=practitioner.name,
        lawyer_user=lawyer_user, assigned_at=as_of, assigned_by=actor, is_fast_track=fast_track,
        ideal_share=ideal, actual_share=actual, relaxed=relaxed, region_code=locked.region_code,
    )
    Practitioner.objects.filter(pk=practitioner.pk).update(current_load=F("current_load") + 1)
    return assignment


def _release(locked: LegalAidApplication, reason: str) -> AidAssignment | None:
    from fawang.directory.models import Practitioner

    current = locked.assignments.select_for_update().filter(released_at__isnull=True).first()
    if current is None:
        return None
    current.released_at, current.release_reason = timezone.now(), reason[:200]
    current.save(update_fields=["released_at", "release_reason"])
    Practitioner.objects.filter(pk=current.practitioner_id, current_load__gt=0).update(
        current_load=F("current_load") - 1
    )
    return current


def legalaid_assign(
    *, app: LegalAidApplication, actor: Any, practitioner: Any = None, lawyer_user: Any = None,
    as_of: dt.datetime | None = None,
) -> AidAssignment:
    """指派 within 3 days of approval (第四十三条) or of a notification (第三十六条). Without a
    chosen ``practitioner`` the weighted rotation picks one (``allocation``)."""
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        target = _target(locked, "assign")
        as_of = as_of or timezone.now()
        assignment = _make_assignment(locked, actor=actor, practitioner=practitioner, lawyer_user=lawyer_user,
                                      as_of=as_of)
        changes = {"handler": lawyer_user} if lawyer_user is not None else None
        cs.case_record(case=locked.case, actor=actor, event_type=lev.ASSIGNED, action=APPROVE, changes=changes,
                       payload={"practitioner": assignment.practitioner_name, "relaxed": assignment.relaxed,
                                "on_time": locked.assign_due_at is None or as_of <= locked.assign_due_at})
        _save(locked, status=target)
    _refresh(app, locked)
    return assignment


def legalaid_fast_track(
    *, app: LegalAidApplication, actor: Any, practitioner: Any = None, lawyer_user: Any = None,
    as_of: dt.datetime | None = None,
) -> AidAssignment:
    """第四十四条: when a limitation period ends in under 7 days or preservation is needed at
    once, assign first; the recipient completes the formalities afterwards."""
    as_of = as_of or timezone.now()
    if not rules.qualifies_for_fast_track(
        today=timezone.localtime(as_of).date(), limitation_ends_on=app.limitation_ends_on,
        needs_preservation=app.needs_preservation,
    ):
        raise DomainError("not_urgent", _("不符合先行提供法律援助的情形（法律援助法第四十四条）。"))
    with transaction.atomic():
        locked = _lock(app)
        if locked.status in (AidStatus.RECEIVED, AidStatus.FORWARDED):
            legalaid_receive(app=locked, actor=actor, at=as_of)
            locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        target = _target(locked, "fast_track")
        assignment = _make_assignment(locked, actor=actor, practitioner=practitioner, lawyer_user=lawyer_user,
                                      as_of=as_of, fast_track=True)
        cs.case_transition(case=locked.case, to_status=CaseStatus.IN_PROGRESS, actor=actor,
                           event_type=lev.FAST_TRACKED, action=APPROVE, at=as_of,
                           payload={"limitation_ends_on": str(locked.limitation_ends_on or ""),
                                    "needs_preservation": locked.needs_preservation})
        cs.case_record(case=locked.case, actor=actor, event_type=lev.ASSIGNED, action=APPROVE,
                       changes={"handler": lawyer_user} if lawyer_user is not None else None,
                       payload={"practitioner": assignment.practitioner_name, "fast_track": True})
        _save(locked, status=target, is_fast_track=True, decided_at=as_of, decided_by=actor)
    _refresh(app, locked)
    return assignment


def legalaid_complete_formalities(
    *, app: LegalAidApplication, actor: Any, lookup: rules.HardshipLookup | None = None
) -> LegalAidApplication:
    """第四十四条第二款: after fast-track aid the recipient completes the formalities. If they turn
    out ineligible, aid must be terminated (第四十八条) — reported back, not done silently."""
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, REVIEW, locked.region_code)
        if not locked.is_fast_track or locked.formalities_completed_at is not None:
            raise DomainError("no_formalities", _("该案件没有待补办的手续。"))
        result, source = _assess(locked, lookup)
        if not result.eligible:
            raise DomainError("not_eligible", _("补办手续后审查不符合法律援助条件，应当终止法律援助：%(r)s")
                              % {"r": "；".join(result.reasons)}, reasons=list(result.reasons))
        now = timezone.now()
        cs.case_record(case=locked.case, actor=actor, event_type=lev.FORMALITIES_COMPLETED, action=REVIEW,
                       payload={"method": result.hardship_method})
        _save(locked, formalities_completed_at=now, hardship_method=result.hardship_method,
              lookup_source=source or locked.lookup_source, articles=list(result.articles))
    return _refresh(app, locked)


def legalaid_reassign(
    *, app: LegalAidApplication, actor: Any, reason: str, practitioner: Any = None, lawyer_user: Any = None,
    as_of: dt.datetime | None = None,
) -> AidAssignment:
    """第五十五条: at the recipient's request (or the center's), replace the aid lawyer."""
    reason = _text(reason, "reason", _("请说明更换法律援助人员的理由。"))
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        _target(locked, "reassign")
        old = _release(locked, reason)
        as_of = as_of or timezone.now()
        assignment = _make_assignment(locked, actor=actor, practitioner=practitioner, lawyer_user=lawyer_user,
                                      as_of=as_of, exclude=[old.practitioner_id] if old else [])
        cs.case_record(case=locked.case, actor=actor, event_type=lev.REASSIGNED, action=APPROVE,
                       changes={"handler": lawyer_user},
                       payload={"from": old.practitioner_name if old else "", "to": assignment.practitioner_name,
                                "reason": reason})
    _refresh(app, locked)
    return assignment


# --------------------------------------------------------------------------- handling


def _require_handler(locked: LegalAidApplication, actor: Any) -> None:
    """The assigned aid lawyer's account, or center staff who may approve."""
    current = locked.current_assignment
    if current is not None and current.lawyer_user_id is not None and actor is not None and (
        current.lawyer_user_id == actor.pk
    ):
        cs.authorize(actor, HANDLE, locked.region_code)
        return
    cs.authorize(actor, APPROVE, locked.region_code)


def legalaid_report_progress(*, app: LegalAidApplication, actor: Any, content: str) -> ProgressReport:
    """第四十六条第二款: the aid lawyer reports how the matter is going (seen by the recipient)."""
    content = _text(content, "content", _("请填写办理情况。"))
    with transaction.atomic():
        locked = _lock(app)
        _require_handler(locked, actor)
        if locked.status != AidStatus.ASSIGNED:
            raise DomainError("not_assigned", _("只有已指派的案件才能通报办理情况。"))
        report = ProgressReport.objects.create(application=locked, reported_by=actor, content=content)
        cs.case_record(case=locked.case, actor=actor, event_type=lev.PROGRESS_REPORTED,
                       action=HANDLE if actor is not None and actor.role == "lawyer" else APPROVE,
                       payload={"content": content[:500], "result": content[:200]})
    return report


def legalaid_terminate(*, app: LegalAidApplication, actor: Any, ground: str, note: str = "") -> LegalAidApplication:
    """第四十八条: terminate on one of the statutory grounds; the recipient may object (第四十九条)."""
    if ground not in TerminationGround.values:
        raise DomainError("ground_invalid", _("请选择法律援助法第四十八条规定的终止情形。"), field="ground")
    note = (note or "").strip()
    if ground == TerminationGround.OTHER and not note:
        raise DomainError("note_required", _("“其他情形”须说明具体依据。"), field="note")
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        target = _target(locked, "terminate")
        _release(locked, str(TerminationGround(ground).label))
        reason = str(TerminationGround(ground).label) + (f"：{note}" if note else "")
        cs.case_record(case=locked.case, actor=actor, event_type=lev.TERMINATED, action=APPROVE,
                       payload={"ground": ground, "reason": reason})
        _save(locked, status=target, termination_ground=ground, termination_note=note,
              terminated_at=timezone.now())
    return _refresh(app, locked)


def legalaid_report_termination_ground(
    *, app: LegalAidApplication, actor: Any, ground: str, note: str = ""
) -> None:
    """第四十八条第二款: the aid lawyer reports a termination ground to the center, which
    decides (``legalaid_terminate``). Recorded on the case, not shown to the recipient."""
    if ground not in TerminationGround.values:
        raise DomainError("ground_invalid", _("请选择法律援助法第四十八条规定的终止情形。"), field="ground")
    with transaction.atomic():
        locked = _lock(app)
        _require_handler(locked, actor)
        if locked.status != AidStatus.ASSIGNED:
            raise DomainError("not_assigned", _("只有承办中的案件才能报告终止情形。"))
        cs.case_record(case=locked.case, actor=actor, event_type=lev.TERMINATION_REPORTED,
                       action=HANDLE if actor is not None and actor.role == "lawyer" else APPROVE,
                       payload={"ground": ground, "note": (note or "").strip()[:500]})


def legalaid_object(
    *, app: LegalAidApplication, actor: Any, grounds: str, at: dt.datetime | None = None
) -> Objection:
    """第四十九条: the applicant objects to a refusal or termination; reviewed within 5 days."""
    grounds = _text(grounds, "grounds", _("请填写异议理由。"))
    with transaction.atomic():
        locked = _lock(app)
        target = _target(locked, "object")
        if locked.finalized_at is not None:
            raise DomainError("final", _("该决定已生效，可依法申请行政复议或者提起行政诉讼。"))
        at = at or timezone.now()
        objection = Objection.objects.create(
            application=locked, against_status=locked.status, grounds=grounds, filed_at=at,
            review_due_at=rules.objection_review_due(at),
        )
        _case_event_as(actor, case=locked.case, event_type=lev.OBJECTION_FILED,
                       payload={"against": locked.status, "review_due_at": objection.review_due_at.isoformat()})
        _save(locked, status=target)
    _refresh(app, locked)
    return objection


def legalaid_decide_objection(
    *, objection: Objection, actor: Any, outcome: str, note: str = ""
) -> Objection:
    """第四十九条第二款: the justice bureau upholds the center's decision or orders a correction."""
    if outcome not in ObjectionOutcome.values:
        raise DomainError("outcome_invalid", _("审查结果无效。"), field="outcome")
    note = _text(note, "note", _("请填写审查意见。"))
    with transaction.atomic():
        locked = _lock(objection.application)
        cs.authorize(actor, OBJECTION_REVIEW, locked.region_code)
        obj = Objection.objects.select_for_update().get(pk=objection.pk)
        if obj.outcome:
            raise DomainError("decided", _("该异议已审查。"))
        refusal = obj.against_status == AidStatus.REFUSED
        if outcome == ObjectionOutcome.UPHELD:
            action = "objection_upheld_refusal" if refusal else "objection_upheld_termination"
        else:
            action = "objection_corrected_refusal" if refusal else "objection_corrected_termination"
        target = _target(locked, action)
        now = timezone.now()
        obj.outcome, obj.decision_note, obj.reviewed_at, obj.reviewed_by = outcome, note, now, actor
        obj.save(update_fields=["outcome", "decision_note", "reviewed_at", "reviewed_by"])
        result = str(ObjectionOutcome(outcome).label) + f"：{note}"
        cs.case_record(case=locked.case, actor=actor, event_type=lev.OBJECTION_DECIDED, action=OBJECTION_REVIEW,
                       payload={"outcome": outcome, "result": result, "on_time": now <= obj.review_due_at})
        values: dict[str, Any] = {"status": target}
        if target == AidStatus.APPROVED:
            values.update(assign_due_at=rules.assignment_due(now), termination_ground="", terminated_at=None)
        if target == AidStatus.UNDER_REVIEW:
            values.update(decision_due_at=rules.decision_due(now), refusal_reasons="")
        _save(locked, **values)
        if outcome == ObjectionOutcome.UPHELD:
            _finalize(locked, actor=actor, action=OBJECTION_REVIEW)
    return obj


def _finalize(locked: LegalAidApplication, *, actor: Any, action: str) -> None:
    if locked.status == AidStatus.REFUSED:
        result = _("决定不予法律援助：%(r)s") % {"r": locked.refusal_reasons}
    else:
        result = _("终止法律援助：%(r)s") % {"r": TerminationGround(locked.termination_ground).label}
    cs.case_complete(case=locked.case, actor=actor, action=action, result=result)
    _save(locked, finalized_at=timezone.now())


def legalaid_finalize(*, app: LegalAidApplication, actor: Any) -> LegalAidApplication:
    """Close a refusal or termination no one objected to (the spine case is completed)."""
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        if locked.status not in rules.OBJECTABLE_STATES or locked.finalized_at is not None:
            raise DomainError("not_finalizable", _("只有未生效的不予援助或终止援助决定才能确认生效。"))
        _finalize(locked, actor=actor, action=APPROVE)
    return _refresh(app, locked)


def legalaid_report_closing(
    *, app: LegalAidApplication, actor: Any, outcome: str, documents: Sequence[str] = (), extra_costs: Any = 0
) -> ClosingReport:
    """第五十条: the aid lawyer reports the end of the matter with copies of the documents."""
    outcome = _text(outcome, "outcome", _("请填写办理结果。"))
    costs = _decimal(extra_costs, "extra_costs") or Decimal("0")
    with transaction.atomic():
        locked = _lock(app)
        _require_handler(locked, actor)
        target = _target(locked, "report_closing")
        report = ClosingReport.objects.create(application=locked, submitted_by=actor, outcome=outcome,
                                              documents=[d for d in documents if d], extra_costs=costs)
        cs.case_record(case=locked.case, actor=actor, event_type=lev.CLOSING_REPORTED,
                       action=HANDLE if actor is not None and actor.role == "lawyer" else APPROVE,
                       payload={"outcome": outcome[:500]})
        _save(locked, status=target)
    _refresh(app, locked)
    return report


def legalaid_review_quality(
    *, app: LegalAidApplication, actor: Any, grade: str, methods: Sequence[str] = (), opinion: str = ""
) -> QualityReview:
    """第五十七条/第五十九条: review the closed matter's quality; the subsidy (第五十二条) is set
    from the region's standard and the grade; the case is completed."""
    if grade not in QualityGrade.values:
        raise DomainError("grade_invalid", _("质量等级无效。"), field="grade")
    bad = set(methods) - set(QualityMethod.values)
    if bad:
        raise DomainError("method_invalid", _("评查方式无效。"), field="methods")
    with transaction.atomic():
        locked = _lock(app)
        cs.authorize(actor, APPROVE, locked.region_code)
        target = _target(locked, "close")
        review = QualityReview.objects.create(application=locked, grade=grade, methods=list(methods),
                                              opinion=(opinion or "").strip(), reviewer=actor)
        cs.case_record(case=locked.case, actor=actor, event_type=lev.QUALITY_REVIEWED, action=APPROVE,
                       payload={"grade": grade, "methods": list(methods)})
        assignment = locked.current_assignment
        closing = locked.closing_report
        if assignment is not None:
            found = subsidy_rate_for(locked.region_code, locked.aid_form)
            if found is not None:
                rate, standard = found
                amount = rules.subsidy_amount(rate, grade=grade, extra_costs=closing.extra_costs)
                SubsidyRecord.objects.create(
                    application=locked, practitioner_id=assignment.practitioner_id, amount=amount,
                    region_code=locked.region_code,
                    standard_snapshot={"region_code": standard.region_code, "aid_form": standard.aid_form,
                                       "base_amount": str(standard.base_amount),
                                       "grade_factors": standard.grade_factors, "basis": standard.basis},
                )
                cs.case_record(case=locked.case, actor=actor, event_type=lev.SUBSIDY_RECORDED, action=APPROVE,
                               payload={"amount": str(amount), "practitioner": assignment.practitioner_name})
            _release(locked, _("结案"))
        now = timezone.now()
        cs.case_complete(case=locked.case, actor=actor, action=APPROVE, result=closing.outcome)
        _save(locked, status=target, closed_at=now)
    _refresh(app, locked)
    return review
