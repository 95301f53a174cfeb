"""Fixed vocabularies of legal aid (中华人民共和国法律援助法). Keys are English and stable;
labels are zh-hans. Each vocabulary names the article it comes from, so a reviewer can check
the list against the statute."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AidStatus(models.TextChoices):
    """States of one legal aid matter. The allowed moves are in ``rules.TRANSITIONS``."""

    RECEIVED = "received", _("已接收（待初审/转交）")
    FORWARDED = "forwarded", _("已转交法律援助机构")
    UNDER_REVIEW = "under_review", _("审查中")
    MATERIALS_REQUESTED = "materials_requested", _("待补充材料")
    APPROVED = "approved", _("决定给予法律援助")
    REFUSED = "refused", _("决定不予法律援助")
    OBJECTION_REVIEW = "objection_review", _("异议审查中")
    ASSIGNED = "assigned", _("已指派")
    CLOSING_REPORTED = "closing_reported", _("已提交结案报告")
    CLOSED = "closed", _("已结案")
    TERMINATED = "terminated", _("已终止法律援助")
    WITHDRAWN = "withdrawn", _("已撤回")


class AidSource(models.TextChoices):
    """How the matter reached the legal aid institution."""

    APPLICATION = "application", _("当事人申请")
    NOTIFICATION = "notification", _("公检法机关通知（第三十六条）")


class Notifier(models.TextChoices):
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    POLICE = "police", _("公安机关")


class AidForm(models.TextChoices):
    """Forms of legal aid service (第二十二条)."""

    CONSULTATION = "consultation", _("法律咨询")
    DOCUMENT_DRAFTING = "document_drafting", _("代拟法律文书")
    CRIMINAL_DEFENCE = "criminal_defence", _("刑事辩护与代理")
    LITIGATION_AGENCY = "litigation_agency", _("民事、行政、国家赔偿诉讼代理及非诉讼代理")
    DUTY_LAWYER = "duty_lawyer", _("值班律师法律帮助")
    LABOUR_ARBITRATION = "labour_arbitration", _("劳动争议调解与仲裁代理")
    OTHER = "other", _("其他形式")


class MatterType(models.TextChoices):
    """Matters for which legal aid may be applied for or must be provided.

    第二十四条 (criminal defence on application), 第二十五条/第二十八条 (notified defence and
    compulsory medical treatment), 第二十九条 (victims, private prosecutors), 第三十一条 (the
    nine civil/administrative matters), 第三十三条 (retrial). Regions may add supplementary
    matters (第三十一条第九项 "法律、法规、规章规定的其他情形") through ``AidMatterScope``.
    """

    CRIMINAL_DEFENCE = "criminal_defence", _("刑事案件犯罪嫌疑人、被告人辩护（第二十四条）")
    NOTIFIED_DEFENCE = "notified_defence", _("通知辩护（第二十五条）")
    COMPULSORY_MEDICAL = "compulsory_medical", _("强制医疗案件代理（第二十八条）")
    CRIMINAL_VICTIM = "criminal_victim", _("刑事被害人、自诉人、附带民事原告代理（第二十九条）")
    STATE_COMPENSATION = "state_compensation", _("请求国家赔偿（第三十一条第一项）")
    SOCIAL_INSURANCE = "social_insurance", _("请求社会保险待遇或者社会救助（第三十一条第二项）")
    PENSION = "pension", _("请求发给抚恤金（第三十一条第三项）")
    SUPPORT_PAYMENT = "support_payment", _("请求给付赡养费、抚养费、扶养费（第三十一条第四项）")
    LABOUR_REMUNERATION = "labour_remuneration", _("请求确认劳动关系或者支付劳动报酬（第三十一条第五项）")
    CAPACITY = "capacity", _("请求认定无民事行为能力或者限制民事行为能力（第三十一条第六项）")
    WORK_INJURY = "work_injury", _("请求工伤事故人身损害赔偿（第三十一条第七项）")
    ACCIDENT_INJURY = "accident_injury", _("请求交通、食品药品安全、医疗事故人身损害赔偿（第三十一条第七项）")
    ENVIRONMENT = "environment", _("请求环境污染、生态破坏损害赔偿（第三十一条第八项）")
    RETRIAL = "retrial", _("申诉、再审案件（第三十三条）")
    SUPPLEMENTARY = "supplementary", _("地方补充事项（第三十一条第九项）")


# Matters the statute itself puts in scope everywhere; SUPPLEMENTARY needs a regional entry.
STATUTORY_MATTERS: frozenset[str] = frozenset(m.value for m in MatterType if m != MatterType.SUPPLEMENTARY)

# Matters that come by notification and are provided without any means test (第二十五条,
# 第二十八条, 第三十六条): the institution must assign a lawyer.
NOTIFIED_MATTERS: frozenset[str] = frozenset({MatterType.NOTIFIED_DEFENCE, MatterType.COMPULSORY_MEDICAL})


class NoMeansTestGround(models.TextChoices):
    """Matters where economic hardship is not required (第三十二条)."""

    HERO_MARTYR_KIN = "hero_martyr_kin", _("英雄烈士近亲属维护英雄烈士人格权益（第三十二条第一项）")
    GOOD_SAMARITAN = "good_samaritan", _("因见义勇为行为主张相关民事权益（第三十二条第二项）")
    RETRIAL_ACQUITTAL = "retrial_acquittal", _("再审改判无罪请求国家赔偿（第三十二条第三项）")
    ABUSE_VICTIM = "abuse_victim", _("遭受虐待、遗弃或者家庭暴力的受害人主张相关权益（第三十二条第四项）")
    OTHER = "other", _("法律、法规、规章规定的其他情形（第三十二条第五项）")


class ExemptGroup(models.TextChoices):
    """Applicants exempt from the hardship check on proof of membership (第四十二条)."""

    DEPENDENT_WITHOUT_INCOME = (
        "dependent_without_income",
        _("无固定生活来源的未成年人、老年人、残疾人等特定群体（第四十二条第一项）"),
    )
    SOCIAL_ASSISTANCE = "social_assistance", _("社会救助、司法救助或者优抚对象（第四十二条第二项）")
    MIGRANT_WORKER = (
        "migrant_worker",
        _("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员（第四十二条第三项）"),
    )
    OTHER = "other", _("法律、法规、规章规定的其他人员（第四十二条第四项）")


class HardshipMethod(models.TextChoices):
    """How economic hardship was established (第四十一条, 第四十二条)."""

    NOT_REQUIRED = "not_required", _("无需审查经济困难（第三十二条/通知辩护）")
    EXEMPT = "exempt", _("免予核查（第四十二条）")
    DATA_LOOKUP = "data_lookup", _("信息共享查询（第四十一条）")
    HONESTY_COMMITMENT = "honesty_commitment", _("个人诚信承诺（第四十一条）")


class TerminationGround(models.TextChoices):
    """Grounds on which legal aid must be terminated (第四十八条)."""

    FRAUD = "fraud", _("以欺骗或者其他不正当手段获得法律援助（第四十八条第一项）")
    CONCEALMENT = "concealment", _("故意隐瞒重要事实或者提供虚假证据（第四十八条第二项）")
    ILLEGAL_USE = "illegal_use", _("利用法律援助从事违法活动（第四十八条第三项）")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("经济状况发生变化，不再符合条件（第四十八条第四项）")
    CASE_ENDED = "case_ended", _("案件终止审理或者已经被撤销（第四十八条第五项）")
    OWN_LAWYER = "own_lawyer", _("受援人自行委托律师或者其他代理人（第四十八条第六项）")
    RECIPIENT_REQUEST = "recipient_request", _("受援人有正当理由要求终止（第四十八条第七项）")
    OTHER = "other", _("法律法规规定的其他情形（第四十八条第八项）")


class ObjectionOutcome(models.TextChoices):
    """The justice bureau's decision on an objection (第四十九条第二款)."""

    UPHELD = "upheld", _("维持法律援助机构决定")
    CORRECTED = "corrected", _("责令法律援助机构改正")


class QualityGrade(models.TextChoices):
    """Quality review grades (第五十七条, 第五十九条)."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class QualityMethod(models.TextChoices):
    """Means of supervising quality named by 第五十九条."""

    HEARING_OBSERVATION = "hearing_observation", _("庭审旁听")
    FILE_INSPECTION = "file_inspection", _("案卷检查")
    JUDICIAL_OPINION = "judicial_opinion", _("征询司法机关意见")
    RECIPIENT_VISIT = "recipient_visit", _("回访受援人")
