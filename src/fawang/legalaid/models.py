"""Legal aid (F2) per 中华人民共和国法律援助法.

* ``LegalAidApplication``: the business-line record, one per ``cases.Case`` (1:1). ``status``
  is the truth and changes only through ``legalaid.services`` (table: ``rules.TRANSITIONS``).
* Regional configuration: ``HardshipStandard`` (第三十四条), ``AidMatterScope`` (supplementary
  matters, 第三十一条第九项), ``SubsidyStandard`` (第五十二条). Each is keyed by a division code;
  the most specific code that contains the case's region applies ("" = everywhere).
* The work after approval: ``AidAssignment`` (指派, 第四十三条/第三十六条; history kept for
  the weighted rotation), ``ProgressReport`` (第四十六条第二款), ``ClosingReport`` (第五十条),
  ``QualityReview`` (第五十七条/第五十九条), ``SubsidyRecord`` (第五十二条), ``Objection``
  (第四十九条).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.legalaid.choices import (
    AidForm,
    AidSource,
    AidStatus,
    ExemptGroup,
    HardshipMethod,
    MatterType,
    NoMeansTestGround,
    Notifier,
    ObjectionOutcome,
    QualityGrade,
    TerminationGround,
)


class HardshipStandard(models.Model):
    """Economic hardship standard of a region (第三十四条: set by the province, adjusted)."""

    region_code = models.CharField(_("适用区划"), max_length=12, unique=True, blank=True,
                                   help_text=_("留空表示全国默认；县级设置优先于市级、省级。"))
    monthly_income_per_capita_max = models.DecimalField(_("家庭月人均收入上限（元）"), max_digits=10,
                                                        decimal_places=2)
    assets_max = models.DecimalField(_("家庭金融资产上限（元）"), max_digits=12, decimal_places=2,
                                     null=True, blank=True)
    basis = models.CharField(_("文件依据"), max_length=200, blank=True)
    effective_from = models.DateField(_("施行日期"), default=timezone.localdate)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("经济困难标准")
        verbose_name_plural = _("经济困难标准")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return f"{self.region_code or _('全国')} ≤{self.monthly_income_per_capita_max}"


class AidMatterScope(models.Model):
    """A supplementary matter a region adds to the statutory scope (第三十一条第九项)."""

    region_code = models.CharField(_("适用区划"), max_length=12, blank=True, db_index=True)
    code = models.CharField(_("事项代码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=200)
    basis = models.CharField(_("文件依据"), max_length=200, blank=True)
    means_test_required = models.BooleanField(_("需审查经济困难"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("法律援助补充事项")
        verbose_name_plural = _("法律援助补充事项")
        ordering = ["region_code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "code"], name="legalaid_scope_region_code"),
        ]

    def __str__(self) -> str:
        return self.name


class SubsidyStandard(models.Model):
    """Subsidy per form of aid in a region (第五十二条第二款), with quality-grade factors."""

    region_code = models.CharField(_("适用区划"), max_length=12, blank=True, db_index=True)
    aid_form = models.CharField(_("援助形式"), max_length=24, choices=AidForm.choices)
    base_amount = models.DecimalField(_("基本补贴（元）"), max_digits=10, decimal_places=2)
    grade_factors = models.JSONField(_("质量等级系数"), default=dict, blank=True,
                                     help_text=_('例如 {"excellent": "1.2", "fail": "0.5"}'))
    basis = models.CharField(_("文件依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("法律援助补贴标准")
        verbose_name_plural = _("法律援助补贴标准")
        ordering = ["region_code", "aid_form"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "aid_form"], name="legalaid_subsidy_region_form"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or _('全国')} {self.get_aid_form_display()} {self.base_amount}"


class LegalAidApplication(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="legal_aid")
    status = models.CharField(_("状态"), max_length=24, choices=AidStatus.choices, default=AidStatus.RECEIVED,
                              db_index=True)
    source = models.CharField(_("来源"), max_length=16, choices=AidSource.choices, default=AidSource.APPLICATION)
    notifier = models.CharField(_("通知机关"), max_length=16, choices=Notifier.choices, blank=True)
    notifier_name = models.CharField(_("通知机关名称"), max_length=200, blank=True)
    notice_number = models.CharField(_("通知文书编号"), max_length=100, blank=True)
    matter = models.CharField(_("申请事项"), max_length=32, choices=MatterType.choices)
    supplementary_subject = models.CharField(_("补充事项代码"), max_length=40, blank=True)
    aid_form = models.CharField(_("援助形式"), max_length=24, choices=AidForm.choices,
                                default=AidForm.LITIGATION_AGENCY)
    summary = models.TextField(_("案情摘要"), blank=True)
    region_code = models.CharField(_("所属区划"), max_length=12, db_index=True)
    # The county center deciding the application, and where it was first received (a township
    # station's 初审, or a custodial place for a detained applicant, 第三十九条).
    center = models.ForeignKey("regions.ServicePoint", verbose_name=_("法律援助机构"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="legal_aid_applications")
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    is_detained = models.BooleanField(_("被羁押/服刑/强制隔离戒毒"), default=False)
    custodial_place = models.CharField(_("羁押/监管场所"), max_length=200, blank=True)
    forward_due_at = models.DateTimeField(_("转交期限"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    initial_review_opinion = models.TextField(_("初审意见"), blank=True)
    # 第四十三条: the 7-day clock runs from receipt by the legal aid institution.
    center_received_at = models.DateTimeField(_("法律援助机构收到申请时间"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("审查决定期限"), null=True, blank=True)
    # Means test (第三十四条, 第四十一条, 第四十二条, 第三十二条)
    no_means_test_ground = models.CharField(_("免于经济困难审查情形"), max_length=24,
                                            choices=NoMeansTestGround.choices, blank=True)
    exempt_group = models.CharField(_("免予核查人员类别"), max_length=32, choices=ExemptGroup.choices, blank=True)
    exempt_proof_provided = models.BooleanField(_("已提交免予核查证明材料"), default=False)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    household_monthly_income = models.DecimalField(_("家庭月收入（元）"), max_digits=12, decimal_places=2,
                                                   null=True, blank=True)
    household_assets = models.DecimalField(_("家庭金融资产（元）"), max_digits=14, decimal_places=2,
                                           null=True, blank=True)
    honesty_commitment_signed_at = models.DateTimeField(_("个人诚信承诺签署时间"), null=True, blank=True)
    hardship_method = models.CharField(_("经济困难审查方式"), max_length=24, choices=HardshipMethod.choices,
                                       blank=True)
    lookup_source = models.CharField(_("信息共享查询来源"), max_length=100, blank=True)
    # 第四十三条第二款: all missing materials listed at once; unanswered by the deadline = withdrawn
    missing_materials = models.JSONField(_("需补充材料"), default=list, blank=True)
    materials_due_at = models.DateTimeField(_("补充材料期限"), null=True, blank=True)
    materials_requested_at = models.DateTimeField(_("告知补充材料时间"), null=True, blank=True)
    # Closed waits for materials, [[iso start, iso end], ...]: they extend the decision deadline.
    pauses = models.JSONField(default=list, blank=True, editable=False)
    # Decision (第四十三条)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    refusal_reasons = models.TextField(_("不予法律援助理由"), blank=True)
    articles = models.JSONField(_("适用条款"), default=list, blank=True)
    assign_due_at = models.DateTimeField(_("指派期限"), null=True, blank=True)
    # Fast track (第四十四条)
    limitation_ends_on = models.DateField(_("时效/期限届满日"), null=True, blank=True)
    needs_preservation = models.BooleanField(_("需立即申请保全或先予执行"), default=False)
    is_fast_track = models.BooleanField(_("先行提供法律援助"), default=False)
    formalities_completed_at = models.DateTimeField(_("补办手续时间"), null=True, blank=True)
    # Allocation preferences
    specialty = models.CharField(_("所需专长"), max_length=32, blank=True)
    language = models.CharField(_("所需语言"), max_length=20, blank=True)
    serious_case = models.BooleanField(_("可能判处无期徒刑、死刑或死刑复核（第二十六条）"), default=False)
    # Termination (第四十八条)
    termination_ground = models.CharField(_("终止理由"), max_length=24, choices=TerminationGround.choices,
                                          blank=True)
    termination_note = models.TextField(_("终止说明"), blank=True)
    terminated_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    # A refusal or termination becomes final (spine case completed) when no objection is
    # pending: ``services.legalaid_finalize``.
    finalized_at = models.DateTimeField(_("决定生效时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("法律援助申请")
        verbose_name_plural = _("法律援助申请")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["region_code", "status"], name="legalaid_app_region_status")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_status_display()}"

    @property
    def current_assignment(self) -> AidAssignment | None:
        return self.assignments.filter(released_at__isnull=True).order_by("-assigned_at").first()


class AidAssignment(models.Model):
    """One assignment of an aid lawyer (指派). Released when replaced (第五十五条) or ended."""

    application = models.ForeignKey(LegalAidApplication, verbose_name=_("法律援助申请"), on_delete=models.CASCADE,
                                    related_name="assignments")
    practitioner = models.ForeignKey("directory.Practitioner", verbose_name=_("法律援助人员"),
                                     on_delete=models.PROTECT, related_name="legal_aid_assignments")
    practitioner_name = models.CharField(_("人员姓名"), max_length=50)
    lawyer_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人账号"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="legal_aid_assignments")
    assigned_at = models.DateTimeField(_("指派时间"), default=timezone.now, db_index=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("指派人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    is_fast_track = models.BooleanField(_("先行指派"), default=False)
    ideal_share = models.DecimalField(_("应得份额"), max_digits=6, decimal_places=4, null=True, blank=True)
    actual_share = models.DecimalField(_("实际份额"), max_digits=6, decimal_places=4, null=True, blank=True)
    relaxed = models.JSONField(_("放宽条件"), default=list, blank=True)
    released_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    release_reason = models.CharField(_("解除原因"), max_length=200, blank=True)
    region_code = models.CharField(max_length=12, db_index=True)

    class Meta:
        verbose_name = _("指派记录")
        verbose_name_plural = _("指派记录")
        ordering = ["-assigned_at"]

    def __str__(self) -> str:
        return self.practitioner_name


class ProgressReport(models.Model):
    """第四十六条第二款: the aid lawyer reports progress to the recipient (and the center)."""

    application = models.ForeignKey(LegalAidApplication, verbose_name=_("法律援助申请"), on_delete=models.CASCADE,
                                    related_name="progress_reports")
    reported_at = models.DateTimeField(_("通报时间"), default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    content = models.TextField(_("办理情况"))

    class Meta:
        verbose_name = _("办理情况通报")
        verbose_name_plural = _("办理情况通报")
        ordering = ["reported_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.reported_at:%Y-%m-%d}"


class ClosingReport(models.Model):
    """第五十条: on finishing, the aid lawyer reports and hands in copies of the documents."""

    application = models.OneToOneField(LegalAidApplication, verbose_name=_("法律援助申请"),
                                       on_delete=models.CASCADE, related_name="closing_report")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    outcome = models.TextField(_("办理结果"))
    documents = models.JSONField(_("法律文书副本"), default=list, blank=True)
    extra_costs = models.DecimalField(_("办案支出（元）"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("结案报告")
        verbose_name_plural = _("结案报告")

    def __str__(self) -> str:
        return f"{self.application_id} {self.submitted_at:%Y-%m-%d}"


class QualityReview(models.Model):
    """第五十七条/第五十九条: quality review of a closed matter."""

    application = models.OneToOneField(LegalAidApplication, verbose_name=_("法律援助申请"),
                                       on_delete=models.CASCADE, related_name="quality_review")
    grade = models.CharField(_("质量等级"), max_length=12, choices=QualityGrade.choices)
    methods = models.JSONField(_("评查方式"), default=list, blank=True)
    opinion = models.TextField(_("评查意见"), blank=True)
    reviewed_at = models.DateTimeField(_("评查时间"), default=timezone.now)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = _("质量评查")
        verbose_name_plural = _("质量评查")

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_grade_display()}"


class SubsidyRecord(models.Model):
    """第五十二条: the subsidy owed to the aid lawyer for a matter."""

    application = models.OneToOneField(LegalAidApplication, verbose_name=_("法律援助申请"),
                                       on_delete=models.CASCADE, related_name="subsidy")
    practitioner = models.ForeignKey("directory.Practitioner", verbose_name=_("法律援助人员"),
                                     on_delete=models.PROTECT, related_name="legal_aid_subsidies")
    amount = models.DecimalField(_("补贴金额（元）"), max_digits=10, decimal_places=2)
    standard_snapshot = models.JSONField(_("适用标准"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("核定时间"), default=timezone.now)
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    region_code = models.CharField(max_length=12, db_index=True)

    class Meta:
        verbose_name = _("法律援助补贴")
        verbose_name_plural = _("法律援助补贴")

    def __str__(self) -> str:
        return f"{self.application_id} {self.amount}"


class Objection(models.Model):
    """第四十九条: an objection to a refusal or termination, reviewed by the justice bureau."""

    application = models.ForeignKey(LegalAidApplication, verbose_name=_("法律援助申请"), on_delete=models.CASCADE,
                                    related_name="objections")
    against_status = models.CharField(_("异议对象"), max_length=24, choices=AidStatus.choices)
    grounds = models.TextField(_("异议理由"))
    filed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    review_due_at = models.DateTimeField(_("审查期限"))
    outcome = models.CharField(_("审查结果"), max_length=12, choices=ObjectionOutcome.choices, blank=True)
    decision_note = models.TextField(_("审查意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("异议审查")
        verbose_name_plural = _("异议审查")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.filed_at:%Y-%m-%d}"
