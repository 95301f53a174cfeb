"""Links in messages sent outside a request (SMS, WeChat pushes), where no request knows the host."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse


def public_url(view_name: str, **query: str) -> str:
    """The absolute address of ``view_name`` under ``FAWANG_PUBLIC_URL``, or "" when the
    deployment has not set its public address (the message then goes without a link)."""
    base = getattr(settings, "FAWANG_PUBLIC_URL", "").rstrip("/")
    if not base:
        return ""
    return f"{base}{reverse(view_name)}" + (f"?{urlencode(query)}" if query else "")
