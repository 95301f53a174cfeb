"""Authentication for the ninja API: the Django session, plus a staff-role requirement.

``staff_auth``: 401 when nobody is signed in; 403 (``PermissionDenied``) for a signed-in
user without a staff role, or one who still owes a TOTP token. ``user_auth``: any signed-in,
active user (citizens included). Both check CSRF on unsafe methods, like Django forms.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import SessionAuth

from fawang.core.errors import PermissionDenied
from fawang.core.permissions import is_staff_user, require_permission


class UserSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        from fawang.core.otp import otp_pending

        if otp_pending(request):
            raise PermissionDenied(_("请先完成动态口令验证。"))
        # ``request.user`` is a lazy proxy (evaluated by now): every attribute read goes
        # through it. Services read the acting user's role, scope and point dozens of times a
        # call, so operations get the user object itself.
        return getattr(user, "_wrapped", user)


class StaffSessionAuth(UserSessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not is_staff_user(user):
            raise PermissionDenied(_("该功能仅限工作人员使用。"))
        return user


user_auth = UserSessionAuth()
staff_auth = StaffSessionAuth()


def staff_user(request: HttpRequest, action: str | None = None) -> Any:
    """The authenticated staff user of a request (for operations under ``staff_auth``),
    checking ``action`` when given."""
    user = request.auth  # type: ignore[attr-defined]
    if action is not None:
        require_permission(user, action)
    return user
