"""Account writes: staff user creation and TOTP enrolment."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.accounts.models import Role, User
from fawang.core.audit import audit_record
from fawang.core.errors import DomainError, PermissionDenied
from fawang.core.models import AuditAction
from fawang.core.permissions import STAFF_ROLES

# Roles whose holders oversee others; only a system administrator may create them.
PRIVILEGED_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def can_assign_role(actor: Any, role: str) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser or actor.role == Role.SYSTEM_ADMIN:
        return True
    return role not in PRIVILEGED_ROLES


@transaction.atomic
def user_upsert_demo(
    *, username: str, role: str, real_name: str, password: str, division: Any = None,
    service_point: Any = None, is_superuser: bool = False,
) -> User:
    """Create or refresh a demo account (idempotent: the same call changes nothing twice)."""
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    fields = {
        "role": role, "real_name": real_name, "division": division, "service_point": service_point,
        "is_demo": True, "is_staff": role in STAFF_ROLES, "is_superuser": is_superuser, "is_active": True,
    }
    if user is None:
        user = model(username=username, **fields)
        # Demo accounts share one password: hash it once per process, not once per account
        # (PBKDF2 is deliberately slow and ./run calls this on every start).
        user.password = _demo_hash(password)
        user.save()
        return user
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    return user


@lru_cache(maxsize=4)
def _demo_hash(password: str) -> str:
    return make_password(password)


def totp_device_for_enrolment(*, user: Any) -> TOTPDevice:
    """The user's pending (unconfirmed) TOTP device, created on first use."""
    if user.role == Role.CITIZEN and not user.is_superuser:
        raise PermissionDenied(_("动态口令仅供工作人员使用。"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("动态口令"), confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: Any, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm a pending device with a first valid token; other devices of the user are removed."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError("invalid_device", _("动态口令设备无效，请刷新页面重试。"))
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or not device.verify_token(token):
        raise DomainError("invalid_token", _("动态口令不正确或已过期，请输入认证应用中当前显示的6位数字。"),
                          field="token")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=AuditAction.UPDATE, obj=user, changes={"otp": ["未启用", "已启用"]},
                 region_code=user.scope_code or "")
    return device
