"""Answering citizens on the WeChat official account (掌上12348): the same smart consultation as the
website, replied in the chat.

A question typed (or spoken, when the account has WeChat's speech recognition on) goes through
``consultation.services.consult`` with channel "wechat", like every other channel, so it is
classified, answered with cited articles, recorded and filed as a consultation case; the reply
carries the short answer, a link to the full 法律咨询意见书 (page and PDF), the nearest service point
and the way to a person ("人工"). A shared location picks the follower's nearest service point,
which later answers (and the consultation's region, hence its case) use.

Every message is written down before it is answered, so nothing a citizen sent is lost if
answering fails, and a message WeChat retries (same MsgId) gets the reply already given, or waits
for the one being written, instead of starting a second consultation.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.consultation.choices import ConsultChannel
from fawang.consultation.models import SmartConsultation
from fawang.consultation.selectors import nearest_service_point
from fawang.consultation.services import consult
from fawang.core.errors import DomainError
from fawang.core.throttle import throttle_hit
from fawang.portal.models import ReplyPush, WechatFollower, WechatHeldNotice, WechatMessage
from fawang.portal.wechat import REPLY_MAX_BYTES, InboundMessage, fit_reply

logger = logging.getLogger(__name__)

# Words that ask for a person or for the instructions rather than ask a legal question.
HUMAN_WORDS = frozenset({"人工", "转人工", "人工服务", "人工客服", "找人工", "真人", "客服"})
HELP_WORDS = frozenset({"帮助", "help", "?", "？", "菜单", "你好", "您好", "在吗", "在不在", "hi", "hello"})
HOT_WORDS = frozenset({"热点", "热点问题", "热门", "热门问题"})
# "回电 张先生 13800138000": a call back asked for in the chat, for those who find forms hard.
CALLBACK_REQUEST = re.compile(r"^\s*(?:请)?(?:回电|回拨|给我回电)[\s:：,，]*(?P<rest>.*)$", re.S)
PHONE_IN_TEXT = re.compile(r"(?:\+?86[-\s]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,4})?)")
# "进度" (this follower's matters) or "进度 41010220261208000002 558159" (any case, with its query code).
PROGRESS_REQUEST = re.compile(r"^\s*(?:查询?进度|进度查询|进度|我的事项|办理进度)[\s:：,，]*(?P<rest>.*)$", re.S)
CASE_NUMBER = re.compile(r"\d{12,32}")
QUERY_CODE = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
# Custom menu buttons a deployment may configure on the account (click events).
MENU_HUMAN = "FAWANG_HUMAN"
MENU_HELP = "FAWANG_HELP"
MENU_HOT = "FAWANG_HOT"
MENU_PROGRESS = "FAWANG_PROGRESS"
# How long a retried message waits for the first request's reply (WeChat gives each try 5 seconds).
RETRY_WAIT_SECONDS = 4.0


@dataclass(frozen=True)
class ReplyLinks:
    """Absolute URLs for the reply text; built by the view, which knows the public host."""

    opinion: Callable[[SmartConsultation], str]
    ask: str
    faq: str
    progress: str = ""


def _hotline() -> str:
    return getattr(settings, "FAWANG_HOTLINE", "12348")


def welcome_text() -> str:
    return _("您好，这里是%(platform)s。请直接发送文字（或语音）说明您遇到的法律问题，我们会引用相关法律条文答复，"
             "并出具可保存的法律咨询意见书。\n回复“人工”可转人工服务；回复“热点”看看大家最近常问的问题；回复“进度”查询办理进度；"
             "发送您的位置，可查询就近的公共法律服务站点。\n"
             "智能答复仅供参考，不构成正式法律意见。%(hotline)s公共法律服务热线7×24小时为您服务。") % {
        "platform": getattr(settings, "FAWANG_PLATFORM_NAME", "12348法网"), "hotline": _hotline()}


def _human_text(follower: WechatFollower, links: ReplyLinks) -> str:
    last = follower.last_consultation
    url = (links.opinion(last) if last is not None else links.ask) + "#callback"
    return _("人工服务：请拨打%(hotline)s公共法律服务热线（7×24小时）。\n"
             "需要工作人员给您回电，请回复“回电 称呼 手机号”，例如：回电 张先生 13800138000；"
             "也可以打开下面的链接填写：\n%(url)s") % {"hotline": _hotline(), "url": url}


def _callback_text(follower: WechatFollower, rest: str) -> str:
    """A call back asked for in the chat: recorded for the hotline like one asked for on the website."""
    from fawang.consultation.services import callback_request_create
    from fawang.core.pii import mask_phone

    found = PHONE_IN_TEXT.search(rest)
    if found is None:
        return _("请在“回电”后写上您的称呼和电话，例如：回电 张先生 13800138000。")
    name = re.sub(r"[\s,，。:：;；]+", " ", rest[: found.start()] + " " + rest[found.end():]).strip()[:50]
    last = follower.last_consultation
    try:
        throttle_hit("callback", f"wechat:{follower.openid}")
        request = callback_request_create(
            name=name or _("微信用户"), phone=found.group(0), consultation=last,
            note=_("微信公众号留言申请回电"), region_code=follower.region_code or (last.region_code if last else ""))
    except DomainError as exc:
        return exc.message
    return _("已收到您的回电请求。工作人员会尽快拨打%(phone)s与您联系（号码已部分隐去）。"
             "着急的话，也可以直接拨打%(hotline)s热线。") % {"phone": mask_phone(request.phone), "hotline": _hotline()}


def _progress_line(number: str, item: str, status_label: str, last_at: Any = None, last_label: str = "") -> str:
    """One matter: what, its number, its status and its latest public step with the date."""
    step = "" if last_at is None else _("，%(date)s %(label)s") % {
        "date": timezone.localtime(last_at).strftime("%m-%d"), "label": last_label}
    return _("%(item)s（%(number)s）：%(status)s%(step)s") % {
        "item": item, "number": number, "status": status_label, "step": step}


def _progress_text(follower: WechatFollower, rest: str, links: ReplyLinks) -> str:
    """Progress of a matter in the chat: by number and query code (as on the website), or, with
    neither, the matters that began in this follower's own consultations (WeChat vouches for the
    openid, so no code is asked for those)."""
    from fawang.cases.models import CaseEvent
    from fawang.cases.selectors import case_progress_for_citizen
    from fawang.consultation.selectors_line import cases_converted_from
    from fawang.core.errors import NotFoundOrForbidden

    number = CASE_NUMBER.search(rest)
    if number is not None:
        code = QUERY_CODE.search(rest[: number.start()] + " " + rest[number.end():])
        if code is None:
            return _("请在编号后写上查询码，例如：进度 41010220261208000002 558159（查询码见登记通知）。")
        try:
            progress = case_progress_for_citizen(number.group(0), code.group(0))
        except NotFoundOrForbidden:
            return _("没有找到该事项，请核对编号和查询码。")
        except DomainError as exc:
            return exc.message
        last = progress["steps"][-1] if progress["steps"] else {"at": None, "label": ""}
        return _progress_line(progress["number"], progress["item"], progress["status_label"], last["at"],
                              str(last["label"]))
    numbers = list(WechatMessage.objects.filter(follower=follower, consultation__case_number__gt="")
                   .order_by("-received_at").values_list("consultation__case_number", flat=True)[:50])
    cases = list(cases_converted_from(numbers).select_related("item").order_by("-received_at")[:5])
    if not cases:
        text = _("您在微信上还没有转为申请的事项。查询其他事项，请回复“进度 事项编号 查询码”；"
                 "咨询的答复和意见书链接在之前的消息里。")
        return text + ("\n" + _("也可以在网页查询：%(url)s") % {"url": links.progress} if links.progress else "")
    lines = [_("您的事项办理进度：")]
    for case in cases:
        last = CaseEvent.objects.filter(case=case, public=True).order_by("-at", "-id").first()
        lines.append(_progress_line(case.number, case.item.name, str(case.get_status_display()),
                                    last.at if last else None, last.label if last else ""))
    lines.append(_("有新进展会在这里通知您。"))
    return "\n".join(lines)


def hot_topics_text(region_code: str, faq_url: str, *, now: Any = None, if_empty: bool = True) -> str | None:
    """The most asked categories and FAQ questions in ``region_code`` over 30 days (F16), as a chat
    message. When nothing was asked there: a "no figures yet" message, or None if not ``if_empty``."""
    from fawang.consultation.selectors import hot_topics
    from fawang.regions.models import Division

    hot = hot_topics(region_code=region_code, days=30, limit=5, now=now)
    if not hot["categories"] and not if_empty:
        return None
    place = ""
    if region_code:
        place = Division.objects.filter(code=region_code).values_list("name", flat=True).first() or ""
    lines = [_("近30天%(place)s群众咨询最多的问题：") % {"place": place or _("本平台")}]
    if not hot["categories"]:
        lines.append(_("暂无统计。"))
    for n, row in enumerate(hot["categories"], 1):
        lines.append(_("%(n)d. %(category)s（%(count)d次）") % {"n": n, **row})
    if hot["questions"]:
        lines.append(_("大家常问："))
        lines.extend(f"· {row['question']}" for row in hot["questions"])
    if faq_url:
        lines.append(_("更多常见法律问题：%(url)s") % {"url": faq_url})
    lines.append(_("想了解哪一个，直接把您的问题发给我们。"))
    return "\n".join(lines)


def _hot_text(follower: WechatFollower, links: ReplyLinks) -> str:
    return hot_topics_text(follower.region_code, links.faq) or ""


def _point_line(point: Any) -> str:
    details = "，".join(x for x in (point.address, _("电话%(phone)s") % {"phone": point.phone} if point.phone else "",
                                   point.opening_hours) if x)
    distance = getattr(point, "distance_km", None)
    where = _("（约%(km)s公里）") % {"km": distance} if distance is not None else ""
    return _("就近服务点：%(name)s%(where)s%(details)s") % {
        "name": point.name, "where": where, "details": f"，{details}" if details else ""}


def _answer_text(consultation: SmartConsultation, links: ReplyLinks) -> str:
    """The consultation's answer, then what always has to fit: the link to the opinion, the service
    point and the way to a person. Only the answer is shortened to stay within WeChat's limit."""
    tail = [_("完整的法律咨询意见书（可下载PDF）：\n%(url)s") % {"url": links.opinion(consultation)}]
    if consultation.service_point is not None:
        tail.append(_point_line(consultation.service_point))
    else:
        tail.append(_("发送您的位置，可查询就近的公共法律服务站点。"))
    tail.append(_("需要人工帮助请回复“人工”，或拨打%(hotline)s热线。") % {"hotline": _hotline()})
    tail_text = "\n\n" + "\n".join(tail)
    room = REPLY_MAX_BYTES - len(tail_text.encode("utf-8"))
    return fit_reply(consultation.answer_text, room) + tail_text


def _scanned_point(message: InboundMessage) -> Any:
    """The active service point whose code is the scene of the QR code just scanned, if any."""
    from fawang.regions.models import ServicePoint

    code = message.event_key.removeprefix("qrscene_").strip()
    if message.event not in ("subscribe", "scan") or not code:
        return None
    return ServicePoint.objects.filter(code=code, is_active=True).first()


def _remember_location(follower: WechatFollower, message: InboundMessage) -> Any:
    point = nearest_service_point(lat=message.latitude, lng=message.longitude)
    if point is not None:
        follower.service_point = point
        follower.region_code = point.region_code
        follower.save(update_fields=["service_point", "region_code"])
    return point


def _respond(message: InboundMessage, follower: WechatFollower,
             links: ReplyLinks) -> tuple[str, SmartConsultation | None]:
    if message.kind == "event":
        # A service point's poster carries the account's QR code with the point's code as its scene
        # (带参数二维码): following or scanning it ties the follower to that point.
        scanned = _scanned_point(message)
        if scanned is not None:
            follower.service_point, follower.region_code = scanned, scanned.region_code
            follower.save(update_fields=["service_point", "region_code"])
        if message.event.startswith("subscribe"):
            follower.is_subscribed = True
            follower.save(update_fields=["is_subscribed"])
            if scanned is not None:
                return welcome_text() + "\n" + _point_line(scanned), None
            return welcome_text(), None
        if message.event == "scan" and scanned is not None:
            return _point_line(scanned) + "\n" + _("之后您的咨询将按此地就近安排。"), None
        if message.event == "unsubscribe":
            follower.is_subscribed = False
            follower.save(update_fields=["is_subscribed"])
            return "", None
        if message.event == "location" and message.latitude is not None:
            # WeChat reports the location on its own while the chat is open: remember it, say nothing.
            _remember_location(follower, message)
            return "", None
        if message.event == "click" and message.event_key == MENU_HUMAN:
            return _human_text(follower, links), None
        if message.event == "click" and message.event_key == MENU_HELP:
            return welcome_text(), None
        if message.event == "click" and message.event_key == MENU_HOT:
            return _hot_text(follower, links), None
        if message.event == "click" and message.event_key == MENU_PROGRESS:
            return _progress_text(follower, "", links), None
        return "", None
    if message.kind == "location" and message.latitude is not None and message.longitude is not None:
        point = _remember_location(follower, message)
        if point is None:
            return _("暂未找到您附近登记的公共法律服务站点，请拨打%(hotline)s热线咨询。") % {"hotline": _hotline()}, None
        return _point_line(point) + "\n" + _("之后您的咨询将按此地就近安排。"), None
    if message.kind not in ("text", "voice"):
        return _("目前只能答复文字或语音消息。请用文字说明您的问题，或拨打%(hotline)s热线。") % {"hotline": _hotline()}, None
    if not message.text:
        return _("抱歉，没有听清您的语音。请用文字说明您的问题，或拨打%(hotline)s热线。") % {"hotline": _hotline()}, None
    word = message.text.strip().strip("。！!").lower()
    if word in HUMAN_WORDS:
        return _human_text(follower, links), None
    if word in HELP_WORDS:
        return welcome_text(), None
    if word in HOT_WORDS:
        return _hot_text(follower, links), None
    progress = PROGRESS_REQUEST.match(message.text)
    if progress is not None:
        return _progress_text(follower, progress.group("rest"), links), None
    callback = CALLBACK_REQUEST.match(message.text)
    if callback is not None:
        return _callback_text(follower, callback.group("rest")), None
    try:
        # No LLM phrasing here: WeChat drops a reply that takes over 5 seconds (the LLM may take 20),
        # and the template answer is the same grounded answer; the opinion page carries it in full.
        consultation = consult(question=message.text, channel=ConsultChannel.WECHAT, region_code=follower.region_code,
                               use_llm=False)
    except DomainError as exc:
        return exc.message, None
    follower.last_consultation = consultation
    follower.save(update_fields=["last_consultation"])
    return _answer_text(consultation, links), consultation


def _recorded_reply(pk: int) -> str:
    """The reply to a message WeChat sent again. WeChat resends a message after 5 seconds without a
    reply, twice; if the first request is still answering (a cold worker, a slow database), this
    waits for its reply rather than answer nothing.

    If the reply is still not written when the wait ends and pushes are configured, the message is
    marked for a push and WeChat gets an empty reply (no further retries): the answering request
    then sends its reply as a customer-service message, whenever it finishes. The mark is set only
    while no reply is recorded, and the answering request looks for it only after recording its
    reply, so exactly one of the two delivers it. Without pushes, an answer that takes more than
    ~14 seconds (both retries used up) is recorded but not delivered.
    """
    from fawang.portal.wechat_push import push_available

    deadline = time.monotonic() + RETRY_WAIT_SECONDS
    while True:
        row = WechatMessage.objects.filter(pk=pk).values("reply", "replied_at", "push").first()
        if row is None:
            return ""
        if row["push"]:
            return ""  # an earlier retry handed the reply over to a push
        if row["replied_at"] is not None:
            return row["reply"]
        if time.monotonic() >= deadline:
            if push_available() and WechatMessage.objects.filter(
                    pk=pk, replied_at__isnull=True, push=ReplyPush.NONE).update(push=ReplyPush.WANTED):
                return ""
            row = WechatMessage.objects.filter(pk=pk).values("reply", "replied_at", "push").first()
            return row["reply"] if row and not row["push"] else ""
        time.sleep(0.2)


def _push_late_reply(record: WechatMessage, follower: WechatFollower) -> None:
    """Send the reply as a customer-service message if a retry gave up waiting for it."""
    from fawang.core.outbox import outbox_enqueue

    with transaction.atomic():
        if not WechatMessage.objects.filter(pk=record.pk, push=ReplyPush.WANTED).update(push=ReplyPush.QUEUED):
            return
        outbox_enqueue(channel="wechat", recipient=follower.openid, subject="", body=record.reply,
                       idempotency_key=f"wechat-reply:{record.pk}", related=record.consultation,
                       region_code=follower.region_code)


# Interactions after which WeChat lets the account write to the follower for 48 hours.
REOPENING_EVENTS = frozenset({"subscribe", "scan", "click"})


def _release_held_notices(follower: WechatFollower, message: InboundMessage) -> int:
    """The follower is back: notices WeChat refused while they were away go out now."""
    from fawang.core.outbox import outbox_release

    if message.kind == "event" and message.event not in REOPENING_EVENTS:
        return 0
    held = list(WechatHeldNotice.objects.filter(follower=follower).values_list("pk", "outbox_message_id"))
    if not held:
        return 0
    released = outbox_release([outbox_id for _pk, outbox_id in held])
    WechatHeldNotice.objects.filter(pk__in=[pk for pk, _outbox_id in held]).delete()
    return released


def wechat_notice_held(message: Any) -> None:
    """Remember a notice WeChat refused (the follower out of reach) until the follower writes again;
    not when the business line already sent it another way (``outbox_message_held`` receivers)."""
    from fawang.core.models import OutboxMessage, OutboxStatus

    if message.channel != "wechat":
        return
    follower = WechatFollower.objects.filter(openid=message.recipient).first()
    if follower is None or not OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.HELD).exists():
        return
    WechatHeldNotice.objects.get_or_create(outbox_message_id=message.pk, defaults={"follower": follower})


def wechat_openid_for_case(case: Any) -> str | None:
    """The openid of the follower whose WeChat consultation this case is, or was converted from
    (``register_citizen_address_resolver``); None when pushes are off or the case did not start
    in a WeChat chat (e.g. a window clerk recorded "WeChat" as the channel)."""
    from fawang.cases.models import Case
    from fawang.consultation.selectors_line import converted_from_number
    from fawang.portal.wechat_push import push_available

    if not push_available():
        return None
    public_id = (case.form_data or {}).get("consultation")
    origin_number = "" if public_id else converted_from_number(case)
    if origin_number:
        origin = Case.objects.filter(number=origin_number).values_list("form_data", flat=True).first()
        public_id = (origin or {}).get("consultation")
    if not public_id:
        return None
    return (WechatMessage.objects.filter(consultation__public_id=public_id)
            .values_list("follower__openid", flat=True).first())


def wechat_message_receive(*, message: InboundMessage, links: ReplyLinks) -> str:
    """Record ``message``, answer it once, and return the reply text ("" = nothing to say)."""
    now = timezone.now()
    with transaction.atomic():
        follower, _created = WechatFollower.objects.get_or_create(openid=message.openid)
        record, created = WechatMessage.objects.get_or_create(
            message_key=message.key,
            defaults={"follower": follower, "kind": message.kind, "event": message.event,
                      # a shared location's address label is not kept: the nearest point is enough
                      "text": message.text or message.event_key},
        )
        if created:
            WechatFollower.objects.filter(pk=follower.pk).update(last_seen_at=now)
            _release_held_notices(follower, message)
    if not created:
        return _recorded_reply(record.pk)
    try:
        reply, consultation = _respond(message, follower, links)
    except Exception:  # the citizen must hear something; the message itself is already saved
        logger.exception("WeChat message %s could not be answered", message.key)
        reply, consultation = _("抱歉，系统暂时无法答复，请稍后再试，或拨打%(hotline)s热线。") % {"hotline": _hotline()}, None
    record.reply, record.consultation, record.replied_at = reply, consultation, timezone.now()
    record.save(update_fields=["reply", "consultation", "replied_at"])
    if reply:
        _push_late_reply(record, follower)
    return reply
