"""Kernel tables: the audit trail, the notification outbox and in-site messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.fields import EncryptedCharField


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    READ = "read", _("查看个人信息")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    EXPORT = "export", _("导出")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit trail is append-only")


class AuditEntry(models.Model):
    """Who did what to which object, from where. Written by ``fawang.core.audit`` only."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Snapshot: the entry stays readable after the user is renamed or removed.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    region_code = models.CharField(_("区划"), max_length=12, blank=True, db_index=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    detail = models.CharField(_("说明"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    path = models.CharField(_("请求路径"), max_length=255, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object"),
            models.Index(fields=["region_code", "at"], name="core_audit_region_at"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit trail is append-only")


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    SITE = "site", _("站内消息")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    HELD = "held", _("暂无法送达，待用户再次联系")


class OutboxMessage(models.Model):
    """A notification waiting to leave, written in the same transaction as its cause.

    The recipient (a phone number, an openid, a user id) is personal data: encrypted.
    """

    # Few indexes: one row per notification, written inside every business transaction.
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    recipient = EncryptedCharField(_("接收人"), max_length=128)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收用户"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,  # partial index in Meta
    )
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)
    related_type = models.CharField(_("关联对象类型"), max_length=100, blank=True)
    related_id = models.CharField(_("关联对象编号"), max_length=64, blank=True)
    region_code = models.CharField(_("区划"), max_length=12, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发通知")
        verbose_name_plural = _("待发通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due"),
            models.Index(fields=["user"], condition=models.Q(user__isnull=False), name="core_outbox_user_nn"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject or self.body[:20]}"


class SiteMessage(models.Model):
    """An in-site message (站内消息) shown in the user's message box."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="site_messages",
    )
    # For citizens without an account: the blind index of the phone they gave.
    recipient_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    outbox = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="site_message",
    )
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    related_type = models.CharField(max_length=100, blank=True)
    related_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject or self.body[:30]
