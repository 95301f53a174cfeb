"""What the portal keeps of the WeChat official account: who follows it and every message received.

Followers are known only by their openid (an id WeChat gives each user per account; no name, no
phone). A follower who shares a location is remembered by the service point nearest to it and
its division, not by the coordinates: that is all the answers need.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import OutboxStatus


class ReplyPush(models.TextChoices):
    """Whether a reply left as a customer-service message, because WeChat stopped waiting for it."""

    NONE = "", _("被动回复")
    WANTED = "wanted", _("答复后推送")
    QUEUED = "queued", _("已转推送")


class WechatFollower(models.Model):
    openid = models.CharField(_("微信用户标识"), max_length=64, unique=True)
    is_subscribed = models.BooleanField(_("关注中"), default=True)
    region_code = models.CharField(_("所属区划"), max_length=12, blank=True, db_index=True,
                                   help_text=_("用户发送位置后，按就近服务点确定"))
    service_point = models.ForeignKey("regions.ServicePoint", verbose_name=_("就近服务点"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    last_consultation = models.ForeignKey("consultation.SmartConsultation", verbose_name=_("最近一次咨询"),
                                          null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_seen_at = models.DateTimeField(_("首次来访"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近来访"), default=timezone.now)

    class Meta:
        verbose_name = _("微信公众号用户")
        verbose_name_plural = _("微信公众号用户")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.openid


class WechatMessage(models.Model):
    """One message or event as WeChat sent it, and the reply we gave (全程留痕).

    ``message_key`` is WeChat's retry identity (MsgId, or sender + time for events): a retried
    message finds its row and gets the same reply, so it is answered, and recorded, once.
    """

    message_key = models.CharField(_("消息标识"), max_length=160, unique=True)
    follower = models.ForeignKey(WechatFollower, verbose_name=_("用户"), on_delete=models.CASCADE,
                                 related_name="messages")
    kind = models.CharField(_("消息类型"), max_length=32)
    event = models.CharField(_("事件"), max_length=64, blank=True)
    text = models.TextField(_("内容"), blank=True)
    consultation = models.ForeignKey("consultation.SmartConsultation", verbose_name=_("智能咨询"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    reply = models.TextField(_("回复"), blank=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now, db_index=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    push = models.CharField(_("推送"), max_length=8, choices=ReplyPush.choices, default=ReplyPush.NONE, blank=True)

    class Meta:
        verbose_name = _("微信消息")
        verbose_name_plural = _("微信消息")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.message_key


class WechatHeldNotice(models.Model):
    """A notice for a follower that WeChat would not take (48 hours since their last message, or
    the account unfollowed) and no SMS could replace: it is sent when the follower next writes."""

    follower = models.ForeignKey(WechatFollower, verbose_name=_("用户"), on_delete=models.CASCADE,
                                 related_name="held_notices")
    outbox_message = models.OneToOneField("core.OutboxMessage", verbose_name=_("通知"), on_delete=models.CASCADE,
                                          related_name="+")
    held_at = models.DateTimeField(_("暂存时间"), default=timezone.now)

    class Meta:
        verbose_name = _("待送达的微信通知")
        verbose_name_plural = _("待送达的微信通知")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.follower} ← {self.outbox_message_id}"


class HotTopicsDigest(models.Model):
    """One month's hot topics of one county, pushed to its WeChat followers (F16, 热点推送).

    Written before it is sent, so a failed or interrupted send is resumed, never doubled: one row
    per (period, region), and ``batches_sent`` counts the mass-send batches WeChat accepted.
    ``region_code`` "" is the whole platform, for followers without a county (or too few in theirs).
    """

    period = models.CharField(_("月份"), max_length=7, help_text="YYYY-MM")
    region_code = models.CharField(_("区划"), max_length=12, blank=True, db_index=True)
    text = models.TextField(_("推送内容"))
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    batches_sent = models.PositiveSmallIntegerField(_("已发送批次"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    wechat_msg_ids = models.JSONField(_("微信群发消息编号"), default=list, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("热点推送")
        verbose_name_plural = _("热点推送")
        ordering = ["-period", "region_code"]
        constraints = [models.UniqueConstraint(fields=["period", "region_code"], name="portal_digest_period_region")]

    def __str__(self) -> str:
        return f"{self.period} {self.region_code or '*'}"
