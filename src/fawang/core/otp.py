"""Optional two-factor sign-in (TOTP, django-otp) for staff.

A user who has confirmed a TOTP device must enter a token after the password before any staff
page, the admin or the staff API answers; users without a device are not affected. The check
is ``otp_pending(request)``; ``OTPEnforcementMiddleware`` applies it to every request outside
the sign-in pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_confirmed_device(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_pending(request: HttpRequest) -> bool:
    """Whether the signed-in user still has to enter a TOTP token in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_fawang_otp_pending", None)
    if cached is None:
        verified = getattr(user, "is_verified", lambda: False)()
        cached = (not verified) and has_confirmed_device(user)
        request._fawang_otp_pending = cached  # type: ignore[attr-defined]
    return cached
