"""People's mediation (F3) per 中华人民共和国人民调解法.

* ``Mediation``: the business-line record, one per ``cases.Case`` (1:1). ``status`` changes
  only through ``mediation.services`` (table: ``rules.TRANSITIONS``).
* ``MediationParty``: the parties and whether each consents (第十七条, 第二十三条).
* ``MediatorAssignment`` (第十九条), ``Participant`` (第二十条), ``MediationRecord`` (第二十七条),
  ``RiskReport`` (第二十五条), ``Agreement`` (第二十八条/第二十九条, PDF),
  ``PerformanceCheck`` (第三十一条).
* ``MediationTimeLimit``: the default time limit per region (not statutory; 30 days unless set).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.mediation.choices import (
    AgreementForm,
    DisputeType,
    FailureReason,
    MediationSource,
    MediationStatus,
    MediatorSelection,
    PartyRole,
    RiskLevel,
)


class MediationTimeLimit(models.Model):
    region_code = models.CharField(_("适用区划"), max_length=12, unique=True, blank=True)
    days = models.PositiveSmallIntegerField(_("调解期限（日）"), default=30)

    class Meta:
        verbose_name = _("调解期限设置")
        verbose_name_plural = _("调解期限设置")

    def __str__(self) -> str:
        return f"{self.region_code or _('全国')} {self.days}"


class Mediation(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="mediation")
    status = models.CharField(_("状态"), max_length=16, choices=MediationStatus.choices,
                              default=MediationStatus.RECEIVED, db_index=True)
    source = models.CharField(_("来源"), max_length=20, choices=MediationSource.choices,
                              default=MediationSource.APPLICATION)
    referral_body = models.CharField(_("移交机关"), max_length=200, blank=True)
    referral_number = models.CharField(_("移交文书编号"), max_length=100, blank=True)
    dispute_type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices,
                                    default=DisputeType.OTHER)
    summary = models.TextField(_("纠纷简要情况"))
    region_code = models.CharField(_("所属区划"), max_length=12, db_index=True)
    committee = models.ForeignKey("directory.Institution", verbose_name=_("人民调解委员会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="mediations")
    committee_name = models.CharField(_("人民调解委员会名称"), max_length=200, blank=True)
    is_public = models.BooleanField(_("公开调解"), default=False)  # 第二十三条第三项
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("调解期限（日）"), default=30)
    due_on = models.DateField(_("调解期限届满日"), null=True, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=12, choices=RiskLevel.choices, default=RiskLevel.LOW)
    refusal_note = models.TextField(_("拒绝调解情况"), blank=True)
    failure_reason = models.CharField(_("终止原因"), max_length=20, choices=FailureReason.choices, blank=True)
    remedies_notice = models.TextField(_("其他救济途径告知"), blank=True)
    concluded_at = models.DateTimeField(_("调解结束时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("人民调解")
        verbose_name_plural = _("人民调解")
        ordering = ["-id"]
        indexes = [models.Index(fields=["region_code", "status"], name="mediation_region_status")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_status_display()}"


class MediationParty(models.Model):
    mediation = models.ForeignKey(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                  related_name="parties")
    party = models.ForeignKey("cases.Party", verbose_name=_("当事人"), on_delete=models.PROTECT,
                              related_name="mediations")
    role = models.CharField(_("身份"), max_length=12, choices=PartyRole.choices)
    consented = models.BooleanField(_("同意调解"), default=False)
    refused = models.BooleanField(_("明确拒绝调解"), default=False)

    class Meta:
        verbose_name = _("调解当事人")
        verbose_name_plural = _("调解当事人")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["mediation", "party"], name="mediation_party_once"),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.get_role_display()}"


class MediatorAssignment(models.Model):
    """第十九条: one or more mediators, designated by the committee or chosen by the parties."""

    mediation = models.ForeignKey(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                  related_name="mediators")
    mediator = models.ForeignKey("directory.Practitioner", verbose_name=_("人民调解员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="mediator_assignments")
    mediator_name = models.CharField(_("调解员姓名"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调解员账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="mediator_assignments")
    selection = models.CharField(_("产生方式"), max_length=12, choices=MediatorSelection.choices)
    is_lead = models.BooleanField(_("主持调解员"), default=False)
    assigned_at = models.DateTimeField(_("指定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["-is_lead", "id"]

    def __str__(self) -> str:
        return self.mediator_name


class Participant(models.Model):
    """第二十条: relatives, neighbours, colleagues, experts or organisations invited with the
    parties' consent."""

    mediation = models.ForeignKey(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                  related_name="participants")
    name = models.CharField(_("姓名或名称"), max_length=100)
    relation = models.CharField(_("身份/与当事人关系"), max_length=100)
    parties_consented = models.BooleanField(_("已征得当事人同意"), default=False)
    invited_at = models.DateTimeField(_("邀请时间"), default=timezone.now)

    class Meta:
        verbose_name = _("邀请参与调解人员")
        verbose_name_plural = _("邀请参与调解人员")

    def __str__(self) -> str:
        return self.name


class MediationRecord(models.Model):
    """第二十七条: the mediator records each session; the committee files them."""

    mediation = models.ForeignKey(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                  related_name="records")
    held_at = models.DateTimeField(_("调解时间"), default=timezone.now)
    place = models.CharField(_("调解地点"), max_length=200, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=500, blank=True)
    content = models.TextField(_("调解情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.held_at:%Y-%m-%d}"


class RiskReport(models.Model):
    """第二十五条: a dispute that may escalate: preventive measures, report to the police."""

    mediation = models.ForeignKey(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                  related_name="risk_reports")
    level = models.CharField(_("风险等级"), max_length=12, choices=RiskLevel.choices)
    description = models.TextField(_("风险情况"))
    measures = models.TextField(_("预防措施"), blank=True)
    reported_to = models.CharField(_("报告机关"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("矛盾激化风险报告")
        verbose_name_plural = _("矛盾激化风险报告")

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.get_level_display()}"


class Agreement(models.Model):
    """第二十八条/第二十九条: the mediation agreement; effective when signed and sealed."""

    mediation = models.OneToOneField(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                     related_name="agreement")
    number = models.CharField(_("协议书编号"), max_length=40, unique=True)
    form = models.CharField(_("协议形式"), max_length=8, choices=AgreementForm.choices, default=AgreementForm.WRITTEN)
    parties_snapshot = models.JSONField(_("当事人基本情况"), default=list)
    facts = models.TextField(_("纠纷的主要事实"))
    issues = models.TextField(_("争议事项"))
    responsibilities = models.TextField(_("各方当事人的责任"), blank=True)
    terms = models.TextField(_("协议内容"))
    performance_manner = models.CharField(_("履行方式"), max_length=500)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    mediator_names = models.CharField(_("人民调解员"), max_length=200, blank=True)
    reached_on = models.DateField(_("达成日期"), default=timezone.localdate)
    all_parties_signed = models.BooleanField(_("各方当事人已签名"), default=False)
    mediator_signed = models.BooleanField(_("调解员已签名"), default=False)
    committee_sealed = models.BooleanField(_("已加盖调委会印章"), default=False)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    confirmation_due_on = models.DateField(_("申请司法确认期限"), null=True, blank=True)
    confirmation_reminder_on = models.DateField(_("司法确认提醒日期"), null=True, blank=True)
    judicially_confirmed_on = models.DateField(_("司法确认日期"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return self.number


class PerformanceCheck(models.Model):
    """第三十一条: the committee follows up whether the agreement is performed."""

    class Result(models.TextChoices):
        PERFORMED = "performed", _("已履行")
        PARTIAL = "partial", _("部分履行")
        NOT_PERFORMED = "not_performed", _("未履行")

    mediation = models.ForeignKey(Mediation, verbose_name=_("调解"), on_delete=models.CASCADE,
                                  related_name="performance_checks")
    checked_at = models.DateTimeField(_("回访时间"), default=timezone.now)
    result = models.CharField(_("履行情况"), max_length=16, choices=Result.choices)
    note = models.TextField(_("说明"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("履行回访")
        verbose_name_plural = _("履行回访")
        ordering = ["checked_at"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.get_result_display()}"
