"""Accounts API: who am I, what may I do, where."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from fawang.core.api_auth import user_auth
from fawang.core.otp import has_confirmed_device
from fawang.core.permissions import actions_for, supervision_level

router = Router(tags=["accounts 账号"])


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    role: str
    role_label: str
    scope_code: str | None
    supervision_level: str | None
    division_id: str | None
    service_point_id: int | None
    actions: list[str]
    otp_enabled: bool
    is_demo: bool


@router.get("/me", response=MeOut, auth=user_auth, summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "username": user.username,
        "real_name": user.real_name,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "scope_code": user.scope_code,
        "supervision_level": supervision_level(user),
        "division_id": user.division_id,
        "service_point_id": user.service_point_id,
        "actions": sorted(actions_for(user)),
        "otp_enabled": has_confirmed_device(user),
        "is_demo": user.is_demo,
    }
