"""FAQ (常见法律问题), smart consultations (全程留痕) and callback requests (转人工)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.consultation.choices import (
    AnswerSource,
    CallbackStatus,
    ConsultChannel,
    LineMode,
    LineStatus,
    QuestionCategory,
)
from fawang.core.fields import EncryptedCharField


class FaqEntry(models.Model):
    """A question we answered in plain language, citing the statute articles it rests on.

    ``citations`` is a list of ``{"law": "劳动合同法", "article": "第三十条"}``; the law is the short
    title as the citizen knows it. They are resolved to ``knowledge.Article`` rows at read time
    (``selectors.resolve_citations``), so re-importing the laws never breaks an FAQ entry.
    """

    key = models.CharField(_("编号"), max_length=40, unique=True, help_text=_("数据文件中的稳定编号，用于重复导入"))
    category = models.CharField(_("问题分类"), max_length=20, choices=QuestionCategory.choices, db_index=True)
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))
    citations = models.JSONField(_("引用法条"), default=list, blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    is_published = models.BooleanField(_("已发布"), default=True, db_index=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("常见法律问题")
        verbose_name_plural = _("常见法律问题")
        ordering = ["category", "sort_order", "key"]

    def __str__(self) -> str:
        return self.question

    def citation_labels(self) -> list[str]:
        return [f"《{c['law']}》{c['article']}" for c in self.citations]


class SmartConsultation(models.Model):
    """One question and the whole answer we gave, kept as given (全程留痕).

    The quoted articles are snapshotted in ``citations`` (law, label, text) beside their ids: the
    opinion must read the same years later even if the statute table is re-imported.
    """

    public_id = models.UUIDField(_("查询标识"), default=uuid.uuid4, unique=True, editable=False)
    question = models.TextField(_("问题"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=ConsultChannel.choices, db_index=True)
    category = models.CharField(_("问题分类"), max_length=20, choices=QuestionCategory.choices, db_index=True)
    category_score = models.FloatField(_("分类置信度"), default=0)
    category_top3 = models.JSONField(_("候选分类"), default=list, blank=True)
    article_ids = models.JSONField(_("检索法条ID"), default=list, blank=True)
    citations = models.JSONField(_("引用法条快照"), default=list, blank=True)
    faq_ids = models.JSONField(_("匹配问答ID"), default=list, blank=True)
    service_types = models.JSONField(_("推荐服务"), default=list, blank=True)
    answer_text = models.TextField(_("解答"))
    answer_source = models.CharField(_("解答生成方式"), max_length=12, choices=AnswerSource.choices,
                                     default=AnswerSource.TEMPLATE)
    region_code = models.CharField(_("所属区划"), max_length=12, blank=True, db_index=True)
    service_point = models.ForeignKey("regions.ServicePoint", verbose_name=_("就近服务点"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    service_point_distance_km = models.FloatField(_("距服务点（公里）"), null=True, blank=True,
                                                  help_text=_("咨询人提供位置时的直线距离"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("咨询人账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="smart_consultations")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("热线坐席或窗口人员代为录入时"))
    # The consultation Case (fawang.cases) once that service exists; a number, not an FK, so that this
    # app does not depend on the cases migrations.
    case_number = models.CharField(_("案件编号"), max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(_("咨询时间"), default=timezone.now, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("智能咨询记录")
        verbose_name_plural = _("智能咨询记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_code", "created_at"])]

    def __str__(self) -> str:
        return self.question[:40]


class CallbackRequest(models.Model):
    """转人工: a citizen asks a person to call back (the hotline works these)."""

    consultation = models.ForeignKey(SmartConsultation, verbose_name=_("咨询记录"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="callbacks")
    name = models.CharField(_("称呼"), max_length=50)
    phone = EncryptedCharField(_("联系电话"), max_length=32)
    preferred_time = models.CharField(_("方便接听时间"), max_length=100, blank=True)
    note = models.TextField(_("补充说明"), blank=True)
    region_code = models.CharField(_("所属区划"), max_length=12, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=CallbackStatus.choices,
                              default=CallbackStatus.PENDING, db_index=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("回电请求")
        verbose_name_plural = _("回电请求")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.created_at:%Y-%m-%d %H:%M}"


class ConsultationRecord(models.Model):
    """A consultation handled by staff (咨询业务线): one per consultation ``cases.Case``.

    The Case carries status, events, clocks, notifications and ratings; this row carries what
    the consultation itself is about — question, answer, cited articles, who answers — so that
    the answer can be read as given and the multi-round escalation has somewhere to live.
    ``citations`` snapshot ``{"law", "article", "article_id", "text"}`` at answer time.
    """

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="consultation_record")
    channel = models.CharField(_("来源渠道"), max_length=16, db_index=True)
    question = models.TextField(_("问题"))
    category = models.CharField(_("问题分类"), max_length=20, blank=True, db_index=True)
    # True once a person chose or corrected the category (not the classifier's guess): these rows
    # are the labelled questions ``export-category-labels`` hands to ``train-classifier``.
    category_by_staff = models.BooleanField(_("分类经人工确认"), default=False,
                                            help_text=_("工作人员选定或更正了问题分类，可用于训练分类模型"))
    answer = models.TextField(_("解答"), blank=True)
    citations = models.JSONField(_("引用法条"), default=list, blank=True)
    mode = models.CharField(_("解答方式"), max_length=12, choices=LineMode.choices, default=LineMode.ONE_SHOT)
    status = models.CharField(_("状态"), max_length=12, choices=LineStatus.choices, default=LineStatus.OPEN,
                              db_index=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接待人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # Multi-round handling: a lawyer with an account answers himself; an expert of the expert
    # library (directory.Practitioner, usually without an account) answers through the handler.
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("解答律师"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    practitioner = models.ForeignKey("directory.Practitioner", verbose_name=_("律师或专家"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    escalation_reason = models.CharField(_("转办理由"), max_length=500, blank=True)
    summary = models.TextField(_("办结意见"), blank=True)
    region_code = models.CharField(_("所属区划"), max_length=12, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("法律咨询记录")
        verbose_name_plural = _("法律咨询记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.question[:30]}"


class ConsultationRound(models.Model):
    """One question/answer pair of a multi-round consultation, with its reply deadline."""

    record = models.ForeignKey(ConsultationRecord, verbose_name=_("咨询记录"), on_delete=models.CASCADE,
                               related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    question = models.TextField(_("问题"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提问录入人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(_("提问时间"), default=timezone.now)
    due_at = models.DateTimeField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复录入人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(_("答复人"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # Set by the periodic scan the first time the round is found past its deadline (logged once).
    overdue_logged_at = models.DateTimeField(_("超期记录时间"), null=True, blank=True, editable=False)
    region_code = models.CharField(_("所属区划"), max_length=12, db_index=True)

    class Meta:
        verbose_name = _("咨询轮次")
        verbose_name_plural = _("咨询轮次")
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="consultation_round_unique")]
        # The overdue scan reads only unanswered rounds not yet logged: a small partial index.
        indexes = [models.Index(fields=["due_at"], name="consultation_round_due_open",
                                condition=models.Q(answered_at__isnull=True, overdue_logged_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.record_id} #{self.number}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
