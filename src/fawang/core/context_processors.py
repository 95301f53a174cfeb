"""Template context shared by every page: platform name and hotline number."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, str]:
    return {"platform_name": settings.FAWANG_PLATFORM_NAME, "hotline": settings.FAWANG_HOTLINE}
