"""Template helpers: personal data is shown masked unless explicitly revealed (audited).

    {% load fawang_core %}
    {{ party.phone|mask_phone }}      {{ party.id_number|mask_id_number }}
    {% pii party "phone" %}           masked value + a "查看" button for users allowed to reveal

The reveal button posts to ``/api/core/pii/reveal`` (htmx), which checks the right and the
region and writes the read to the audit trail before answering with the full value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import Model
from django.utils.translation import gettext

from fawang.core import pii as pii_lib
from fawang.core.permissions import has_permission

register = template.Library()

register.filter("mask_id_number", pii_lib.mask_id_number)
register.filter("mask_phone", pii_lib.mask_phone)
register.filter("mask_name", pii_lib.mask_name)
register.filter("mask_address", pii_lib.mask_address)

_MASKERS = {"id": pii_lib.mask_id_number, "phone": pii_lib.mask_phone, "name": pii_lib.mask_name,
            "address": pii_lib.mask_address}


def _guess_kind(field: str) -> str:
    for kind in ("phone", "address", "name"):
        if kind in field:
            return kind
    return "id"


@register.inclusion_tag("core/pii.html", takes_context=True)
def pii(context: dict[str, Any], obj: Model, field: str, kind: str = "") -> dict[str, Any]:
    value = getattr(obj, field, "") or ""
    masker = _MASKERS.get(kind or _guess_kind(field), pii_lib.mask_id_number)
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "masked": masker(value),
        "has_value": bool(value),
        "can_reveal": bool(value) and has_permission(user, "pii.reveal"),
        "model": obj._meta.label_lower,
        "pk": obj.pk,
        "field": field,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def zh_duration(value: dt.timedelta | None) -> str:
    """A timedelta as "1小时" / "30分钟" / "2天"."""
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes % (60 * 24) == 0:
        return gettext("%(n)d天") % {"n": minutes // (60 * 24)}
    if minutes % 60 == 0:
        return gettext("%(n)d小时") % {"n": minutes // 60}
    return gettext("%(n)d分钟") % {"n": minutes}
