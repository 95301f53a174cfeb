"""The WeChat official account's wire protocol (掌上12348), a thin adapter over ``wechatpy``.

WeChat's server calls one URL of ours: a GET to check that we hold the account's token (we echo
``echostr`` when the signature matches), then a POST for every message or event a citizen sends.
In "safe mode" (安全模式) the POST body is AES-encrypted with the account's EncodingAESKey and signed
over the ciphertext; our reply must be encrypted the same way. A reply is the HTTP response itself
(被动回复), due within 5 seconds, otherwise WeChat retries the same message up to three times.

This module only speaks the protocol: it checks signatures, decrypts, turns the XML into an
``InboundMessage`` and renders a text reply. What to answer is ``fawang.portal.services_wechat``'s
business; nothing here touches the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import xmltodict
from django.conf import settings
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

# WeChat truncates (or refuses) passive text replies longer than this many bytes of UTF-8.
REPLY_MAX_BYTES = 2048
# Real messages are a few hundred bytes; anything much larger is not from WeChat.
BODY_MAX_BYTES = 64 * 1024
# Seconds a signed request stays acceptable (WeChat signs each request as it sends it).
SIGNATURE_MAX_AGE = 600


class ProtocolError(Exception):
    """The request is not a well-formed, correctly signed WeChat request."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WechatAccount:
    """The official account this node answers for, from settings (``FAWANG_WECHAT_*``)."""

    token: str
    app_id: str = ""
    aes_key: str = ""

    @classmethod
    def from_settings(cls) -> WechatAccount | None:
        token = getattr(settings, "FAWANG_WECHAT_TOKEN", "")
        if not token:
            return None
        return cls(token=token, app_id=getattr(settings, "FAWANG_WECHAT_APP_ID", ""),
                   aes_key=getattr(settings, "FAWANG_WECHAT_AES_KEY", ""))

    def crypto(self) -> WeChatCrypto:
        if not (self.aes_key and self.app_id):
            raise ProtocolError("safe mode needs FAWANG_WECHAT_AES_KEY and FAWANG_WECHAT_APP_ID", status=403)
        return WeChatCrypto(self.token, self.aes_key, self.app_id)


@dataclass(frozen=True)
class InboundMessage:
    """One message or event from a citizen, in the terms the platform cares about.

    ``kind`` is WeChat's MsgType (text, voice, image, location, link, video, event …) and ``event``
    its Event in lower case for events. ``text`` is what the citizen said: the text, or WeChat's
    speech recognition of a voice message when the account has it switched on.
    """

    key: str
    openid: str
    account: str
    kind: str
    text: str = ""
    event: str = ""
    event_key: str = ""
    latitude: float | None = None
    longitude: float | None = None


def check_url_signature(account: WechatAccount, params: dict[str, str], *, now: float | None = None) -> None:
    """The query's signature (token, timestamp, nonce) and its freshness.

    In plain mode the signature does not cover the body, so a signed URL seen once could carry any
    message later: a timestamp more than ``SIGNATURE_MAX_AGE`` seconds away from our clock is refused.
    """
    try:
        check_signature(account.token, params.get("signature", ""), params.get("timestamp", ""),
                        params.get("nonce", ""))
    except InvalidSignatureException as exc:
        raise ProtocolError("invalid signature", status=403) from exc
    stamp = _float(params.get("timestamp"))
    if stamp is None or abs((time.time() if now is None else now) - stamp) > SIGNATURE_MAX_AGE:
        raise ProtocolError("stale or missing timestamp", status=403)


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def _message_key(data: dict[str, str]) -> str:
    """WeChat's own id for retries: MsgId for messages; events have none, and WeChat's documentation
    says to tell them apart by sender and CreateTime (to the second: the event and its key are added
    so that two different taps in one second stay two)."""
    if data.get("MsgId"):
        return f"msg:{data['MsgId']}"
    return "event:{}:{}:{}:{}".format(data.get("FromUserName", ""), data.get("CreateTime", ""),
                                      (data.get("Event") or "").lower(), data.get("EventKey") or "")[:160]


def _refuse_dtd(xml: str) -> None:
    """WeChat never sends a DTD; one is only good for entity expansion attacks on the parser."""
    if "<!DOCTYPE" in xml.upper() or "<!ENTITY" in xml.upper():
        raise ProtocolError("document type declarations are not accepted")


def parse_inbound(xml: str) -> InboundMessage:
    _refuse_dtd(xml)
    try:
        data = xmltodict.parse(xml)["xml"]
    except Exception as exc:  # expat errors, a missing <xml> root, a bare string
        raise ProtocolError("malformed XML") from exc
    if not isinstance(data, dict) or not data.get("FromUserName") or not data.get("MsgType"):
        raise ProtocolError("not a WeChat message")
    data = {k: v if isinstance(v, str) else ("" if v is None else str(v)) for k, v in data.items()}
    kind = data["MsgType"].lower()
    text = data.get("Content", "") if kind == "text" else data.get("Recognition", "") if kind == "voice" else ""
    lat, lng = (data.get("Location_X"), data.get("Location_Y")) if kind == "location" else (
        data.get("Latitude"), data.get("Longitude"))
    return InboundMessage(
        key=_message_key(data), openid=data["FromUserName"], account=data.get("ToUserName", ""), kind=kind,
        text=(text or "").strip(), event=(data.get("Event") or "").lower() if kind == "event" else "",
        event_key=data.get("EventKey", ""), latitude=_float(lat), longitude=_float(lng),
    )


def read_message(account: WechatAccount, params: dict[str, str], body: bytes) -> tuple[InboundMessage, bool]:
    """The message in a POST from WeChat, checked; and whether it came encrypted (then so must the
    reply)."""
    if len(body) > BODY_MAX_BYTES:
        raise ProtocolError("message too large", status=413)
    check_url_signature(account, params)
    xml = body.decode("utf-8", errors="replace")
    _refuse_dtd(xml)  # before wechatpy parses the envelope of an encrypted message
    encrypted = params.get("encrypt_type", "raw").lower() == "aes"
    if encrypted:
        try:
            xml = account.crypto().decrypt_message(xml, params.get("msg_signature", ""), params.get("timestamp", ""),
                                                   params.get("nonce", ""))
        except (InvalidSignatureException, InvalidAppIdException) as exc:
            raise ProtocolError("invalid message signature", status=403) from exc
        except ProtocolError:
            raise
        except Exception as exc:  # bad base64, padding or XML around the ciphertext
            raise ProtocolError("message cannot be decrypted") from exc
    return parse_inbound(xml), encrypted


def fit_reply(text: str, limit: int = REPLY_MAX_BYTES) -> str:
    """``text`` cut to ``limit`` bytes of UTF-8 at a character boundary, with an ellipsis if cut.

    "]]>" would end the reply's CDATA section early (wechatpy does not escape it), so it is broken up.
    """
    data = text.replace("]]>", "]] >").encode("utf-8")
    if len(data) <= limit:
        return data.decode("utf-8")
    return data[: limit - len("…".encode())].decode("utf-8", errors="ignore") + "…"


def render_reply(account: WechatAccount, message: InboundMessage, text: str, *, encrypted: bool,
                 nonce: str = "") -> str:
    """The passive reply (被动回复) XML: a text message back to the sender, encrypted when theirs was."""
    reply = TextReply(source=message.account, target=message.openid, content=fit_reply(text),
                      time=int(time.time())).render()
    if not encrypted:
        return reply
    return account.crypto().encrypt_message(reply, nonce or "fawang", str(int(time.time())))
