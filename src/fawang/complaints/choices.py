from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    OPINION = "opinion", _("意见")
    SUGGESTION = "suggestion", _("建议")


class TargetKind(models.TextChoices):
    INSTITUTION = "institution", _("法律服务机构")
    PRACTITIONER = "practitioner", _("法律服务人员")
    SERVICE_POINT = "service_point", _("公共法律服务中心（站、室）")
    STAFF = "staff", _("工作人员")
    NONE = "none", _("不针对具体对象")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记待调查")
    INVESTIGATED = "investigated", _("已调查待审核")
    REVIEWED = "reviewed", _("已审核待答复")
    REPLIED = "replied", _("已答复")


# The complaint line's own transition table (the spine has its own in cases.choices).
TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.REGISTERED: frozenset({ComplaintStatus.INVESTIGATED}),
    ComplaintStatus.INVESTIGATED: frozenset({ComplaintStatus.REVIEWED, ComplaintStatus.REGISTERED}),
    ComplaintStatus.REVIEWED: frozenset({ComplaintStatus.REPLIED}),
    ComplaintStatus.REPLIED: frozenset(),
}
