"""Sign-in extras: enrolling and checking a TOTP device (optional two-factor sign-in)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token

from fawang.accounts import services
from fawang.core.errors import DomainError
from fawang.core.otp import has_confirmed_device


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for an authenticator app and confirm the device with a first token."""
    if has_confirmed_device(request.user) and request.method == "GET":
        return render(request, "accounts/otp_setup.html", {"enabled": True})
    try:
        device = services.totp_device_for_enrolment(user=request.user)
    except DomainError as exc:
        return render(request, "accounts/otp_setup.html", {"error": exc.message}, status=403)
    error = ""
    if request.method == "POST":
        try:
            services.totp_confirm(user=request.user, device=device, token=request.POST.get("token", ""))
        except DomainError as exc:
            error = exc.message
        else:
            otp_login(request, device)
            messages.success(request, _("动态口令已启用，今后登录需要输入认证应用中的6位数字。"))
            return redirect("accounts:otp_setup")
    context = {"qr_svg": _qr_svg(device.config_url), "secret": device.key, "error": error}
    return render(request, "accounts/otp_setup.html", context, status=400 if error else 200)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in for users with a confirmed device."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if request.user.is_verified() or not has_confirmed_device(request.user):
        return redirect(next_url)
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        device = match_token(request.user, token) if token.isdigit() else None
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        error = _("动态口令不正确或已过期，请重新输入。")
    return render(request, "accounts/otp_verify.html", {"next": next_url, "error": error},
                  status=400 if error else 200)
