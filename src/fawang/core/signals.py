"""Sign-ins, sign-outs and failed sign-ins go to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fawang.core.audit import audit_record
from fawang.core.models import AuditAction


def _region(user: Any) -> str:
    return (getattr(user, "scope_code", None) or "") if user is not None else ""


@receiver(user_logged_in, dispatch_uid="fawang_audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, region_code=_region(user))


@receiver(user_logged_out, dispatch_uid="fawang_audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, region_code=_region(user))


@receiver(user_login_failed, dispatch_uid="fawang_audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user",
                 object_repr=username, detail=username)
