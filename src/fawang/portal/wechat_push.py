"""Writing to a follower first (客服消息): how results reach a citizen who asked on WeChat (O4).

A passive reply answers one message within 5 seconds. Everything later — an answer that took
longer, a staff member's reply, a legal aid decision on a consultation asked on WeChat — has to
be pushed with WeChat's customer-service message API (``message/custom/send``), which needs the
account's AppSecret and is allowed only within 48 hours of the follower's last message.

``WechatCustomerMessageAdapter`` is the outbox adapter for the "wechat" channel (recipient: the
follower's openid). It is what ``FAWANG_WECHAT_ADAPTER`` defaults to once
``FAWANG_WECHAT_APP_SECRET`` is set. When WeChat says the follower is out of reach (48 hours
passed, account unfollowed, too many unanswered pushes), the adapter raises
``NotificationHeld``: a case notice then goes by SMS if the case knows a phone, otherwise it
waits and is released the next time the follower writes (``services_wechat``).

Access tokens come from ``stable_token``, WeChat's endpoint for servers with several processes:
asking again returns the same valid token instead of invalidating the one other workers hold
(the older ``token`` endpoint does that). Tokens are kept in Django's cache until 5 minutes
before they expire.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from fawang.core.links import public_url
from fawang.core.notifications import (
    CONSOLE_ADAPTER_PATH,
    NotificationAdapter,
    NotificationError,
    NotificationHeld,
)
from fawang.portal.wechat import REPLY_MAX_BYTES, fit_reply

ADAPTER_PATH = "fawang.portal.wechat_push.WechatCustomerMessageAdapter"
DEFAULT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
# A token is thrown away this many seconds before WeChat says it expires.
TOKEN_MARGIN_SECONDS = 300
HTTP_TIMEOUT_SECONDS = 5.0
# The follower cannot be written to now; writing again soon will not help.
OUT_OF_REACH = {
    45015: "the follower has not written in 48 hours",
    43004: "the follower does not follow the account",
    45047: "too many messages without an answer from the follower",
}
BAD_TOKEN = frozenset({40001, 40014, 42001})
T = TypeVar("T")


def push_available() -> bool:
    """Whether messages on the "wechat" channel really leave (the adapter is not the console's)."""
    path = settings.FAWANG_NOTIFICATION_ADAPTERS.get("wechat", "")
    return bool(path) and path != CONSOLE_ADAPTER_PATH


class CacheSessionStorage(SessionStorage):
    """wechatpy's token storage in Django's cache (shared by all workers when the cache is)."""

    prefix = "wechat-session:"

    def get(self, key: str, default: Any = None) -> Any:
        return cache.get(self.prefix + key, default)

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        timeout = max(int(ttl or 7200) - TOKEN_MARGIN_SECONDS, 60)
        cache.set(self.prefix + key, value, timeout)

    def delete(self, key: str) -> None:
        cache.delete(self.prefix + key)


class StableTokenClient(WeChatClient):
    """wechatpy's client, with tokens from ``stable_token`` and the API base from settings (so that
    tests can point it at a local fake server)."""

    def __init__(self, app_id: str, secret: str, *, api_base: str) -> None:
        super().__init__(app_id, secret, session=CacheSessionStorage(), timeout=HTTP_TIMEOUT_SECONDS,
                         auto_retry=False)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"

    def fetch_access_token(self, force_refresh: bool = False) -> dict:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
                "force_refresh": force_refresh}
        response = self._http.post(self.API_BASE_URL + "stable_token", data=json.dumps(body),
                                   headers={"Content-Type": "application/json"}, timeout=self.timeout)
        if response.status_code >= 400:
            raise WeChatClientException(None, f"stable_token: HTTP {response.status_code}")
        try:
            result = response.json()
        except ValueError as exc:
            raise WeChatClientException(None, f"stable_token: not JSON ({exc})") from exc
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg", ""))
        self.session.set(self.access_token_key, result["access_token"], int(result.get("expires_in", 7200)))
        return result


def client_from_settings() -> StableTokenClient:
    app_id = getattr(settings, "FAWANG_WECHAT_APP_ID", "")
    secret = getattr(settings, "FAWANG_WECHAT_APP_SECRET", "")
    if not (app_id and secret):
        raise NotificationError("WeChat pushes need FAWANG_WECHAT_APP_ID and FAWANG_WECHAT_APP_SECRET")
    return StableTokenClient(app_id, secret, api_base=getattr(settings, "FAWANG_WECHAT_API_BASE", "")
                             or DEFAULT_API_BASE)


def call_api(client: StableTokenClient, call: Callable[[], T]) -> T:
    """``call()``; if WeChat rejects the access token (expired early, renewed elsewhere), the
    token is renewed once (``force_refresh``) and ``call()`` runs again."""
    try:
        return call()
    except WeChatClientException as exc:
        if exc.errcode is None or int(exc.errcode) not in BAD_TOKEN:
            raise
    client.session.delete(client.access_token_key)
    client.fetch_access_token(force_refresh=True)
    return call()


class FollowerOutOfReach(NotificationHeld):
    """WeChat would not take the message for this follower now; ``code`` says why (OUT_OF_REACH)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"WeChat {code}: {OUT_OF_REACH[code]}")
        self.code = code


def _send(client: StableTokenClient, call: Callable[[], Any]) -> None:
    """One API send, its failures in the outbox's terms."""
    try:
        call_api(client, call)
    except WeChatClientException as exc:
        code = int(exc.errcode) if exc.errcode is not None else None
        if code in OUT_OF_REACH:
            raise FollowerOutOfReach(code) from exc
        raise NotificationError(f"WeChat {code}: {exc.errmsg}") from exc
    except OSError as exc:  # requests' connection errors and timeouts are OSErrors
        raise NotificationError(f"WeChat unreachable: {exc}") from exc


def push_text(client: StableTokenClient, openid: str, text: str) -> None:
    """Send ``text`` to the follower as a customer-service message. Raises ``FollowerOutOfReach``
    when WeChat will not take it now, ``NotificationError`` on any other failure."""
    content = fit_reply(text, REPLY_MAX_BYTES)
    _send(client, lambda: client.message.send_text(openid, content))


# Template keys (``thing1``, ``character_string2`` …) take values of limited length and alphabet.
TEMPLATE_VALUE_LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10, "number": 32, "letter": 32,
                         "symbol": 5, "car_number": 8, "phone_number": 17}


def template_data(message: Any, fields: str, number: str = "") -> dict[str, dict[str, str]]:
    """The template message's ``data`` for an outbox message: ``fields`` maps each template key to
    one of subject, body, number (``number``: the related case's), time (when the notice was
    written), platform; values are cut to what each kind of key accepts."""
    sources = {
        "subject": message.subject, "body": message.body.replace("\n", " "), "number": number,
        "time": timezone.localtime(message.created_at).strftime("%Y年%m月%d日 %H:%M"),
        "platform": getattr(settings, "FAWANG_PLATFORM_NAME", ""),
    }
    data = {}
    for pair in filter(None, (p.strip() for p in fields.split(","))):
        key, _sep, source = pair.partition("=")
        value = sources.get(source.strip(), "")
        kind = re.sub(r"\d+$", "", key.strip())
        if kind in ("character_string", "letter", "number"):
            value = re.sub(r"[^0-9A-Za-z_-]", "", value)
        limit = TEMPLATE_VALUE_LIMITS.get(kind, 200)
        if len(value) > limit:
            value = value[: limit - 1] + "…" if kind in ("thing", "name") else value[:limit]
        data[key.strip()] = {"value": value}
    return data


def push_template(client: StableTokenClient, message: Any, template_id: str) -> None:
    """Send the notice as a template message (模板消息), which WeChat delivers without the 48-hour
    window to followers of the account. Same failures as ``push_text``."""
    number = _case_number(message)
    data = template_data(message, settings.FAWANG_WECHAT_NOTICE_TEMPLATE_FIELDS, number)
    url = public_url("portal:progress", number=number) if number else ""
    _send(client, lambda: client.message.send_template(message.recipient, template_id, data, url=url or None))


def _case_number(message: Any) -> str:
    if message.related_type != "cases.case" or not message.related_id:
        return ""
    from fawang.cases.models import Case

    return Case.objects.filter(pk=message.related_id).values_list("number", flat=True).first() or ""


class WechatCustomerMessageAdapter(NotificationAdapter):
    """Outbox adapter for the "wechat" channel: a text customer-service message to the openid, or,
    once the follower's 48 hours are over, the notice template if the account has one
    (``FAWANG_WECHAT_NOTICE_TEMPLATE``)."""

    def send(self, message: Any) -> None:
        client = client_from_settings()
        text = f"{message.subject}\n{message.body}" if message.subject else message.body
        try:
            push_text(client, message.recipient, text)
        except FollowerOutOfReach as refused:
            template = getattr(settings, "FAWANG_WECHAT_NOTICE_TEMPLATE", "")
            if not template or refused.code == 43004:  # nothing reaches someone who unfollowed
                raise
            push_template(client, message, template)
