"""Complaint API: register from any channel, then investigate → review → reply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fawang.cases.models import Case
from fawang.cases.selectors import case_get_for_user
from fawang.cases.services import _is_staff, party_create
from fawang.complaints import selectors, services
from fawang.complaints.models import Complaint
from fawang.core.api_auth import staff_auth, user_auth
from fawang.core.errors import DomainError
from fawang.regions.models import ServicePoint

router = Router(tags=["投诉与意见建议"])


class ComplainantIn(Schema):
    name: str
    id_number: str = ""
    phone: str = ""


class ComplaintIn(Schema):
    channel: str
    content: str
    kind: str = "complaint"
    service_point_code: str = ""
    region_code: str = ""
    complainant: ComplainantIn | None = None
    anonymous: bool = False
    target_kind: str = "none"
    target_description: str = ""
    target_service_point_code: str = ""
    related_case_number: str = ""
    idempotency_key: str = ""


class ComplaintOut(Schema):
    number: str
    kind: str
    status: str
    status_label: str
    content: str
    target_kind: str
    target_description: str
    related_case_number: str
    findings: str
    review_opinion: str
    reply: str
    received_at: dt.datetime


def _out(c: Complaint) -> dict[str, Any]:
    return {
        "number": c.case.number, "kind": c.kind, "status": c.status, "status_label": c.get_status_display(),
        "content": c.content, "target_kind": c.target_kind, "target_description": c.target_description,
        "related_case_number": c.related_case.number if c.related_case_id else "", "findings": c.findings,
        "review_opinion": c.review_opinion, "reply": c.reply, "received_at": c.case.received_at,
    }


def _point(code: str, field: str) -> ServicePoint | None:
    if not code:
        return None
    point = ServicePoint.objects.filter(code=code).first()
    if point is None:
        raise DomainError("service_point_unknown", _("服务点不存在。"), field=field)
    return point


@router.post("/", response={200: ComplaintOut, 201: ComplaintOut}, auth=user_auth)
def register(request: HttpRequest, payload: ComplaintIn):
    user = request.auth
    staff = _is_staff(user)
    key = request.headers.get("Idempotency-Key", "") or payload.idempotency_key or None
    if key and Case.objects.filter(idempotency_key=key).exists():
        return Status(200, _out(selectors.complaint_get_for_user(
            user, number=Case.objects.get(idempotency_key=key).number)))
    related = case_get_for_user(user, number=payload.related_case_number) if payload.related_case_number else None
    complainant = None
    if payload.complainant is not None and not payload.anonymous:
        complainant = party_create(**payload.complainant.dict(), user=None if staff else user)
    complaint = services.complaint_register(
        channel=payload.channel, content=payload.content, complainant=complainant, actor=user if staff else None,
        kind=payload.kind, service_point=_point(payload.service_point_code, "service_point_code"),
        region_code=payload.region_code, target_kind=payload.target_kind,
        target_service_point=_point(payload.target_service_point_code, "target_service_point_code"),
        target_description=payload.target_description, related_case=related, anonymous=payload.anonymous,
        idempotency_key=key, citizen_user=None if staff else user,
    )
    return Status(201, _out(complaint))


@router.get("/", response=list[ComplaintOut], auth=user_auth)
def list_complaints(request: HttpRequest, status: str | None = None):
    return [_out(c) for c in selectors.complaint_list_for_user(request.auth, status=status)[:200]]


@router.get("/{number}", response=ComplaintOut, auth=user_auth)
def get_complaint(request: HttpRequest, number: str):
    return _out(selectors.complaint_get_for_user(request.auth, number=number))


class InvestigateIn(Schema):
    findings: str
    substantiated: bool


class ReviewIn(Schema):
    approve: bool
    opinion: str = ""


class ReplyIn(Schema):
    reply: str


@router.post("/{number}/investigate", response=ComplaintOut, auth=staff_auth)
def investigate(request: HttpRequest, number: str, payload: InvestigateIn):
    c = selectors.complaint_get_for_user(request.auth, number=number)
    return _out(services.complaint_investigate(complaint=c, actor=request.auth, findings=payload.findings,
                                               substantiated=payload.substantiated))


@router.post("/{number}/review", response=ComplaintOut, auth=staff_auth)
def review(request: HttpRequest, number: str, payload: ReviewIn):
    c = selectors.complaint_get_for_user(request.auth, number=number)
    return _out(services.complaint_review(complaint=c, actor=request.auth, approve=payload.approve,
                                          opinion=payload.opinion))


@router.post("/{number}/reply", response=ComplaintOut, auth=staff_auth)
def reply(request: HttpRequest, number: str, payload: ReplyIn):
    c = selectors.complaint_get_for_user(request.auth, number=number)
    return _out(services.complaint_reply(complaint=c, actor=request.auth, reply=payload.reply))
