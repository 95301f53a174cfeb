"""Kernel API: the audit trail (scoped), revealing personal data (audited), site messages."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from fawang.core.api_auth import staff_auth, staff_user, user_auth
from fawang.core.audit import reveal_personal_data
from fawang.core.errors import NotFoundOrForbidden
from fawang.core.models import AuditEntry, SiteMessage
from fawang.core.permissions import access_object
from fawang.core.scoping import restrict

router = Router(tags=["core 审计与通知"])

MAX_LIMIT = 200


class AuditEntryOut(Schema):
    id: int
    at: datetime.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region_code: str
    changes: dict[str, Any]
    detail: str
    ip_address: str | None


class AuditPage(Schema):
    count: int
    items: list[AuditEntryOut]


class AuditFilter(Schema):
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    region_code: str | None = None
    limit: int = 50
    offset: int = 0


@router.get("/audit/", response=AuditPage, auth=staff_auth, summary="审计日志（本辖区）")
def audit_list(request: HttpRequest, filters: Query[AuditFilter]) -> dict[str, Any]:
    user = staff_user(request, "audit.view")
    qs = restrict(AuditEntry.objects.all(), user)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.region_code:
        from fawang.core.scoping import region_q

        qs = qs.filter(region_q(filters.region_code))
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    return {"count": qs.count(), "items": list(qs.order_by("-at", "-id")[offset:offset + limit])}


class RevealIn(Schema):
    model: str  # "app_label.model_name", e.g. "cases.party"
    id: str
    field: str
    purpose: str = ""


class RevealOut(Schema):
    value: str


@router.post("/pii/reveal", response=RevealOut, auth=staff_auth, summary="查看完整个人信息（记入审计）")
def pii_reveal(request: HttpRequest, payload: RevealIn) -> dict[str, str]:
    user = staff_user(request, "pii.reveal")
    try:
        model = apps.get_model(payload.model)
    except (LookupError, ValueError):
        raise NotFoundOrForbidden() from None
    region_field = getattr(model, "region_field", "region_code")
    if not any(f.name == region_field for f in model._meta.concrete_fields):
        raise NotFoundOrForbidden()  # only region-bound rows can be revealed
    obj = access_object(model._default_manager.all(), user, payload.id, field=region_field)
    return {"value": reveal_personal_data(actor=user, obj=obj, field=payload.field, purpose=payload.purpose)}


class SiteMessageOut(Schema):
    id: int
    subject: str
    body: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    related_type: str
    related_id: str


@router.get("/messages/", response=list[SiteMessageOut], auth=user_auth, summary="我的站内消息")
def my_messages(request: HttpRequest, unread: bool = False) -> Any:
    qs = SiteMessage.objects.filter(user=request.auth)  # type: ignore[attr-defined]
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return list(qs[:MAX_LIMIT])


@router.post("/messages/{message_id}/read", response=SiteMessageOut, auth=user_auth, summary="标记为已读")
def mark_read(request: HttpRequest, message_id: int) -> Any:
    message = SiteMessage.objects.filter(user=request.auth, pk=message_id).first()  # type: ignore[attr-defined]
    if message is None:
        raise NotFoundOrForbidden()
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
