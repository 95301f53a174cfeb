"""The audit trail (全程留痕 of who touched what). Append-only: entries are only ever added.

Services call ``audit_record`` for changes they make; every read of full personal data goes
through ``audit_read_personal_data`` (or ``reveal_personal_data``, which also checks the right
to see it). The request's IP address and path come from ``fawang.core.audit_context`` (set by
``AuditContextMiddleware``), so callers need not thread the request through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext as _

from fawang.core import audit_context
from fawang.core.errors import DomainError
from fawang.core.models import AuditAction, AuditEntry

ENCRYPTED_PLACEHOLDER = "[已加密]"


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return (getattr(actor, "real_name", "") or actor.get_username())[:150]


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    region_code: str = "",
    detail: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one audit entry. ``region_code`` defaults to ``obj.region_code`` when it has one."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    ctx = audit_context.current()
    if actor is None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
        region_code = region_code or (getattr(obj, "region_code", "") or "")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_name=_actor_name(actor),
        action=action,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        region_code=region_code,
        changes=_json_safe(changes or {}),
        detail=detail[:255],
        ip_address=ctx.ip_address or None,
        path=ctx.path[:255],
    )


def _is_encrypted(field: Any) -> bool:
    return getattr(field, "encrypted", False)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Current values of ``obj``'s concrete fields (encrypted ones are kept, for diffing only)."""
    names = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        data[field.name] = field.value_from_object(obj)
    return data


def diff(obj: models.Model, before: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for fields that changed since ``before`` (a ``snapshot``).

    Encrypted (personal) fields are recorded as changed without their values: the audit trail
    must not become a second, unencrypted copy of personal data.
    """
    changes: dict[str, list[Any]] = {}
    after = snapshot(obj, before.keys())
    for field in obj._meta.concrete_fields:
        name = field.name
        if name not in before or before[name] == after.get(name):
            continue
        if _is_encrypted(field):
            changes[name] = [ENCRYPTED_PLACEHOLDER, ENCRYPTED_PLACEHOLDER]
        else:
            changes[name] = [before[name], after.get(name)]
    return changes


def audit_read_personal_data(
    *, actor: Any, obj: models.Model, fields: Sequence[str], purpose: str = "", region_code: str = ""
) -> AuditEntry:
    """Record that ``actor`` saw the full value of ``fields`` of ``obj`` (why: ``purpose``)."""
    return audit_record(
        actor=actor, action=AuditAction.READ, obj=obj, changes={"fields": list(fields)},
        detail=purpose, region_code=region_code,
    )


def reveal_personal_data(*, actor: Any, obj: models.Model, field: str, purpose: str = "") -> str:
    """The full value of a personal-data field, after checking the right and logging the read.

    The caller has already fetched ``obj`` through ``access_object`` (region check).
    """
    from fawang.core.permissions import require_permission

    require_permission(actor, "pii.reveal")
    try:
        model_field = obj._meta.get_field(field)
    except Exception:
        model_field = None
    if model_field is None or not _is_encrypted(model_field):
        raise DomainError("invalid_field", _("该字段不是可查看的个人信息。"), field="field")
    value = getattr(obj, field) or ""
    audit_read_personal_data(actor=actor, obj=obj, fields=[field], purpose=purpose)
    return value
