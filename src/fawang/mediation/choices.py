"""Fixed vocabularies of people's mediation (中华人民共和国人民调解法). Keys are English and
stable; labels are zh-hans."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediationStatus(models.TextChoices):
    """States of one mediation. The allowed moves are in ``rules.TRANSITIONS``."""

    RECEIVED = "received", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    IN_MEDIATION = "in_mediation", _("调解中")
    AGREED = "agreed", _("已达成调解协议")
    FAILED = "failed", _("调解不成，已终止")
    REFUSED = "refused", _("当事人拒绝调解，不予调解")
    PERFORMED = "performed", _("协议已履行")
    DEFAULTED = "defaulted", _("协议未履行")


class MediationSource(models.TextChoices):
    """第十七条 (application, committee initiative) and 第十八条 (referral)."""

    APPLICATION = "application", _("当事人申请（第十七条）")
    INITIATIVE = "initiative", _("人民调解委员会主动调解（第十七条）")
    COURT_REFERRAL = "court_referral", _("人民法院告知/委派（第十八条）")
    POLICE_REFERRAL = "police_referral", _("公安机关告知/委派（第十八条）")
    OTHER_REFERRAL = "other_referral", _("其他部门移交")


class MediatorSelection(models.TextChoices):
    """第十九条: the committee designates, or the parties choose."""

    DESIGNATED = "designated", _("人民调解委员会指定")
    CHOSEN = "chosen", _("当事人选择")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class DisputeType(models.TextChoices):
    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭纠纷")
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    PROPERTY = "property", _("房屋宅基地纠纷")
    CONTRACT = "contract", _("合同纠纷")
    LABOUR = "labour", _("劳动争议")
    DAMAGES = "damages", _("损害赔偿纠纷")
    LAND = "land", _("山林土地纠纷")
    MEDICAL = "medical", _("医疗纠纷")
    TRAFFIC = "traffic", _("道路交通事故纠纷")
    OTHER = "other", _("其他纠纷")


class FailureReason(models.TextChoices):
    NO_AGREEMENT = "no_agreement", _("经调解未能达成协议（第二十六条）")
    PARTY_TERMINATED = "party_terminated", _("当事人要求终止调解（第二十三条第二项）")
    TIMED_OUT = "timed_out", _("超过调解期限未达成协议")


class AgreementForm(models.TextChoices):
    """第二十八条: a written agreement, or an oral one recorded by the mediator."""

    WRITTEN = "written", _("书面调解协议书")
    ORAL = "oral", _("口头协议")


class RiskLevel(models.TextChoices):
    """第二十五条: a dispute that may escalate."""

    LOW = "low", _("一般")
    HIGH = "high", _("可能激化")
    CRIMINAL = "criminal", _("可能引起治安案件、刑事案件")
