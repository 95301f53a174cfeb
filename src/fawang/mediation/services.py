"""Writes of the people's mediation line (人民调解法). Each transition locks the ``Mediation``
row (before the case row), checks ``rules.TRANSITIONS`` and the actor's role and region, saves
with ``update_fields`` and moves the case spine through ``fawang.cases.services`` in the same
transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.cases import services as cs
from fawang.cases.choices import CaseStatus
from fawang.cases.models import Party
from fawang.catalog.choices import ServiceType
from fawang.catalog.models import ServiceItem
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.legalaid.rules import most_specific
from fawang.mediation import events as mev
from fawang.mediation import rules
from fawang.mediation.choices import (
    AgreementForm,
    DisputeType,
    FailureReason,
    MediationSource,
    MediationStatus,
    MediatorSelection,
    PartyRole,
    RiskLevel,
)
from fawang.mediation.models import (
    Agreement,
    Mediation,
    MediationParty,
    MediationRecord,
    MediationTimeLimit,
    MediatorAssignment,
    Participant,
    PerformanceCheck,
    RiskReport,
)

MEDIATE = "mediation.handle"
ITEM_CODE = "GGFL-TJ-001"
REFERRAL_SOURCES = frozenset({MediationSource.COURT_REFERRAL, MediationSource.POLICE_REFERRAL,
                              MediationSource.OTHER_REFERRAL})
REMINDER_HOUR = 9  # reminders go out at 09:00 local time


def _lock(mediation: Mediation) -> Mediation:
    try:
        return Mediation.objects.select_for_update().select_related("case").get(pk=mediation.pk)
    except Mediation.DoesNotExist:
        raise NotFoundOrForbidden() from None


def _target(m: Mediation, action: str) -> str:
    target = rules.next_status(action, m.status)
    if target is None:
        raise DomainError(
            "invalid_transition",
            _("调解当前状态为“%(s)s”，不能执行此操作。") % {"s": MediationStatus(m.status).label},
            status=m.status, action=action,
        )
    return target


def _save(m: Mediation, **values: Any) -> None:
    for name, value in values.items():
        setattr(m, name, value)
    m.save(update_fields=[*values, "updated_at"])


def _refresh(m: Mediation) -> Mediation:
    m.refresh_from_db()
    m.case.refresh_from_db()
    return m


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{field}_required", message, field=field)
    return value


def _item() -> ServiceItem:
    item = ServiceItem.objects.filter(code=ITEM_CODE, is_active=True).first() or ServiceItem.objects.filter(
        service_type=ServiceType.MEDIATION, is_active=True).order_by("code").first()
    if item is None:
        raise DomainError("item_missing", _("服务事项目录中没有启用的人民调解事项，请先维护事项目录。"))
    return item


def time_limit_days_for(region_code: str) -> int:
    """The region's mediation time limit (most specific setting), else the 30-day default."""
    limits = dict(MediationTimeLimit.objects.values_list("region_code", "days"))
    code = most_specific(region_code, limits)
    return limits[code] if code is not None else rules.DEFAULT_MEDIATION_DAYS


def mediation_time_limit(case: Any, limit: Any) -> Any:
    """The catalogue's "mediate" clock with this case's days: the mediation's own agreed limit
    when it exists already, else the region's configured one (registered as the cases hook)."""
    if limit.step != "mediate":
        return None
    mediation = Mediation.objects.filter(case=case).only("time_limit_days").first()
    days = mediation.time_limit_days if mediation is not None else time_limit_days_for(case.region_code)
    return dataclasses.replace(limit, days=days)


# --------------------------------------------------------------------------- intake


def mediation_apply(
    *,
    actor: Any,
    parties: Sequence[tuple[Party, str]],
    summary: str,
    channel: str,
    dispute_type: str = DisputeType.OTHER,
    source: str = MediationSource.APPLICATION,
    referral_body: str = "",
    referral_number: str = "",
    committee: Any = None,
    service_point: Any = None,
    region_code: str = "",
    citizen_user: Any = None,
    idempotency_key: str | None = None,
    is_public: bool = False,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> Mediation:
    """A dispute comes to the committee: a party's application or the committee's own
    initiative (第十七条), or a referral from a court or the police (第十八条)."""
    summary = _text(summary, "summary", _("请填写纠纷简要情况。"))
    if source not in MediationSource.values:
        raise DomainError("source_invalid", _("调解来源无效。"), field="source")
    if dispute_type not in DisputeType.values:
        raise DomainError("dispute_type_invalid", _("纠纷类型无效。"), field="dispute_type")
    if len(parties) < 2:
        raise DomainError("parties_required", _("民间纠纷至少应有两方当事人。"), field="parties")
    if any(role not in PartyRole.values for _party, role in parties):
        raise DomainError("party_role_invalid", _("当事人身份无效。"), field="parties")
    if len({p.pk for p, _role in parties}) != len(parties):
        raise DomainError("party_duplicate", _("同一当事人不能重复登记。"), field="parties")
    if source in REFERRAL_SOURCES:
        referral_body = _text(referral_body, "referral_body", _("请填写告知或移交调解的机关。"))
    if committee is not None and committee.kind != "mediation_committee":
        raise DomainError("committee_invalid", _("请选择人民调解委员会。"), field="committee")
    applicant = next((p for p, role in parties if role == PartyRole.APPLICANT), parties[0][0])
    at = at or timezone.now()
    with transaction.atomic():
        case, created = cs.case_create_or_get(
            item=_item(), channel=channel, applicant=applicant,
            region_code=service_point.region_code if service_point is not None else region_code,
            service_point=service_point, actor=actor, action=MEDIATE if _is_mediator(actor) else "case.intake",
            idempotency_key=idempotency_key, subject=str(DisputeType(dispute_type).label),
            form_data={"summary": summary[:2000], "source": source}, citizen_user=citizen_user, at=at,
            is_demo=is_demo,
        )
        if not created:
            existing = Mediation.objects.filter(case=case).first()
            if existing is None:
                raise DomainError("idempotency_conflict", _("该幂等键已用于其他事项。"))
            return existing
        m = Mediation.objects.create(
            case=case, source=source, referral_body=referral_body, referral_number=referral_number,
            dispute_type=dispute_type, summary=summary, region_code=case.region_code, committee=committee,
            committee_name=committee.name if committee is not None else "", is_public=is_public,
            time_limit_days=time_limit_days_for(case.region_code), is_demo=is_demo,
        )
        MediationParty.objects.bulk_create(
            [MediationParty(mediation=m, party=p, role=role, consented=(role == PartyRole.APPLICANT
                                                                         and source == MediationSource.APPLICATION))
             for p, role in parties]
        )
        if source in REFERRAL_SOURCES:
            from fawang.cases.models import Case

            locked = Case.objects.select_for_update().get(pk=case.pk)
            cs.case_event_append(case=locked, event_type=mev.REFERRED, actor=actor, at=at,
                                 from_status=locked.status, to_status=locked.status,
                                 payload={"body": referral_body, "number": referral_number})
    return m


def _is_mediator(actor: Any) -> bool:
    return actor is not None and getattr(actor, "role", "") == "mediator"


def mediation_record_consent(*, mediation: Mediation, actor: Any, party: Party, consents: bool) -> Mediation:
    """第十七条/第二十三条: record whether a party accepts mediation. A clear refusal ends it."""
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        row = m.parties.select_for_update().filter(party=party).first()
        if row is None:
            raise DomainError("party_unknown", _("该当事人不是本纠纷的当事人。"), field="party")
        if consents:
            row.consented, row.refused = True, False
            row.save(update_fields=["consented", "refused"])
            return _refresh(mediation)
    return mediation_refuse(mediation=mediation, actor=actor, party=party)


def mediation_refuse(*, mediation: Mediation, actor: Any, party: Party, note: str = "") -> Mediation:
    """第十七条: 当事人一方明确拒绝调解的，不得调解 — the mediation ends here."""
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        target = _target(m, "refuse")
        row = m.parties.select_for_update().filter(party=party).first()
        if row is None:
            raise DomainError("party_unknown", _("该当事人不是本纠纷的当事人。"), field="party")
        row.refused, row.consented = True, False
        row.save(update_fields=["refused", "consented"])
        reason = _("当事人%(name)s明确拒绝调解（人民调解法第十七条）。") % {"name": party.masked_name}
        if note:
            reason += note
        spine_target = CaseStatus.REJECTED if m.case.status == CaseStatus.RECEIVED else CaseStatus.COMPLETED
        now = timezone.now()
        cs.case_transition(case=m.case, to_status=spine_target, actor=actor, event_type=mev.REFUSED, action=MEDIATE,
                           changes={"result": reason, "completed_at": now}, payload={"reason": reason})
        _save(m, status=target, refusal_note=reason, concluded_at=now)
    return _refresh(mediation)


def mediation_accept(*, mediation: Mediation, actor: Any, time_limit_days: int | None = None) -> Mediation:
    """The committee accepts the dispute; the time limit (default 30 days, per region) starts."""
    days = time_limit_days or mediation.time_limit_days or rules.DEFAULT_MEDIATION_DAYS
    if days < 1 or days > 365:
        raise DomainError("time_limit_invalid", _("调解期限应在1至365日之间。"), field="time_limit_days")
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        target = _target(m, "accept")
        if m.parties.filter(refused=True).exists():
            raise DomainError("refused", _("当事人一方明确拒绝调解的，不得调解（人民调解法第十七条）。"))
        now = timezone.now()
        cs.case_accept(case=m.case, actor=actor, action=MEDIATE, at=now)
        _save(m, status=target, accepted_at=now, time_limit_days=days,
              due_on=rules.mediation_due(timezone.localtime(now).date(), days))
    return _refresh(mediation)


def mediation_assign_mediators(
    *,
    mediation: Mediation,
    actor: Any,
    mediators: Sequence[Any],
    selection: str = MediatorSelection.DESIGNATED,
    lead_user: Any = None,
) -> list[MediatorAssignment]:
    """第十九条: one or more mediators, designated by the committee or chosen by the parties."""
    if selection not in MediatorSelection.values:
        raise DomainError("selection_invalid", _("调解员产生方式无效。"), field="selection")
    if not mediators:
        raise DomainError("mediators_required", _("请指定至少一名人民调解员。"), field="mediators")
    if any(p.kind != "mediator" for p in mediators):
        raise DomainError("not_mediator", _("所选人员不是人民调解员。"), field="mediators")
    if len({p.pk for p in mediators}) != len(mediators):
        raise DomainError("mediator_duplicate", _("同一调解员不能重复指定。"), field="mediators")
    if lead_user is not None and getattr(lead_user, "role", "") != "mediator":
        raise DomainError("lead_user_invalid", _("主持调解员账号必须是人民调解员角色。"), field="lead_user")
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        target = _target(m, "assign_mediator")
        rows = MediatorAssignment.objects.bulk_create(
            [MediatorAssignment(mediation=m, mediator=p, mediator_name=p.name, selection=selection, is_lead=(i == 0),
                                user=lead_user if i == 0 else None)
             for i, p in enumerate(mediators)]
        )
        cs.case_transition(case=m.case, to_status=CaseStatus.IN_PROGRESS, actor=actor,
                           event_type=mev.MEDIATOR_ASSIGNED, action=MEDIATE,
                           changes={"handler": lead_user} if lead_user is not None else None,
                           payload={"mediators": [p.name for p in mediators], "selection": selection})
        _save(m, status=target)
    _refresh(mediation)
    return rows


def mediation_invite(
    *, mediation: Mediation, actor: Any, name: str, relation: str, parties_consented: bool
) -> Participant:
    """第二十条: relatives, neighbours, experts … may be invited with the parties' consent."""
    name = _text(name, "name", _("请填写受邀人员姓名或名称。"))
    relation = _text(relation, "relation", _("请填写受邀人员身份或与当事人的关系。"))
    if not parties_consented:
        raise DomainError("consent_required", _("邀请他人参与调解须征得当事人同意（人民调解法第二十条）。"),
                          field="parties_consented")
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        _target(m, "invite")
        row = Participant.objects.create(mediation=m, name=name, relation=relation, parties_consented=True)
        cs.case_record(case=m.case, actor=actor, event_type=mev.PARTICIPANT_INVITED, action=MEDIATE,
                       payload={"name": name, "relation": relation})
    return row


def mediation_record_session(
    *, mediation: Mediation, actor: Any, content: str, place: str = "", attendees: str = "",
    held_at: dt.datetime | None = None,
) -> MediationRecord:
    """第二十七条: the mediator records each session; the committee keeps the file."""
    content = _text(content, "content", _("请填写调解情况。"))
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        _target(m, "record_session")
        row = MediationRecord.objects.create(mediation=m, content=content, place=place, attendees=attendees,
                                             held_at=held_at or timezone.now(), recorded_by=actor)
        cs.case_record(case=m.case, actor=actor, event_type=mev.SESSION_RECORDED, action=MEDIATE,
                       payload={"place": place})
    return row


def mediation_report_risk(
    *, mediation: Mediation, actor: Any, level: str, description: str, measures: str = "", reported_to: str = ""
) -> RiskReport:
    """第二十五条: take preventive measures; a dispute that may lead to a public-order or
    criminal case must be reported to the police or another authority in time."""
    if level not in RiskLevel.values:
        raise DomainError("level_invalid", _("风险等级无效。"), field="level")
    description = _text(description, "description", _("请填写风险情况。"))
    if level != RiskLevel.LOW and not (measures or "").strip():
        raise DomainError("measures_required", _("纠纷可能激化的，应当采取有针对性的预防措施（第二十五条）。"),
                          field="measures")
    if level == RiskLevel.CRIMINAL and not (reported_to or "").strip():
        raise DomainError("report_required", _("可能引起治安案件、刑事案件的纠纷，应当及时向当地公安机关或者"
                                               "其他有关部门报告（第二十五条）。"), field="reported_to")
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        _target(m, "report_risk")
        row = RiskReport.objects.create(mediation=m, level=level, description=description, measures=measures,
                                        reported_to=reported_to, reported_by=actor)
        cs.case_record(case=m.case, actor=actor, event_type=mev.RISK_REPORTED, action=MEDIATE,
                       payload={"level": level, "reported_to": reported_to})
        _save(m, risk_level=level)
    return row


def mediation_fail(*, mediation: Mediation, actor: Any, reason: str = FailureReason.NO_AGREEMENT,
                   note: str = "") -> Mediation:
    """第二十六条: mediation that fails is ended and the parties are told the other remedies."""
    if reason not in FailureReason.values:
        raise DomainError("reason_invalid", _("终止原因无效。"), field="reason")
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        target = _target(m, "fail")
        notice = rules.OTHER_REMEDIES_NOTICE
        result = f"{FailureReason(reason).label}。{(note or '').strip()}{notice}"
        now = timezone.now()
        cs.case_transition(case=m.case, to_status=CaseStatus.COMPLETED, actor=actor, event_type=mev.FAILED,
                           action=MEDIATE, changes={"result": result, "completed_at": now},
                           payload={"reason": notice, "failure": reason})
        _save(m, status=target, failure_reason=reason, remedies_notice=notice, concluded_at=now)
    return _refresh(mediation)


def _agreement_number(m: Mediation, day: dt.date) -> str:
    return f"TJXY{m.case.number}"


def mediation_agree(
    *,
    mediation: Mediation,
    actor: Any,
    facts: str,
    issues: str,
    terms: str,
    performance_manner: str,
    performance_deadline: dt.date | None,
    responsibilities: str = "",
    form: str = AgreementForm.WRITTEN,
    reached_on: dt.date | None = None,
) -> Agreement:
    """第二十八条/第二十九条: record the agreement. A written one takes effect when signed and
    sealed (``mediation_sign_agreement``); an oral one on the day it is reached (第三十条)."""
    if form not in AgreementForm.values:
        raise DomainError("form_invalid", _("协议形式无效。"), field="form")
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        target = _target(m, "agree")
        party_rows = list(m.parties.select_related("party"))
        draft = rules.AgreementDraft(
            parties=tuple(rules.AgreementParty(r.party.name, r.role) for r in party_rows),
            facts=facts or "", issues=issues or "", responsibilities=responsibilities or "", terms=terms or "",
            performance_manner=performance_manner or "", performance_deadline=performance_deadline,
        )
        problems = rules.agreement_problems(draft)
        if form == AgreementForm.ORAL:
            # 第二十八条: an oral agreement still has its content recorded by the mediator.
            problems = {k: v for k, v in problems.items() if k in ("parties", "terms")}
        if problems:
            field, message = next(iter(problems.items()))
            raise DomainError("agreement_incomplete", message, field=field, problems=problems)
        reached_on = reached_on or timezone.localdate()
        agreement = Agreement.objects.create(
            mediation=m, number=_agreement_number(m, reached_on), form=form,
            parties_snapshot=[{"party_id": r.party_id, "name": r.party.name, "role": r.role} for r in party_rows],
            facts=facts.strip(), issues=(issues or "").strip(), responsibilities=(responsibilities or "").strip(),
            terms=terms.strip(), performance_manner=(performance_manner or "").strip(),
            performance_deadline=performance_deadline, reached_on=reached_on,
            mediator_names="、".join(m.mediators.values_list("mediator_name", flat=True)),
        )
        now = timezone.now()
        cs.case_transition(case=m.case, to_status=CaseStatus.COMPLETED, actor=actor, event_type=mev.AGREED,
                           action=MEDIATE, changes={"result": _("达成调解协议：%(t)s") % {"t": terms.strip()[:500]},
                                                    "completed_at": now},
                           payload={"agreement": agreement.number, "form": form})
        _save(m, status=target, concluded_at=now)
        if form == AgreementForm.ORAL:
            _take_effect(m, agreement, actor=actor, on=reached_on)
    _refresh(mediation)
    return agreement


def _take_effect(m: Mediation, agreement: Agreement, *, actor: Any, on: dt.date) -> None:
    """Effective: set the 第三十三条 window and schedule the reminder in the outbox."""
    agreement.effective_on = on
    agreement.confirmation_due_on = rules.judicial_confirmation_due(on)
    agreement.confirmation_reminder_on = rules.confirmation_reminder_on(on)
    agreement.save(update_fields=["effective_on", "confirmation_due_on", "confirmation_reminder_on"])
    _schedule_confirmation_reminders(m, agreement)
    cs.case_record(case=m.case, actor=actor, event_type=mev.AGREEMENT_EFFECTIVE, action=MEDIATE,
                   payload={"effective_on": on.isoformat(),
                            "confirmation_due_on": agreement.confirmation_due_on.isoformat()})


def _schedule_confirmation_reminders(m: Mediation, agreement: Agreement) -> None:
    """第三十三条: remind every party with a phone, before the 30-day window closes, that they may
    jointly apply to the court for judicial confirmation. The outbox row is written now with its
    first attempt at the reminder date (09:00), so it survives restarts and is sent once."""
    from fawang.core.models import OutboxMessage
    from fawang.core.outbox import outbox_enqueue

    send_at = timezone.make_aware(
        dt.datetime.combine(agreement.confirmation_reminder_on, dt.time(REMINDER_HOUR)),
        timezone.get_default_timezone(),
    )
    body = _(
        "您于%(effective)s生效的人民调解协议（%(number)s），如双方认为有必要，可以在%(due)s前共同向人民法院"
        "申请司法确认（人民调解法第三十三条）。经确认有效后，一方拒绝履行的，对方可以申请强制执行。"
    ) % {"effective": agreement.effective_on.isoformat(), "number": agreement.number,
         "due": agreement.confirmation_due_on.isoformat()}
    for row in m.parties.select_related("party"):
        if not row.party.phone:
            continue
        message = outbox_enqueue(
            channel="sms", recipient=row.party.phone, subject=_("司法确认提醒"), body=body,
            idempotency_key=f"mediation-confirmation:{agreement.pk}:{row.party_id}", user=row.party.user,
            related=m.case, region_code=m.region_code,
        )
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(next_attempt_at=send_at)


def mediation_sign_agreement(
    *, mediation: Mediation, actor: Any, all_parties_signed: bool, mediator_signed: bool, committee_sealed: bool,
    on: dt.date | None = None,
) -> Agreement:
    """第二十九条第二款: the written agreement takes effect once every party has signed (sealed or
    fingerprinted), the mediator has signed and the committee's seal is affixed."""
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        agreement = Agreement.objects.select_for_update().filter(mediation=m).first()
        if agreement is None:
            raise DomainError("no_agreement", _("尚未达成调解协议。"))
        if agreement.effective_on is not None:
            raise DomainError("already_effective", _("调解协议已经生效。"))
        agreement.all_parties_signed = all_parties_signed
        agreement.mediator_signed = mediator_signed
        agreement.committee_sealed = committee_sealed
        agreement.save(update_fields=["all_parties_signed", "mediator_signed", "committee_sealed"])
        if rules.agreement_takes_effect(all_parties_signed=all_parties_signed, mediator_signed=mediator_signed,
                                        committee_sealed=committee_sealed):
            _take_effect(m, agreement, actor=actor, on=on or timezone.localdate())
    agreement.refresh_from_db()
    return agreement


def mediation_check_performance(
    *, mediation: Mediation, actor: Any, result: str, note: str = ""
) -> PerformanceCheck:
    """第三十一条: the committee supervises performance and urges the parties to perform."""
    if result not in PerformanceCheck.Result.values:
        raise DomainError("result_invalid", _("履行情况无效。"), field="result")
    action = {"performed": "performed", "not_performed": "defaulted", "partial": "follow_up"}[result]
    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        target = _target(m, action)
        row = PerformanceCheck.objects.create(mediation=m, result=result, note=(note or "").strip(),
                                              checked_by=actor)
        cs.case_record(case=m.case, actor=actor, event_type=mev.PERFORMANCE_CHECKED, action=MEDIATE,
                       payload={"result": result})
        _save(m, status=target)
    _refresh(mediation)
    return row


def mediation_record_confirmation(*, mediation: Mediation, actor: Any, confirmed_on: dt.date,
                                  valid: bool = True) -> Agreement:
    """第三十三条: the court's judicial confirmation (or finding of invalidity) is recorded. The
    pending reminders are withdrawn: once the parties have applied they are not needed (the
    outbox has no "cancelled" state, so unsent, never-tried reminder rows are deleted)."""
    from fawang.core.models import OutboxMessage, OutboxStatus

    with transaction.atomic():
        m = _lock(mediation)
        cs.authorize(actor, MEDIATE, m.region_code)
        agreement = Agreement.objects.select_for_update().filter(mediation=m).first()
        if agreement is None or agreement.effective_on is None:
            raise DomainError("not_effective", _("调解协议尚未生效，不能申请司法确认。"))
        if confirmed_on < agreement.effective_on:
            raise DomainError("date_invalid", _("确认日期不能早于协议生效日期。"), field="confirmed_on")
        if valid:
            agreement.judicially_confirmed_on = confirmed_on
            agreement.save(update_fields=["judicially_confirmed_on"])
        OutboxMessage.objects.filter(
            idempotency_key__startswith=f"mediation-confirmation:{agreement.pk}:", sent_at__isnull=True,
            status=OutboxStatus.PENDING, attempts=0,
        ).delete()
        cs.case_record(case=m.case, actor=actor, event_type=mev.JUDICIALLY_CONFIRMED, action=MEDIATE,
                       payload={"confirmed_on": confirmed_on.isoformat(), "valid": valid})
    agreement.refresh_from_db()
    return agreement
