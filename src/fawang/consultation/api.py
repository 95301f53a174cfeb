"""Consultation API: ask a question (any channel), read the answer, FAQ, hot topics, callbacks.

Asking is public (citizens need no account); the hotline and window channels are for staff, who
enter questions on a caller's behalf. Lists of records are staff-only and region-scoped.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from fawang.consultation import opinion
from fawang.consultation.api_line import router as line_router
from fawang.consultation.choices import ConsultChannel
from fawang.consultation.models import SmartConsultation
from fawang.consultation.selectors import (
    callback_list,
    consultation_get_public,
    consultation_list,
    faq_list,
    faq_search,
    hot_topics,
)
from fawang.consultation.services import callback_request_create, consult
from fawang.core.api_auth import staff_auth
from fawang.core.errors import PermissionDenied
from fawang.core.permissions import is_staff_user
from fawang.core.pii import mask_phone
from fawang.core.throttle import throttle_check
from fawang.knowledge.classify import classify_question

router = Router(tags=["智能法律咨询"])
# The staff consultation line (escalation, rounds, conversion): /api/consultation/line/.
router.add_router("/line", line_router)

STAFF_ONLY_CHANNELS = {ConsultChannel.HOTLINE, ConsultChannel.WINDOW}


class AskIn(Schema):
    question: str = Field(..., max_length=2000)
    channel: str = ConsultChannel.WEB
    region_code: str = ""
    lat: float | None = None
    lng: float | None = None


class CitationOut(Schema):
    law: str
    article: str
    article_id: int | None = None
    text: str = ""
    source: str = ""


class FaqOut(Schema):
    id: int
    key: str
    category: str
    question: str
    answer: str
    citations: list[dict[str, str]]
    keywords: list[str]


class ServicePointOut(Schema):
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str
    region_code: str


class ConsultationOut(Schema):
    id: UUID
    number: str
    question: str
    channel: str
    category: str
    category_score: float
    category_top3: list[Any]
    citations: list[CitationOut]
    faq: list[FaqOut]
    services: list[dict[str, str]]
    service_point: ServicePointOut | None = None
    answer: str
    answer_source: str
    case_number: str
    region_code: str
    created_at: Any
    opinion_url: str
    pdf_url: str


class ClassifyOut(Schema):
    category: str
    score: float
    top3: list[Any]


class CallbackIn(Schema):
    name: str
    phone: str
    preferred_time: str = ""
    note: str = ""
    consultation_id: UUID | None = None


class CallbackOut(Schema):
    id: int
    status: str
    created_at: Any


class CallbackStaffOut(CallbackOut):
    name: str
    phone_masked: str
    preferred_time: str
    note: str
    region_code: str
    consultation_id: UUID | None = None


def _faq(entry) -> dict[str, Any]:
    return {"id": entry.pk, "key": entry.key, "category": entry.category, "question": entry.question,
            "answer": entry.answer, "citations": entry.citations, "keywords": entry.keywords}


def _out(c: SmartConsultation) -> dict[str, Any]:
    from fawang.consultation.models import FaqEntry

    entries = FaqEntry.objects.in_bulk(c.faq_ids)
    point = c.service_point
    return {
        "id": c.public_id, "number": opinion.opinion_number(c), "question": c.question, "channel": c.channel,
        "category": c.category, "category_score": c.category_score, "category_top3": c.category_top3,
        "citations": c.citations, "faq": [_faq(entries[i]) for i in c.faq_ids if i in entries],
        "services": c.service_types,
        "service_point": None if point is None else {
            "code": point.code, "name": point.name, "address": point.address, "phone": point.phone,
            "opening_hours": point.opening_hours, "region_code": point.region_code},
        "answer": c.answer_text, "answer_source": c.answer_source, "case_number": c.case_number,
        "region_code": c.region_code, "created_at": c.created_at,
        "opinion_url": reverse("consultation:opinion", args=[c.public_id]),
        "pdf_url": reverse("consultation:opinion_pdf", args=[c.public_id]),
    }


@router.post("/ask", response={201: ConsultationOut}, summary="提交咨询问题，返回分类、法条、问答、服务和意见书链接")
def ask(request: HttpRequest, payload: AskIn):
    staff = is_staff_user(request.user)
    if payload.channel in STAFF_ONLY_CHANNELS and not staff:
        raise PermissionDenied()
    throttle_check(request, "consult")
    c = consult(
        question=payload.question, channel=payload.channel, region_code=payload.region_code,
        lat=payload.lat, lng=payload.lng,
        user=request.user if request.user.is_authenticated and not staff else None,
        entered_by=request.user if staff else None,
    )
    return Status(201, _out(c))


@router.get("/consultations/{public_id}", response=ConsultationOut, summary="按查询标识读取咨询答复")
def consultation_detail(request: HttpRequest, public_id: UUID):
    return _out(consultation_get_public(public_id=public_id))


@router.get("/consultations", response=list[ConsultationOut], auth=staff_auth, summary="本辖区的咨询记录（工作人员）")
def consultation_index(request: HttpRequest, category: str = "", limit: int = 50):
    qs = consultation_list(user=request.auth).select_related("service_point")
    if category:
        qs = qs.filter(category=category)
    return [_out(c) for c in qs[: max(1, min(limit, 200))]]


@router.get("/classify", response=ClassifyOut, summary="问题分类（20类）")
def classify(request: HttpRequest, q: str):
    category, score, top3 = classify_question(q[:2000])
    return {"category": category, "score": score, "top3": [list(p) for p in top3]}


@router.get("/faq", response=list[FaqOut], summary="常见法律问题：按分类列出或按问题搜索")
def faq(request: HttpRequest, q: str = "", category: str = "", limit: int = 20):
    limit = max(1, min(limit, 300))
    if q.strip():
        return [_faq(m.entry) for m in faq_search(q[:500], limit=limit, category=category or None)]
    return [_faq(e) for e in faq_list(category=category or None)[:limit]]


@router.get("/hot-topics", summary="热点问题：近N天本地区咨询最多的分类和问题")
def hot(request: HttpRequest, region_code: str = "", days: int = 30, limit: int = 5):
    region_code = region_code if region_code.isdigit() else ""
    return hot_topics(region_code=region_code, days=max(1, min(days, 365)), limit=max(1, min(limit, 20)))


@router.post("/callbacks", response={201: CallbackOut}, summary="转人工：请求工作人员回电")
def callback_create(request: HttpRequest, payload: CallbackIn):
    throttle_check(request, "callback")
    consultation = consultation_get_public(public_id=payload.consultation_id) if payload.consultation_id else None
    cb = callback_request_create(name=payload.name, phone=payload.phone, preferred_time=payload.preferred_time,
                                 note=payload.note, consultation=consultation)
    return Status(201, {"id": cb.pk, "status": cb.status, "created_at": cb.created_at})


@router.get("/callbacks", response=list[CallbackStaffOut], auth=staff_auth, summary="本辖区的回电请求（工作人员）")
def callback_index(request: HttpRequest, status: str = ""):
    qs = callback_list(user=request.auth)
    if status:
        qs = qs.filter(status=status)
    return [{"id": cb.pk, "status": cb.status, "created_at": cb.created_at, "name": cb.name,
             "phone_masked": mask_phone(cb.phone), "preferred_time": cb.preferred_time, "note": cb.note,
             "region_code": cb.region_code,
             "consultation_id": cb.consultation.public_id if cb.consultation else None} for cb in qs[:200]]
