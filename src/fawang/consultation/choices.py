"""Choices of the consultation app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.knowledge.classify.categories import CATEGORIES

# The 20 question categories (same strings as the classifier's labels). The value stays the
# Chinese name the classifier returns; the label is translated. makemessages cannot see a
# variable msgid: the same strings are declared as literals elsewhere (the directory's
# specialties, the consultation guidance), and tests/consultation checks every label has English.
QuestionCategory = models.TextChoices("QuestionCategory", [(c, (c, _(c))) for c in CATEGORIES])


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


class LineMode(models.TextChoices):
    """How a staff-handled consultation (咨询业务线) is answered."""

    ONE_SHOT = "one_shot", _("当场解答")
    LAWYER = "lawyer", _("律师多轮解答")
    EXPERT = "expert", _("专家库多轮解答")


class LineStatus(models.TextChoices):
    OPEN = "open", _("待解答")
    ANSWERED = "answered", _("已解答")
    ESCALATED = "escalated", _("多轮解答中")
    CLOSED = "closed", _("已办结")


class ConversionTarget(models.TextChoices):
    """Services a consultation can be turned into (a linked case, no data re-entered)."""

    LEGAL_AID = "legal_aid", _("法律援助申请")
    MEDIATION = "mediation", _("人民调解申请")
    NOTARY = "notary", _("公证预约")
