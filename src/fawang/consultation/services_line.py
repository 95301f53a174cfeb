"""The consultation business line (咨询业务线): staff answer, escalate, convert, close.

Every consultation handled by a person is a ``cases.Case`` of the catalogue item 法律咨询
(``GGFL-ZX-001``) with a ``ConsultationRecord`` beside it. The spine does status, events, SLA
clocks, citizen notifications and ratings; this module only decides *which* spine step a
consultation act is and records the consultation's own content. Each act is one transaction:
the record row, the round rows and the case events commit together or not at all.

Flow::

    consultation_record ── answer given ──> completed + result delivered (one-shot)
            │  (no answer, or keep_open)
            v
    consultation_escalate ──> in progress, round 1 (lawyer or expert library)
    consultation_round_answer / consultation_round_ask … (rounds)
    consultation_close ──> completed + summary delivered to the citizen
    consultation_convert (any time) ──> a linked legal aid / mediation / notary case

Deadlines (our defaults, service commitments rather than statute):

* the whole consultation: the catalogue item's ``reply`` step, 7 working days from receipt,
  started and stopped by the spine;
* each round of a multi-round consultation: ``ROUND_REPLY_WORKING_DAYS`` = 2 working days
  from the question (``settings.FAWANG_CONSULT_ROUND_DAYS`` overrides), computed with
  ``fawang.core.sla`` (working days, statutory holidays excluded), stored on the round;
  ``selectors_line.rounds_overdue`` lists rounds past it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.cases import services as cs
from fawang.cases.choices import CaseStatus, Channel, PartyKind
from fawang.cases.models import Case, Party
from fawang.consultation import events
from fawang.consultation.choices import ConversionTarget, LineMode, LineStatus, QuestionCategory
from fawang.consultation.guidance import CONSULTATION_ITEM, NOTARY
from fawang.consultation.models import ConsultationRecord, ConsultationRound
from fawang.consultation.selectors import resolve_citations
from fawang.consultation.selectors_line import CONVERT_KEY_PREFIX
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.permissions import require_permission
from fawang.core.scoping import in_region

ANSWER = "consultation.answer"
INTAKE = "case.intake"
ROUND_REPLY_WORKING_DAYS = 2
MAX_TEXT = 5000


# --------------------------------------------------------------------------- helpers


def round_reply_days() -> int:
    return int(getattr(settings, "FAWANG_CONSULT_ROUND_DAYS", ROUND_REPLY_WORKING_DAYS))


def round_due(asked_at: Any) -> Any:
    """When a round asked at ``asked_at`` must be answered (working days, holidays excluded)."""
    from fawang.core.sla import DayUnit, SlaRule, compute_due

    return compute_due(asked_at, SlaRule(days=round_reply_days(), unit=DayUnit.WORKING))


def _is_staff(actor: Any) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and getattr(actor, "role", "citizen") != "citizen"


def _text(value: str, field: str, message: str, *, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{field}_required", message, field=field)
    if len(value) > limit:
        raise DomainError(f"{field}_too_long", _("内容过长，请精简到%(n)d字以内。") % {"n": limit}, field=field)
    return value


def clean_citations(citations: Sequence[Any]) -> list[dict[str, Any]]:
    """``[{"law", "article"}]`` (or ``"《劳动合同法》第三十条"`` strings) → resolved snapshots.

    Resolved to ``knowledge.Article`` when the statute is imported (id and text kept, so the
    answer reads the same after a re-import); unresolved citations are kept as written.
    """
    import re

    pattern = re.compile(r"^《(?P<law>[^》]+)》\s*(?P<article>第.+条(之[一二三四五六七八九十]+)?)$")
    pairs: list[dict[str, str]] = []
    for cite in citations or ():
        if isinstance(cite, str):
            match = pattern.match(cite.strip())
            if not match:
                raise DomainError("citation_invalid", _("引用法条格式应为“《法律名称》第X条”：%(c)s") % {"c": cite},
                                  field="citations")
            law, article = match["law"], match["article"]
        elif isinstance(cite, dict):
            law, article = str(cite.get("law") or "").strip(), str(cite.get("article") or "").strip()
        else:
            raise DomainError("citation_invalid", _("引用法条格式无效。"), field="citations")
        if not law or not article.startswith("第"):
            raise DomainError("citation_invalid", _("引用法条需写明法律名称和条文序号。"), field="citations")
        pairs.append({"law": law.strip("《》"), "article": article})
    return resolve_citations(pairs) if pairs else []


def _lock(record: ConsultationRecord) -> ConsultationRecord:
    try:
        return ConsultationRecord.objects.select_for_update().select_related("case").get(pk=record.pk)
    except ConsultationRecord.DoesNotExist:
        raise NotFoundOrForbidden() from None


def _refresh(record: ConsultationRecord) -> ConsultationRecord:
    record.refresh_from_db()
    record.case.refresh_from_db()
    return record


def _save(record: ConsultationRecord, **values: Any) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=list(values))


def _valid_category(category: str) -> str:
    category = (category or "").strip()
    if category not in QuestionCategory.values:
        raise DomainError("category_invalid", _("问题分类无效。"), field="category")
    return category


def _consultation_item() -> Any:
    from fawang.catalog.models import ServiceItem

    item = ServiceItem.objects.filter(code=CONSULTATION_ITEM, is_active=True).first()
    if item is None:
        raise DomainError("item_missing", _("服务事项目录中没有启用的“法律咨询”事项，请先维护事项目录。"))
    return item


def _may_answer(locked: ConsultationRecord, actor: Any) -> None:
    """The assigned lawyer, or front-desk staff of the region entering an answer given by phone
    or by an expert of the library (who has no account)."""
    if actor is None:
        return
    if locked.assignee_id is not None and actor.pk == locked.assignee_id:
        return
    cs.authorize(actor, ANSWER, locked.region_code)
    if getattr(actor, "role", "") == "lawyer" and locked.assignee_id not in (None, actor.pk):
        raise DomainError("not_assignee", _("该咨询已指定其他律师解答。"))


# --------------------------------------------------------------------------- one-shot


def consultation_record(
    *,
    actor: Any,
    question: str,
    channel: str,
    answer: str = "",
    category: str = "",
    citations: Sequence[Any] = (),
    applicant: Party | None = None,
    service_point: Any = None,
    region_code: str = "",
    citizen_user: Any = None,
    keep_open: bool = False,
    idempotency_key: str | None = None,
    is_demo: bool = False,
) -> ConsultationRecord:
    """A window clerk or hotline agent records a consultation in full (全程留痕).

    With an answer and not ``keep_open`` it is a one-shot consultation: accepted, answered,
    completed and the result delivered to the citizen's channel in one go. Without an answer
    (or ``keep_open``) it stays accepted, ready for escalation (``consultation_escalate``).
    """
    if not _is_staff(actor):
        raise NotFoundOrForbidden()
    require_permission(actor, ANSWER)
    question = _text(question, "question", _("请填写咨询问题。"))
    answer = (answer or "").strip()
    if len(answer) > MAX_TEXT:
        raise DomainError("answer_too_long", _("内容过长，请精简到%(n)d字以内。") % {"n": MAX_TEXT}, field="answer")
    if channel not in Channel.values:
        raise DomainError("channel_invalid", _("来源渠道无效。"), field="channel")
    category = _valid_category(category) if (category or "").strip() else ""
    category_by_staff = bool(category)
    if not category:
        from fawang.knowledge.classify import classify_question

        category = classify_question(question)[0]
    cited = clean_citations(citations)
    if service_point is None and not region_code:
        service_point = getattr(actor, "service_point", None)
    if service_point is None and not region_code:
        region_code = getattr(actor, "scope_code", None) or ""
    item = _consultation_item()
    with transaction.atomic():
        case, created = cs.case_create_or_get(
            item=item, channel=channel, applicant=applicant, region_code=region_code,
            service_point=service_point, actor=actor, idempotency_key=idempotency_key,
            subject=question[:200], citizen_user=citizen_user, is_demo=is_demo,
            form_data={"question": question, "category": category},
        )
        if not created:
            existing = ConsultationRecord.objects.filter(case=case).first()
            if existing is None:
                raise DomainError("idempotency_conflict", _("该幂等键已用于其他事项。"))
            return existing
        record = ConsultationRecord.objects.create(
            case=case, channel=channel, question=question, category=category, category_by_staff=category_by_staff,
            answer=answer, citations=cited, handler=actor, region_code=case.region_code, status=LineStatus.OPEN,
            is_demo=is_demo,
        )
        cs.case_accept(case=case, actor=actor, action=ANSWER)
        if answer:
            cs.case_record(case=case, actor=actor, event_type=events.STAFF_ANSWERED, action=ANSWER, payload={
                "question": question, "answer": answer, "category": category,
                "citations": [{"law": c["law"], "article": c["article"], "article_id": c["article_id"]}
                              for c in cited],
            })
            _save(record, status=LineStatus.ANSWERED)
            if not keep_open:
                _finish(record, actor=actor, summary=answer)
    return record


def consultation_set_category(*, record: ConsultationRecord, actor: Any, category: str) -> ConsultationRecord:
    """Staff choose or correct the question's category, at any stage, closed consultations included.

    Why it matters beyond the record: routing statistics count categories, and a category a
    person confirmed is a labelled question for the classifier (``export-category-labels``), the
    one thing its accuracy is short of (docs/benchmarks.md, learning curve). Repeating the same
    choice changes nothing and appends no event.
    """
    category = _valid_category(category)
    with transaction.atomic():
        locked = _lock(record)
        if not _is_staff(actor):
            raise NotFoundOrForbidden()
        cs.authorize(actor, ANSWER, locked.region_code)
        if locked.category == category and locked.category_by_staff:
            return _refresh(record)
        previous = locked.category
        _save(locked, category=category, category_by_staff=True)
        cs.case_record(case=locked.case, actor=actor, event_type=events.CATEGORY_SET, action=ANSWER,
                       payload={"from": previous, "to": category},
                       changes={"form_data": {**(locked.case.form_data or {}), "category": category}})
    return _refresh(record)


def _finish(record: ConsultationRecord, *, actor: Any, summary: str) -> None:
    """Complete the case and push the result to the citizen (O1, O4). Caller holds the lock."""
    cs.case_complete(case=record.case, actor=actor, result=summary, action=ANSWER)
    cs.case_deliver_result(case=record.case, actor=actor, action=ANSWER)
    _save(record, status=LineStatus.CLOSED, summary=summary, closed_at=timezone.now())


def consultation_record_from_smart(*, smart: Any, actor: Any) -> ConsultationRecord:
    """Bring a smart consultation (web, WeChat …: ``SmartConsultation``, already filed and answered
    as a completed consultation Case) onto the line, so that staff can convert it into another
    service like any other consultation. Nothing is re-entered: question, category, answer and
    the cited articles are copied from the record. Idempotent (one record per case)."""
    if not smart.case_number:
        raise DomainError("no_case", _("该咨询没有所属地区，未登记为案件，请先登记咨询。"))
    case = Case.objects.filter(number=smart.case_number).first()
    if case is None:
        raise NotFoundOrForbidden()
    cs.authorize(actor, ANSWER, case.region_code)
    with transaction.atomic():
        record, _created = ConsultationRecord.objects.get_or_create(case=case, defaults={
            "channel": smart.channel, "question": smart.question, "category": smart.category,
            "answer": smart.answer_text, "citations": [
                {"law": c.get("law", ""), "article": c.get("article", ""), "article_id": c.get("article_id"),
                 "text": c.get("text", "")} for c in smart.citations or []],
            "status": LineStatus.CLOSED if not case.is_open else LineStatus.ANSWERED,
            "summary": case.result, "region_code": case.region_code, "created_at": smart.created_at,
            "closed_at": case.completed_at, "is_demo": smart.is_demo,
        })
    return record


# --------------------------------------------------------------------------- multi-round


def consultation_escalate(
    *,
    record: ConsultationRecord,
    actor: Any,
    reason: str,
    lawyer: Any = None,
    practitioner: Any = None,
    question: str = "",
) -> ConsultationRecord:
    """Hand a major or complex question to a lawyer (an account with the lawyer role) or to the
    法律专家库 (a ``directory.Practitioner`` of kind expert or lawyer) for multi-round handling.

    Round 1 opens at once with the original question (or ``question``), due in
    ``round_reply_days()`` working days.
    """
    from fawang.accounts.models import Role
    from fawang.directory.choices import PractitionerKind

    reason = _text(reason, "reason", _("请说明转律师或专家解答的理由。"), limit=500)
    if (lawyer is None) == (practitioner is None):
        raise DomainError("assignee_required", _("请选择一名律师或一位法律专家库专家。"), field="lawyer")
    with transaction.atomic():
        locked = _lock(record)
        cs.authorize(actor, ANSWER, locked.region_code)
        if locked.status not in (LineStatus.OPEN, LineStatus.ANSWERED) or locked.case.status != CaseStatus.ACCEPTED:
            raise DomainError("not_escalatable", _("只有尚未办结、未转办的咨询可以转律师或专家解答。"))
        if lawyer is not None:
            if (getattr(lawyer, "role", "") != Role.LAWYER or not lawyer.is_active
                    or lawyer.scope_code is None or not in_region(lawyer.scope_code, locked.region_code)):
                raise DomainError("lawyer_invalid", _("请选择本区域内在岗的律师。"), field="lawyer")
            mode, author, handler = LineMode.LAWYER, cs._actor_fields(lawyer)["actor_name"], lawyer
        else:
            if practitioner.kind not in (PractitionerKind.EXPERT, PractitionerKind.LAWYER) or \
                    practitioner.status != "active":
                raise DomainError("practitioner_invalid", _("请选择在册的律师或法律专家库专家。"), field="practitioner")
            mode = LineMode.EXPERT if practitioner.kind == PractitionerKind.EXPERT else LineMode.LAWYER
            author, handler = practitioner.name, actor
        now = timezone.now()
        due = round_due(now)
        first = (question or "").strip() or locked.question
        cs.case_transition(
            case=locked.case, to_status=CaseStatus.IN_PROGRESS, actor=actor, event_type=events.LINE_ESCALATED,
            action=ANSWER, changes={"handler": handler}, at=now,
            payload={"mode": mode, "assignee": author, "practitioner": practitioner.pk if practitioner else None,
                     "reason": reason, "round": 1, "due_at": due.isoformat()},
        )
        ConsultationRound.objects.create(record=locked, number=1, question=first[:MAX_TEXT], asked_by=actor,
                                         asked_at=now, due_at=due, region_code=locked.region_code)
        _save(locked, status=LineStatus.ESCALATED, mode=mode, assignee=lawyer, practitioner=practitioner,
              escalation_reason=reason)
    return _refresh(record)


def _open_round(locked: ConsultationRecord) -> ConsultationRound | None:
    return locked.rounds.filter(answered_at__isnull=True).order_by("-number").first()


def consultation_round_answer(
    *, record: ConsultationRecord, actor: Any, answer: str, citations: Sequence[Any] = (),
) -> ConsultationRound:
    """The lawyer (or staff entering the expert's reply) answers the open round; the reply is
    pushed to the citizen on their channel."""
    answer = _text(answer, "answer", _("请填写答复内容。"))
    cited = clean_citations(citations)
    with transaction.atomic():
        locked = _lock(record)
        _may_answer(locked, actor)
        if locked.status != LineStatus.ESCALATED:
            raise DomainError("not_escalated", _("该咨询不在多轮解答中。"))
        current = _open_round(locked)
        if current is None:
            raise DomainError("no_open_round", _("没有待答复的问题。"))
        now = timezone.now()
        if locked.practitioner_id is not None and locked.assignee_id is None:
            author = locked.practitioner.name
        else:
            author = cs._actor_fields(actor)["actor_name"]
        current.answer, current.answered_by, current.answered_at, current.author_name = answer, actor, now, author
        current.save(update_fields=["answer", "answered_by", "answered_at", "author_name"])
        _record_as(locked, actor, events.ROUND_ANSWERED, now, {
            "round": current.number, "result": answer, "author": author, "on_time": now <= current.due_at,
            "citations": [{"law": c["law"], "article": c["article"], "article_id": c["article_id"]} for c in cited],
        })
        if cited:
            known = {(c["law"], c["article"]) for c in locked.citations}
            _save(locked, citations=[*locked.citations, *(c for c in cited if (c["law"], c["article"]) not in known)])
    return current


def _record_as(locked: ConsultationRecord, actor: Any, event_type: str, at: Any, payload: dict[str, Any]) -> None:
    """A consultation event by staff (region-checked by the spine), the assigned lawyer (checked
    by ``_may_answer``: he may sit in a parent region's directory) or the citizen who owns the case.

    Lawyers and citizens are checked here and appended through the spine's low-level
    ``case_event_append`` under the case lock, like ``legalaid.services._case_event_as``.
    """
    case = locked.case
    if _is_staff(actor) and actor.pk != locked.assignee_id:
        cs.case_record(case=case, actor=actor, event_type=event_type, action=ANSWER, payload=payload, at=at)
        return
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if actor is not None and not _is_staff(actor) and fresh.citizen_user_id != actor.pk:
        raise NotFoundOrForbidden()
    cs.case_event_append(case=fresh, event_type=event_type, actor=actor, payload=payload, at=at,
                         from_status=fresh.status, to_status=fresh.status)


def consultation_round_ask(*, record: ConsultationRecord, actor: Any, question: str) -> ConsultationRound:
    """A follow-up question (追问): from the citizen who owns the case, or entered by staff."""
    question = _text(question, "question", _("请填写追问的问题。"))
    with transaction.atomic():
        locked = _lock(record)
        if _is_staff(actor):
            _may_answer(locked, actor)
        elif actor is None or locked.case.citizen_user_id != actor.pk:
            raise NotFoundOrForbidden()
        if locked.status != LineStatus.ESCALATED:
            raise DomainError("not_escalated", _("该咨询不在多轮解答中，不能追问。"))
        if _open_round(locked) is not None:
            raise DomainError("round_open", _("上一轮问题尚未答复，请等待答复后再追问。"))
        now = timezone.now()
        number = (locked.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        due = round_due(now)
        new = ConsultationRound.objects.create(record=locked, number=number, question=question, asked_by=actor,
                                               asked_at=now, due_at=due, region_code=locked.region_code)
        _record_as(locked, actor, events.ROUND_ASKED, now,
                   {"round": number, "question": question, "due_at": due.isoformat()})
    return new


def consultation_close(*, record: ConsultationRecord, actor: Any, summary: str) -> ConsultationRecord:
    """Close a consultation with a summary (办结意见); the summary goes to the citizen."""
    summary = _text(summary, "summary", _("请填写办结意见。"))
    with transaction.atomic():
        locked = _lock(record)
        _may_answer(locked, actor)
        if locked.status == LineStatus.CLOSED or not locked.case.is_open:
            raise DomainError("already_closed", _("该咨询已办结。"))
        if locked.status == LineStatus.ESCALATED and _open_round(locked) is not None:
            raise DomainError("round_open", _("还有未答复的问题，请先答复再办结。"))
        if locked.status == LineStatus.OPEN and not locked.answer:
            _save(locked, answer=summary)
        _finish(locked, actor=actor, summary=summary)
    return _refresh(record)


# --------------------------------------------------------------------------- conversion


def consultation_convert(
    *,
    record: ConsultationRecord,
    actor: Any,
    target: str,
    matter: str = "",
    respondent_name: str = "",
    respondent_phone: str = "",
    dispute_type: str = "",
    notary_matter: str = "",
    facts: str = "",
    applicant: Party | None = None,
) -> Case:
    """Turn the consultation into another service as a LINKED case, without re-entering data.

    Carried over: the applicant party, region, service point, channel, citizen account, and
    the question, category, answer so far and facts (into the new case's ``form_data``, and the
    summary of a legal aid or mediation application). The link is ``Case.linked_cases``
    (symmetrical, so visible from both cases) and an event on each case. Converting twice to
    the same service returns the case made the first time. ``applicant`` is needed only when
    the consultation was anonymous (a web question): it is then also recorded on the
    consultation's case, so it is never asked for twice.
    """
    if target not in ConversionTarget.values:
        raise DomainError("target_invalid", _("请选择要转办的服务。"), field="target")
    with transaction.atomic():
        locked = _lock(record)
        case = Case.objects.select_related("applicant", "service_point").get(pk=locked.case_id)
        cs.authorize(actor, INTAKE, case.region_code)
        key = f"{CONVERT_KEY_PREFIX}{case.number}:{target}"
        existing = Case.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        if case.applicant is None and applicant is not None:
            cs.case_record(case=case, actor=actor, event_type=events.APPLICANT_ADDED, action=INTAKE,
                           changes={"applicant": applicant}, payload={"applicant": applicant.masked_name})
            case.refresh_from_db()
        if target in (ConversionTarget.LEGAL_AID, ConversionTarget.MEDIATION) and case.applicant is None:
            raise DomainError("applicant_required", _("转为申请事项前，请先登记咨询人的身份信息。"), field="applicant")
        answers = [r.answer for r in locked.rounds.order_by("number") if r.answer]
        answer_so_far = locked.summary or "\n".join(answers) or locked.answer
        summary = "\n".join(p for p in [(facts or "").strip(), locked.question] if p)[:2000]
        carried = {"from_consultation": case.number, "question": locked.question, "category": locked.category,
                   "consultation_answer": answer_so_far[:2000], "facts": (facts or "").strip()[:2000]}
        common = {"actor": actor, "channel": case.channel, "service_point": case.service_point,
                  "region_code": case.region_code, "citizen_user": case.citizen_user, "idempotency_key": key,
                  "is_demo": case.is_demo}
        if target == ConversionTarget.LEGAL_AID:
            from fawang.legalaid.services import legalaid_apply

            if not matter:
                raise DomainError("matter_required", _("请选择法律援助申请事项。"), field="matter")
            new_case = legalaid_apply(applicant=case.applicant, matter=matter, summary=summary, **common).case
        elif target == ConversionTarget.MEDIATION:
            from fawang.mediation.choices import DisputeType, PartyRole
            from fawang.mediation.services import mediation_apply

            name = _text(respondent_name, "respondent_name", _("请填写对方当事人。"), limit=100)
            respondent = cs.party_create(name=name, kind=PartyKind.NATURAL, id_type="none", phone=respondent_phone,
                                         region_code=case.region_code, is_demo=case.is_demo)
            new_case = mediation_apply(
                parties=[(case.applicant, PartyRole.APPLICANT), (respondent, PartyRole.RESPONDENT)],
                summary=summary, dispute_type=dispute_type or DisputeType.OTHER, **common,
            ).case
        else:
            from fawang.catalog.models import ServiceItem

            item = ServiceItem.objects.filter(code=NOTARY, is_active=True).first()
            if item is None:
                raise DomainError("item_missing", _("服务事项目录中没有启用的公证预约事项。"))
            notary_matter = _text(notary_matter, "notary_matter", _("请填写公证事项。"), limit=200)
            new_case, _created = cs.case_create_or_get(
                item=item, applicant=case.applicant, subject=notary_matter, form_data={"notary_matter": notary_matter},
                **{k: v for k, v in common.items() if k != "service_point" or v is not None},
            )
        label = str(ConversionTarget(target).label)
        cs.case_record(case=new_case, actor=actor, event_type=events.CONVERTED_FROM, action=INTAKE,
                       changes={"form_data": {**new_case.form_data, **carried}},
                       payload={"consultation": case.number, "target": target})
        new_case.linked_cases.add(case)
        cs.case_record(case=case, actor=actor, event_type=events.CONVERTED, action=INTAKE,
                       payload={"target": target, "case_number": new_case.number,
                                "result": _("%(label)s，编号 %(number)s") % {"label": label, "number": new_case.number}})
    return new_case



# --------------------------------------------------------------------------- deadlines


def rounds_scan_overdue(*, now: Any = None) -> int:
    """Log each unanswered round past its deadline once, as a (non-public) case event.

    Run periodically (``consultation.tasks``); idempotent: a logged round is marked and never
    logged again. Returns how many rounds were logged.
    """
    now = now or timezone.now()
    logged = 0
    candidates = list(ConsultationRound.objects.filter(
        answered_at__isnull=True, overdue_logged_at__isnull=True, due_at__lte=now).values_list("pk", flat=True)[:1000])
    for pk in candidates:
        with transaction.atomic():
            rnd = (ConsultationRound.objects.select_for_update().select_related("record__case")
                   .filter(pk=pk, answered_at__isnull=True, overdue_logged_at__isnull=True).first())
            if rnd is None:
                continue
            rnd.overdue_logged_at = now
            rnd.save(update_fields=["overdue_logged_at"])
            cs.case_record(case=rnd.record.case, actor=None, event_type=events.ROUND_OVERDUE, at=now,
                           payload={"round": rnd.number, "due_at": rnd.due_at.isoformat(),
                                    "assignee": rnd.record.practitioner.name if rnd.record.practitioner_id else
                                    cs._actor_fields(rnd.record.assignee)["actor_name"]})
            logged += 1
    return logged
