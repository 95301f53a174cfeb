"""Request context for the audit trail: who is acting, from where, on which channel."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fawang.core import audit_context
from fawang.core.throttle import client_address


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The address the trusted proxies saw, not what the client wrote into X-Forwarded-For:
        # the audit trail must not record an address of the client's choosing.
        token = audit_context.set_request_context(user=request.user, ip_address=client_address(request),
                                                  path=request.path)
        try:
            return self.get_response(request)
        finally:
            audit_context.reset(token)


# Paths a user with a pending TOTP check may still open: sign-in/out, the token page itself,
# language switching and static files.
OTP_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/favicon.ico")


class OTPEnforcementMiddleware:
    """Users with a confirmed TOTP device must verify a token before anything else.

    Goes after ``django_otp.middleware.OTPMiddleware`` (which provides ``user.is_verified``).
    Pages redirect to the token form; the API answers 403 with a machine-readable code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from fawang.core.otp import otp_pending

        if request.path.startswith(OTP_EXEMPT_PREFIXES) or not otp_pending(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse
            from django.utils.translation import gettext

            return JsonResponse(
                {"code": "otp_required", "message": gettext("请先完成动态口令验证。")}, status=403
            )
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
