"""Choices of the consultation app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.knowledge.classify.categories import CATEGORIES

# The 20 question categories (same strings as the classifier's labels).
QuestionCategory = models.TextChoices("QuestionCategory", [(c, c) for c in CATEGORIES])


class ConsultChannel(models.TextChoices):
    """Where the question came from; values match the case channels (cases/catalog ``Channel``)."""

    WEB = "web", _("网站")
    MOBILE = "mobile", _("移动端")
    WECHAT = "wechat", _("微信")
    HOTLINE = "hotline", _("热线")
    WINDOW = "window", _("窗口")


class AnswerSource(models.TextChoices):
    TEMPLATE = "template", _("模板生成")
    LLM = "llm", _("大模型润色")


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("待回电")
    DONE = "done", _("已回电")
    UNREACHABLE = "unreachable", _("无法联系")
