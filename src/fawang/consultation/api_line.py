"""API of the consultation line, mounted at ``/api/consultation/line/`` (see ``api.py``).

Staff record, escalate, answer, close and convert; the citizen who owns a consultation reads
it and asks follow-up questions. Out-of-region consultations answer 404 like missing ones.
Rating is the spine's: ``POST /api/cases/{number}/rating``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fawang.cases.api import PartyIn
from fawang.cases.services import party_create
from fawang.consultation import selectors_line as sel
from fawang.consultation import services_line as line
from fawang.consultation.models import ConsultationRecord
from fawang.core.api_auth import staff_auth, user_auth
from fawang.core.errors import DomainError

router = Router(tags=["法律咨询业务线"])


class CitationIn(Schema):
    law: str
    article: str


class RecordIn(Schema):
    question: str = Field(..., max_length=5000)
    channel: str
    answer: str = Field("", max_length=5000)
    category: str = ""
    citations: list[CitationIn] = []
    applicant: PartyIn | None = None
    service_point_code: str = ""
    region_code: str = ""
    keep_open: bool = False
    idempotency_key: str = ""


class EscalateIn(Schema):
    reason: str
    lawyer_username: str = ""
    practitioner_id: int | None = None
    question: str = ""


class AnswerIn(Schema):
    answer: str = Field(..., max_length=5000)
    citations: list[CitationIn] = []


class AskIn(Schema):
    question: str = Field(..., max_length=5000)


class CloseIn(Schema):
    summary: str = Field(..., max_length=5000)


class CategoryIn(Schema):
    category: str


class ConvertIn(Schema):
    target: str
    applicant: PartyIn | None = None
    matter: str = ""
    respondent_name: str = ""
    respondent_phone: str = ""
    dispute_type: str = ""
    notary_matter: str = ""
    facts: str = Field("", max_length=2000)


class RoundOut(Schema):
    number: int
    question: str
    asked_at: dt.datetime
    due_at: dt.datetime
    answer: str
    author_name: str
    answered_at: dt.datetime | None = None
    overdue: bool


class LinkedOut(Schema):
    number: str
    item_code: str
    item_name: str
    status: str


class RecordOut(Schema):
    number: str
    case_status: str
    status: str
    mode: str
    channel: str
    question: str
    category: str
    category_by_staff: bool
    answer: str
    citations: list[dict[str, Any]]
    handler: str
    assignee: str
    summary: str
    region_code: str
    created_at: dt.datetime
    rounds: list[RoundOut]
    linked: list[LinkedOut]


def _out(record: ConsultationRecord) -> dict[str, Any]:
    from django.utils import timezone

    now = timezone.now()
    case = record.case
    assignee = record.practitioner.name if record.practitioner_id else (
        (record.assignee.real_name or record.assignee.username) if record.assignee_id else "")
    return {
        "number": case.number, "case_status": case.status, "status": record.status, "mode": record.mode,
        "channel": record.channel, "question": record.question, "category": record.category,
        "category_by_staff": record.category_by_staff, "answer": record.answer, "citations": record.citations,
        "handler": (record.handler.real_name or record.handler.username) if record.handler_id else "",
        "assignee": assignee, "summary": record.summary, "region_code": record.region_code,
        "created_at": record.created_at,
        "rounds": [{"number": r.number, "question": r.question, "asked_at": r.asked_at, "due_at": r.due_at,
                    "answer": r.answer, "author_name": r.author_name, "answered_at": r.answered_at,
                    "overdue": (r.answered_at or now) > r.due_at} for r in record.rounds.order_by("number")],
        "linked": [{"number": c.number, "item_code": c.item.code, "item_name": c.item.name, "status": c.status}
                   for c in sel.linked_cases(record)],
    }


def _get(request: HttpRequest, number: str) -> ConsultationRecord:
    return sel.line_get(user=request.auth, number=number)


@router.post("/", response={201: RecordOut}, auth=staff_auth, summary="登记一次法律咨询（窗口、热线等，全程留痕）")
def record_create(request: HttpRequest, payload: RecordIn):
    from fawang.regions.models import ServicePoint

    point = None
    if payload.service_point_code:
        point = ServicePoint.objects.filter(code=payload.service_point_code).first()
        if point is None:
            raise DomainError("service_point_invalid", _("服务点不存在。"), field="service_point_code")
    # One transaction: a refused consultation leaves no orphan party behind.
    with transaction.atomic():
        applicant = None
        if payload.applicant is not None:
            applicant = party_create(**payload.applicant.model_dump(),
                                     region_code=point.region_code if point else payload.region_code)
        record = line.consultation_record(
            actor=request.auth, question=payload.question, channel=payload.channel, answer=payload.answer,
            category=payload.category, citations=[c.dict() for c in payload.citations], applicant=applicant,
            service_point=point, region_code=payload.region_code, keep_open=payload.keep_open,
            idempotency_key=payload.idempotency_key or None,
        )
    return Status(201, _out(record))


@router.post("/from-smart/{public_id}", response={201: RecordOut}, auth=staff_auth,
             summary="把一次智能咨询（网站、微信等）纳入咨询业务线，以便转办")
def record_from_smart(request: HttpRequest, public_id: UUID):
    from fawang.consultation.selectors import consultation_get_public

    smart = consultation_get_public(public_id=public_id)
    return Status(201, _out(line.consultation_record_from_smart(smart=smart, actor=request.auth)))


@router.get("/", response=list[RecordOut], auth=staff_auth, summary="本辖区（或指派给我的）法律咨询")
def record_list(request: HttpRequest, status: str = "", limit: int = 50):
    return [_out(r) for r in sel.line_list(user=request.auth, status=status)[: max(1, min(limit, 200))]]


@router.get("/{number}", response=RecordOut, auth=user_auth, summary="一次法律咨询的全部记录")
def record_detail(request: HttpRequest, number: str):
    return _out(_get(request, number))


@router.post("/{number}/escalate", response=RecordOut, auth=staff_auth, summary="转律师或法律专家库多轮解答")
def escalate(request: HttpRequest, number: str, payload: EscalateIn):
    from fawang.accounts.models import User
    from fawang.directory.models import Practitioner

    record = _get(request, number)
    lawyer = practitioner = None
    if payload.lawyer_username:
        lawyer = User.objects.filter(username=payload.lawyer_username).first()
        if lawyer is None:
            raise DomainError("lawyer_invalid", _("请选择本区域内在岗的律师。"), field="lawyer")
    if payload.practitioner_id is not None:
        practitioner = Practitioner.objects.filter(pk=payload.practitioner_id).first()
        if practitioner is None:
            raise DomainError("practitioner_invalid", _("请选择在册的律师或法律专家库专家。"), field="practitioner")
    record = line.consultation_escalate(record=record, actor=request.auth, reason=payload.reason, lawyer=lawyer,
                                        practitioner=practitioner, question=payload.question)
    return _out(record)


@router.post("/{number}/answer", response=RecordOut, auth=staff_auth, summary="答复当前一轮问题")
def answer(request: HttpRequest, number: str, payload: AnswerIn):
    record = _get(request, number)
    line.consultation_round_answer(record=record, actor=request.auth, answer=payload.answer,
                                   citations=[c.dict() for c in payload.citations])
    return _out(_get(request, number))


@router.post("/{number}/ask", response=RecordOut, auth=user_auth, summary="追问（咨询人本人或工作人员代录）")
def ask(request: HttpRequest, number: str, payload: AskIn):
    record = _get(request, number)
    line.consultation_round_ask(record=record, actor=request.auth, question=payload.question)
    return _out(_get(request, number))


@router.post("/{number}/close", response=RecordOut, auth=staff_auth, summary="办结并向咨询人反馈")
def close(request: HttpRequest, number: str, payload: CloseIn):
    return _out(line.consultation_close(record=_get(request, number), actor=request.auth, summary=payload.summary))


@router.post("/{number}/category", response=RecordOut, auth=staff_auth,
             summary="选定或更正问题分类（经人工确认的分类可导出用于训练分类模型）")
def set_category(request: HttpRequest, number: str, payload: CategoryIn):
    record = line.consultation_set_category(record=_get(request, number), actor=request.auth,
                                            category=payload.category)
    return _out(record)


@router.post("/{number}/convert", response={201: LinkedOut}, auth=staff_auth,
             summary="转为法律援助、人民调解或公证预约（生成关联案件，无需重复录入）")
def convert(request: HttpRequest, number: str, payload: ConvertIn):
    record = _get(request, number)
    data = payload.dict(exclude={"applicant"})
    with transaction.atomic():
        applicant = None
        if payload.applicant is not None and record.case.applicant_id is None:
            applicant = party_create(**payload.applicant.model_dump(), region_code=record.region_code)
        case = line.consultation_convert(record=record, actor=request.auth, applicant=applicant, **data)
    return Status(201, {"number": case.number, "item_code": case.item.code, "item_name": case.item.name,
                        "status": case.status})
