"""Fixed vocabularies of the directory. Keys are English and stable; labels are zh-hans."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    LAW_FIRM = "law_firm", _("律师事务所")
    NOTARY_OFFICE = "notary_office", _("公证处")
    APPRAISAL_BODY = "appraisal_body", _("司法鉴定机构")
    LEGAL_AID_CENTER = "legal_aid_center", _("法律援助中心")
    MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
    GRASSROOTS_OFFICE = "grassroots_office", _("基层法律服务所")


class MediationCommitteeKind(models.TextChoices):
    """Only for people's mediation committees (人民调解法 第八条, 第三十四条)."""

    VILLAGE = "village", _("村（居）民委员会人民调解委员会")
    TOWNSHIP = "township", _("乡镇（街道）人民调解委员会")
    INDUSTRY = "industry", _("行业性专业性人民调解委员会")


class PractitionerKind(models.TextChoices):
    LAWYER = "lawyer", _("律师")
    NOTARY = "notary", _("公证员")
    APPRAISER = "appraiser", _("司法鉴定人")
    MEDIATOR = "mediator", _("人民调解员")
    GRASSROOTS_WORKER = "grassroots_worker", _("基层法律服务工作者")
    EXPERT = "expert", _("法律专家库专家")
    VOLUNTEER = "volunteer", _("志愿者")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("正常执业")
    SUSPENDED = "suspended", _("停业/停止执业")
    DEREGISTERED = "deregistered", _("已注销")


class PracticeArea(models.TextChoices):
    """Practice areas; the same 20 categories that consultations are classified into."""

    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    LABOR = "labor", _("劳动纠纷")
    TRAFFIC_ACCIDENT = "traffic_accident", _("交通事故")
    DEBT = "debt", _("债权债务")
    CRIMINAL_DEFENSE = "criminal_defense", _("刑事辩护")
    CONTRACT = "contract", _("合同纠纷")
    REAL_ESTATE = "real_estate", _("房产纠纷")
    TORT = "tort", _("侵权")
    COMPANY = "company", _("公司法")
    MEDICAL = "medical", _("医疗纠纷")
    DEMOLITION = "demolition", _("拆迁安置")
    ADMINISTRATIVE = "administrative", _("行政诉讼")
    CONSTRUCTION = "construction", _("建设工程")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    GENERAL = "general", _("综合咨询")
    PERSONAL_INJURY = "personal_injury", _("人身损害")
    FOREIGN = "foreign", _("涉外法律")
    MARITIME = "maritime", _("海事海商")
    CONSUMER = "consumer", _("消费权益")
    SECURITY = "security", _("抵押担保")


class Language(models.TextChoices):
    """Service languages: the national common language, minority languages, foreign, sign."""

    MANDARIN = "mandarin", _("普通话")
    ENGLISH = "english", _("英语")
    UYGHUR = "uyghur", _("维吾尔语")
    TIBETAN = "tibetan", _("藏语")
    MONGOLIAN = "mongolian", _("蒙古语")
    ZHUANG = "zhuang", _("壮语")
    KOREAN = "korean", _("朝鲜语")
    KAZAKH = "kazakh", _("哈萨克语")
    YI = "yi", _("彝语")
    CANTONESE = "cantonese", _("粤语")
    JAPANESE = "japanese", _("日语")
    RUSSIAN = "russian", _("俄语")
    FRENCH = "french", _("法语")
    GERMAN = "german", _("德语")
    ARABIC = "arabic", _("阿拉伯语")
    SIGN = "sign", _("手语")


class CreditRecordKind(models.TextChoices):
    AWARD = "award", _("表彰奖励")
    SANCTION = "sanction", _("行政处罚")
    DISCIPLINE = "discipline", _("行业惩戒")
    ASSESSMENT = "assessment", _("年度考核")


class AssessmentResult(models.TextChoices):
    """Annual assessment (年度考核) outcomes for firms and practitioners."""

    PASSED = "passed", _("合格")
    BASIC = "basic", _("基本合格")
    FAILED = "failed", _("不合格")


# Which practitioner kinds may belong to which institution kinds; "expert" and "volunteer"
# may be listed without an institution or at any of them.
PRACTITIONER_INSTITUTION_KINDS: dict[str, set[str]] = {
    PractitionerKind.LAWYER: {InstitutionKind.LAW_FIRM, InstitutionKind.LEGAL_AID_CENTER},
    PractitionerKind.NOTARY: {InstitutionKind.NOTARY_OFFICE},
    PractitionerKind.APPRAISER: {InstitutionKind.APPRAISAL_BODY},
    PractitionerKind.MEDIATOR: {InstitutionKind.MEDIATION_COMMITTEE},
    PractitionerKind.GRASSROOTS_WORKER: {InstitutionKind.GRASSROOTS_OFFICE},
}
