"""Rate limits on the public writes that cost something, per client address.

Anyone may ask a question or ask for a call back without an account. A script doing so thousands
of times would spend the CPU a consultation costs (classifier, search) or fill the hotline's
call-back queue with junk. Each such write counts against a limit per client address and window;
past it the client gets 429 with a clear message and the number to call. Staff are never limited
(a hotline agent enters questions all day), and neither is the WeChat endpoint (all its requests
come from WeChat's servers, which limit their users themselves).

The limits are generous on purpose: mobile carriers put many citizens behind one address, and a
village kiosk serves a whole village from one. Counts live in Django's cache: per process with the
default local-memory cache (the limit is then per web worker), shared with ``FAWANG_CACHE_URL`` (Redis).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError
from fawang.core.permissions import is_staff_user

# Scope → (requests, seconds). Overridden per scope by ``settings.FAWANG_THROTTLE``, which reads
# FAWANG_THROTTLE_CONSULT / FAWANG_THROTTLE_CALLBACK (``fawang.env.env_rate``).
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "consult": (60, 600),     # smart consultations: 60 in 10 minutes
    "callback": (10, 3600),   # call-back requests: 10 an hour
}


class Throttled(DomainError):
    status_code = 429

    def __init__(self) -> None:
        super().__init__("throttled", _("操作过于频繁，请稍后再试；急事请直接拨打%(hotline)s热线。") % {
            "hotline": getattr(settings, "FAWANG_HOTLINE", "12348")})


def client_address(request: HttpRequest) -> str:
    """The client's address as far as it can be trusted.

    Behind ``FAWANG_TRUSTED_PROXIES`` = N reverse proxies, each of which appends the address it saw
    to X-Forwarded-For, the client is the N-th entry from the right; entries further left are
    whatever the client chose to send. With no proxy (``./run``), REMOTE_ADDR.
    """
    proxies = int(getattr(settings, "FAWANG_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def throttle_check(request: HttpRequest, scope: str, *, now: float | None = None) -> None:
    """Count one ``scope`` write for the request's client; raise ``Throttled`` past the limit."""
    if not is_staff_user(request.user):
        throttle_hit(scope, client_address(request), now=now)


def throttle_hit(scope: str, client: str, *, now: float | None = None) -> None:
    """Count one ``scope`` write for ``client`` (an address, or another identity such as a WeChat
    follower's openid); raise ``Throttled`` past the limit. Fixed windows of the limit's length."""
    count, seconds = {**DEFAULT_LIMITS, **getattr(settings, "FAWANG_THROTTLE", {})}.get(scope, (0, 0))
    if count <= 0 or seconds <= 0 or not client:
        return
    window = int((time.time() if now is None else now) // seconds)
    key = f"throttle:{scope}:{client}:{window}"
    cache.add(key, 0, timeout=seconds + 60)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 60)
        used = 1
    if used > count:
        raise Throttled()
