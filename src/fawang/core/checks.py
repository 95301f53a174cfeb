"""Deployment checks (``fawang check --deploy``): settings that are right for ``./run``'s demo but
wrong, or quietly weaker, in a real deployment. Django's own ``--deploy`` checks (HTTPS, cookies)
run beside these. Messages are for the people who deploy the platform, in English like Django's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning

from fawang.core.notifications import CONSOLE_ADAPTER_PATH as CONSOLE_ADAPTER


@register(Tags.security, deploy=True)
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The demo keys are public (they are in this repository)."""
    messages: list[CheckMessage] = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        messages.append(Error("FAWANG_SECRET_KEY is not set: the demo key is public.",
                              hint="Set FAWANG_SECRET_KEY to a long random string.", id="fawang.E001"))
    if settings.DEMO_PII_KEY in settings.PII_KEYS:
        messages.append(Error(
            "FAWANG_PII_KEYS contains the demo key: personal data encrypted with it can be read by anyone.",
            hint="Generate a key (python -c 'from fawang.core.pii import generate_key; print(generate_key())'), "
                 "put it first in FAWANG_PII_KEYS and run `fawang rotate-pii-keys`.", id="fawang.E002"))
    if not settings.PII_BLIND_INDEX_KEY:
        messages.append(CheckWarning(
            "FAWANG_PII_BLIND_INDEX_KEY is not set: lookups by ID number and phone use the oldest PII key, "
            "and break when that key is removed.",
            hint="Set it once to the current oldest key of FAWANG_PII_KEYS and never change it.", id="fawang.W003"))
    return messages


@register(deploy=True)
def check_channels(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Notices that would silently go nowhere, and WeChat set up by half."""
    from fawang.portal.wechat_push import push_available

    messages: list[CheckMessage] = []
    adapters = settings.FAWANG_NOTIFICATION_ADAPTERS
    if adapters.get("sms") == CONSOLE_ADAPTER:
        messages.append(CheckWarning(
            "SMS notices are only written to the log (console adapter): citizens get no SMS.",
            hint="Set FAWANG_SMS_ADAPTER to the dotted path of the SMS gateway's adapter.", id="fawang.W010"))
    token, app_id = settings.FAWANG_WECHAT_TOKEN, settings.FAWANG_WECHAT_APP_ID
    if settings.FAWANG_WECHAT_APP_SECRET and not app_id:
        messages.append(Error("FAWANG_WECHAT_APP_SECRET is set without FAWANG_WECHAT_APP_ID: nothing can be "
                              "pushed on WeChat.", id="fawang.E011"))
    if token and not push_available():
        messages.append(CheckWarning(
            "The WeChat account answers in the chat but cannot write first: answers later than ~14 s are lost, "
            "and notices of cases that began in a chat go by SMS or not at all.",
            hint="Set FAWANG_WECHAT_APP_ID and FAWANG_WECHAT_APP_SECRET.", id="fawang.W012"))
    if push_available() and not settings.FAWANG_PUBLIC_URL:
        messages.append(CheckWarning(
            "FAWANG_PUBLIC_URL is not set: the monthly hot topics and WeChat template notices carry no link.",
            hint="Set it to the site's public address, e.g. https://12348.example.gov.cn", id="fawang.W013"))
    return messages


@register(deploy=True)
def check_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [CheckWarning(
            "The cache is per process: rate limits and the progress-lookup lockout count per web worker, "
            "so each limit is in effect multiplied by the number of workers.",
            hint="Set FAWANG_CACHE_URL=redis://… (another Redis database than huey's).", id="fawang.W014")]
    return []
