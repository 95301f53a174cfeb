"""Case API: intake (idempotent), one endpoint per transition, scoped list/detail, progress.

Out-of-scope cases answer 404 exactly like missing ones. Errors are ``DomainError``s mapped
to ``{"code", "message"}`` in ``fawang.api.errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import BaseModel

from fawang.cases import selectors, services
from fawang.cases.choices import CaseStatus
from fawang.cases.models import Case, CaseEvent
from fawang.cases.schemas import PartyIn
from fawang.catalog.selectors import item_for_intake
from fawang.core.api_auth import staff_auth, user_auth
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.fast_insert import batched_inserts
from fawang.regions.models import ServicePoint
from fawang.regions.selectors import service_point_for_intake

router = Router(tags=["案件受理与办理"])


# Intake's bodies and answers are plain pydantic models, not ninja ``Schema`` (see schemas.py).
class CaseIn(BaseModel):
    item_code: str
    channel: str
    service_point_code: str = ""
    region_code: str = ""
    applicant: PartyIn | None = None
    form_data: dict[str, Any] = {}
    subject: str = ""
    idempotency_key: str = ""


class EventOut(BaseModel):
    type: str
    label: str
    at: dt.datetime
    actor_name: str
    from_status: str
    to_status: str
    payload: dict[str, Any]


class StepOut(BaseModel):
    step: str
    name: str
    article: str
    started_at: dt.datetime
    due_at: dt.datetime
    warn_at: dt.datetime
    state: str


class CaseOut(BaseModel):
    number: str
    item_code: str
    item_name: str
    channel: str
    status: str
    status_label: str
    region_code: str
    service_point_code: str
    applicant_name: str
    applicant_phone: str
    handler: str
    responsible: str
    first_contact: str
    received_at: dt.datetime
    result: str


class CaseDetailOut(CaseOut):
    form_data: dict[str, Any]
    events: list[EventOut]
    steps: list[StepOut]
    query_code: str


def _name(user: Any) -> str:
    return str(user) if user is not None else ""


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number, "item_code": case.item.code, "item_name": case.item.name, "channel": case.channel,
        "status": case.status, "status_label": str(CaseStatus(case.status).label), "region_code": case.region_code,
        "service_point_code": case.service_point.code if case.service_point_id else "",
        "applicant_name": case.applicant.masked_name if case.applicant_id else "",
        "applicant_phone": case.applicant.masked_phone if case.applicant_id else "",
        "handler": _name(case.handler), "responsible": _name(case.responsible_user),
        "first_contact": _name(case.first_contact_user), "received_at": case.received_at, "result": case.result,
    }


_STEP_FIELDS = ("step", "name", "article", "started_at", "due_at", "warn_at", "state")


def _as_utc(value: Any) -> Any:
    import datetime as dt

    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


def _detail(case: Case, written: tuple[CaseEvent, list[Any]] | None = None) -> dict[str, Any]:
    """The case with its events and clocks; ``written``: a new case's event and steps as intake
    wrote them (all it has), so they are not read back."""
    data = _case_out(case)
    data["form_data"] = case.form_data
    data["query_code"] = case.query_code
    events = [written[0]] if written else CaseEvent.objects.filter(case=case).order_by("at", "id")
    data["events"] = [
        {"type": e.type, "label": e.label, "at": e.at, "actor_name": e.actor_name, "from_status": e.from_status,
         "to_status": e.to_status, "payload": e.payload}
        for e in events
    ]
    if written:
        steps = sorted(written[1], key=lambda st: (st.started_at, st.pk))
        # As a read would give them: aware datetimes in UTC (the SLA code computes in local time).
        data["steps"] = [{name: _as_utc(getattr(st, name)) for name in _STEP_FIELDS} for st in steps]
    else:
        data["steps"] = list(case.steps.values(*_STEP_FIELDS))
    return data


def _case(request: HttpRequest, number: str) -> Case:
    return selectors.case_get_for_user(request.auth, number=number)


@router.post("/", response={200: CaseDetailOut, 201: CaseDetailOut}, auth=user_auth)
def create_case(request: HttpRequest, payload: CaseIn):
    """Register a request. Same ``Idempotency-Key`` (header or field) → same case, 200."""
    user = request.auth
    key = request.headers.get("Idempotency-Key", "") or payload.idempotency_key
    item = item_for_intake(code=payload.item_code)
    if item is None:
        raise DomainError("item_unknown", _("服务事项不存在或已停用。"), field="item_code")
    point = None
    if payload.service_point_code:
        point = service_point_for_intake(code=payload.service_point_code)
        if point is None:
            raise DomainError("service_point_unknown", _("服务点不存在。"), field="service_point_code")
        if getattr(user, "service_point_id", None) == point.pk:
            user.service_point = point  # the clerk's own point: their scope needs no second read
    staff = services._is_staff(user)
    if not staff and payload.channel not in ("web", "mobile", "wechat"):
        raise DomainError("channel_invalid", _("网上申请的渠道只能是网站、移动端或微信。"), field="channel")
    from django.db import transaction

    # No lookup of the key first: a new key is the common case. A replay is found by the unique
    # column; the rollback drops what this request wrote (the party) before answering with the
    # earlier case.
    try:
        # One unit of work: on PostgreSQL its rows (party, case, event, clocks, SMS) travel as
        # one statement.
        with transaction.atomic(), batched_inserts():
            applicant = None
            if payload.applicant is not None:
                applicant = services.party_create(
                    **payload.applicant.model_dump(), user=None if staff else user,
                    region_code=point.region_code if point else payload.region_code,
                )
            case, _created = services.case_create_or_get(
                item=item, channel=payload.channel, applicant=applicant, region_code=payload.region_code,
                service_point=point, actor=user, idempotency_key=key or None, conflict_raises=True,
                form_data=payload.form_data, subject=payload.subject, citizen_user=None if staff else user,
            )
    except IntegrityError:
        existing = Case.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return Status(200, _detail(_replay_visible(user, staff, existing)))
    return Status(201, _detail(case, getattr(case, "intake_written", None)))


def _replay_visible(user: Any, staff: bool, case: Case) -> Case:
    """A replayed key answers only to someone who may see that case (else 404)."""
    if staff:
        return selectors.case_get_for_user(user, pk=case.pk)
    if case.citizen_user_id != user.pk:
        raise NotFoundOrForbidden()
    return case


class BundleIn(Schema):
    channel: str
    service_point_code: str = ""
    region_code: str = ""
    applicant: PartyIn | None = None
    form_data: dict[str, Any] = {}
    idempotency_key: str = ""


@router.post("/bundles/{code}", response={201: list[CaseOut]}, auth=staff_auth)
def create_bundle_cases(request: HttpRequest, code: str, payload: BundleIn):
    """套餐式一次办: one form, one linked case per item of the bundle (replays return the same)."""
    from django.db import transaction

    from fawang.catalog.selectors import bundle_get

    bundle = bundle_get(code=code)
    key = request.headers.get("Idempotency-Key", "") or payload.idempotency_key or None
    point = None
    if payload.service_point_code:
        point = service_point_for_intake(code=payload.service_point_code)
        if point is None:
            raise DomainError("service_point_unknown", _("服务点不存在。"), field="service_point_code")
    with transaction.atomic(), batched_inserts():
        applicant = None
        if payload.applicant is not None:
            applicant = services.party_create(**payload.applicant.model_dump(),
                                              region_code=point.region_code if point else payload.region_code)
        cases = services.bundle_intake(
            bundle=bundle, channel=payload.channel, applicant=applicant, region_code=payload.region_code,
            service_point=point, actor=request.auth, form_data=payload.form_data, idempotency_key=key,
        )
    return Status(201, [_case_out(c) for c in cases])


@router.get("/", response=list[CaseOut], auth=user_auth)
def list_cases(request: HttpRequest, status: str | None = None, item_code: str | None = None,
               open_only: bool = False, mine: bool = False, limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    qs = selectors.case_list_for_user(request.auth, status=status, item_code=item_code, open_only=open_only,
                                      mine=mine)
    return [_case_out(c) for c in qs.select_related("handler", "responsible_user", "first_contact_user")[
        offset:offset + limit]]


class ProgressIn(Schema):
    number: str
    verification: str


class ProgressStepOut(Schema):
    at: dt.datetime
    type: str
    label: str


class ProgressOut(Schema):
    number: str
    item: str
    status: str
    status_label: str
    steps: list[ProgressStepOut]


@router.post("/progress", response=ProgressOut, auth=None)
def progress(request: HttpRequest, payload: ProgressIn):
    """Public progress lookup: case number + query code (or last 4 phone digits)."""
    return selectors.case_progress_for_citizen(payload.number, payload.verification)


@router.get("/{number}", response=CaseDetailOut, auth=user_auth)
def get_case(request: HttpRequest, number: str):
    return _detail(_case(request, number))


class RevealIn(Schema):
    field: str
    purpose: str


@router.post("/{number}/applicant/reveal", response=dict, auth=staff_auth)
def reveal_applicant(request: HttpRequest, number: str, payload: RevealIn):
    """The applicant's full ID number, phone or address — needs ``pii.reveal`` and a purpose;
    every reveal is written to the audit trail."""
    from fawang.core.audit import reveal_personal_data

    case = _case(request, number)
    if case.applicant_id is None:
        raise NotFoundOrForbidden()
    if payload.field not in ("id_number", "phone", "address"):
        raise DomainError("invalid_field", _("该字段不是可查看的个人信息。"), field="field")
    if not payload.purpose.strip():
        raise DomainError("purpose_required", _("请说明查看完整个人信息的用途。"), field="purpose")
    value = reveal_personal_data(actor=request.auth, obj=case.applicant, field=payload.field,
                                 purpose=f"{case.number}: {payload.purpose.strip()}")
    return {"field": payload.field, "value": value}


class ReasonIn(Schema):
    reason: str = ""


class AcceptIn(Schema):
    handler_username: str = ""


class MaterialsIn(Schema):
    materials: list[str]
    note: str = ""


class TransferIn(Schema):
    to_service_point_code: str
    reason: str
    escalate: bool = False


class ResultIn(Schema):
    result: str


class NoteIn(Schema):
    text: str


class RateIn(Schema):
    attitude: int
    efficiency: int
    professionalism: int
    comment: str = ""
    channel: str = ""


def _handler(request: HttpRequest, username: str) -> Any:
    if not username:
        return None
    from django.contrib.auth import get_user_model

    handler = get_user_model().objects.filter(username=username, is_active=True).first()
    if handler is None:
        raise DomainError("handler_unknown", _("承办人不存在。"), field="handler_username")
    return handler


@router.post("/{number}/accept", response=CaseDetailOut, auth=staff_auth)
def accept(request: HttpRequest, number: str, payload: AcceptIn):
    case = _case(request, number)
    services.case_accept(case=case, actor=request.auth, handler=_handler(request, payload.handler_username))
    return _detail(case)


@router.post("/{number}/assign", response=CaseDetailOut, auth=staff_auth)
def assign(request: HttpRequest, number: str, payload: AcceptIn):
    case = _case(request, number)
    handler = _handler(request, payload.handler_username)
    if handler is None:
        raise DomainError("handler_required", _("请选择承办人。"), field="handler_username")
    services.case_assign(case=case, actor=request.auth, handler=handler)
    return _detail(case)


@router.post("/{number}/start", response=CaseDetailOut, auth=staff_auth)
def start(request: HttpRequest, number: str):
    case = _case(request, number)
    services.case_start(case=case, actor=request.auth)
    return _detail(case)


@router.post("/{number}/request-materials", response=CaseDetailOut, auth=staff_auth)
def request_materials(request: HttpRequest, number: str, payload: MaterialsIn):
    case = _case(request, number)
    services.case_request_materials(case=case, actor=request.auth, materials=payload.materials, note=payload.note)
    return _detail(case)


@router.post("/{number}/materials-received", response=CaseDetailOut, auth=staff_auth)
def materials_received(request: HttpRequest, number: str, payload: MaterialsIn):
    case = _case(request, number)
    services.case_materials_received(case=case, actor=request.auth, received=payload.materials)
    return _detail(case)


@router.post("/{number}/transfer", response=CaseDetailOut, auth=staff_auth)
def transfer(request: HttpRequest, number: str, payload: TransferIn):
    case = _case(request, number)
    target = ServicePoint.objects.filter(code=payload.to_service_point_code).first()
    if target is None:
        raise DomainError("target_invalid", _("接收服务点不存在。"), field="to_service_point_code")
    services.case_transfer(case=case, actor=request.auth, to_service_point=target, reason=payload.reason,
                           escalate=payload.escalate)
    return _detail(case)


@router.post("/{number}/transfer-accept", response=CaseDetailOut, auth=staff_auth)
def transfer_accept(request: HttpRequest, number: str):
    case = _case(request, number)
    services.case_transfer_accept(case=case, actor=request.auth)
    return _detail(case)


@router.post("/{number}/transfer-refuse", response=CaseDetailOut, auth=staff_auth)
def transfer_refuse(request: HttpRequest, number: str, payload: ReasonIn):
    case = _case(request, number)
    services.case_transfer_refuse(case=case, actor=request.auth, reason=payload.reason)
    return _detail(case)


@router.post("/{number}/reject", response=CaseDetailOut, auth=staff_auth)
def reject(request: HttpRequest, number: str, payload: ReasonIn):
    case = _case(request, number)
    services.case_reject(case=case, actor=request.auth, reason=payload.reason)
    return _detail(case)


@router.post("/{number}/withdraw", response=CaseDetailOut, auth=staff_auth)
def withdraw(request: HttpRequest, number: str, payload: ReasonIn):
    case = _case(request, number)
    services.case_withdraw(case=case, actor=request.auth, reason=payload.reason)
    return _detail(case)


@router.post("/{number}/complete", response=CaseDetailOut, auth=staff_auth)
def complete(request: HttpRequest, number: str, payload: ResultIn):
    case = _case(request, number)
    services.case_complete(case=case, actor=request.auth, result=payload.result)
    return _detail(case)


@router.post("/{number}/deliver", response=CaseDetailOut, auth=staff_auth)
def deliver(request: HttpRequest, number: str):
    case = _case(request, number)
    services.case_deliver_result(case=case, actor=request.auth)
    return _detail(case)


@router.post("/{number}/notes", response=CaseDetailOut, auth=staff_auth)
def note(request: HttpRequest, number: str, payload: NoteIn):
    case = _case(request, number)
    services.case_note(case=case, actor=request.auth, text=payload.text)
    return _detail(case)


@router.post("/{number}/rating", response={201: dict}, auth=user_auth)
def rate(request: HttpRequest, number: str, payload: RateIn):
    case = _case(request, number)
    rating = services.case_rate(case=case, attitude=payload.attitude, efficiency=payload.efficiency,
                                professionalism=payload.professionalism, comment=payload.comment,
                                rated_by=request.auth, channel=payload.channel)
    return Status(201, {"dissatisfied": rating.is_dissatisfied, "callback_opened": case.callbacks.exists()})


