"""Complaints, opinions and suggestions (F10, M5): a business line 1:1 with the Case.

A complaint is a Case of item 投诉与意见建议 (``GGFL-TS-001``) on any channel; this model holds
what only complaints have: whom it is about, the case it concerns, and the register →
investigate → review → reply steps (own transition table in ``complaints.choices``). The
deadline of each step is a ``CaseStep`` started from the item's time limits.

Default step deadlines (``catalog/data/items.json``, item GGFL-TS-001; our defaults, not
statutory except the overall reply):
* 调查核实 investigate: 15 working days from registration (warning 3 working days before);
* 审核 review: 5 working days from the end of the investigation;
* 答复 reply: 60 calendar days from receipt (信访工作条例 第三十四条, applied by reference).
A deployment changes them by loading its own catalogue file (``fawang load-catalog FILE``) or
editing the item's time limits in the admin; clocks already running keep their deadline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.complaints.choices import ComplaintKind, ComplaintStatus, TargetKind


class Complaint(models.Model):
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="complaint")
    kind = models.CharField(_("类别"), max_length=12, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT)
    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.REGISTERED, db_index=True)
    content = models.TextField(_("投诉事项"))
    target_kind = models.CharField(_("被投诉对象类型"), max_length=16, choices=TargetKind.choices,
                                   default=TargetKind.NONE)
    target_institution = models.ForeignKey("directory.Institution", verbose_name=_("被投诉机构"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="complaints")
    target_practitioner = models.ForeignKey("directory.Practitioner", verbose_name=_("被投诉人员"), null=True,
                                            blank=True, on_delete=models.PROTECT, related_name="complaints")
    target_service_point = models.ForeignKey("regions.ServicePoint", verbose_name=_("被投诉服务点"), null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="complaints")
    target_staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被投诉工作人员"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="complaints_against")
    target_description = models.CharField(_("被投诉对象说明"), max_length=200, blank=True)
    related_case = models.ForeignKey("cases.Case", verbose_name=_("涉及案件"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="complaints_about")
    anonymous = models.BooleanField(_("匿名"), default=False)
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调查人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    findings = models.TextField(_("调查情况"), blank=True)
    substantiated = models.BooleanField(_("投诉属实"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    review_opinion = models.TextField(_("审核意见"), blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    region_code = models.CharField(_("区划"), max_length=12, db_index=True)

    class Meta:
        verbose_name = _("投诉与意见建议")
        verbose_name_plural = _("投诉与意见建议")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"
