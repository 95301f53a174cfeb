"""Legal service institutions, their practitioners and public credit records (F11, F12).

Lists of keys (specialties, languages, service areas) are JSON lists for the API; the same
keys are mirrored into ``tags`` ("|s:labor|l:english|a:410105|") so that filters run as a
plain substring match on both SQLite and PostgreSQL (SQLite has no JSON containment lookup).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.core.fields import EncryptedCharField

from .choices import (
    AssessmentResult,
    CreditRecordKind,
    InstitutionKind,
    Language,
    ListingStatus,
    MediationCommitteeKind,
    PracticeArea,
    PractitionerKind,
    Sex,
)


def _labels(keys: list[str], choices: type) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(k, k)) for k in keys]


class ListedMixin:
    """Display helpers shared by institutions and practitioners."""

    specialties: list[str]
    languages: list[str]

    @property
    def specialty_labels(self) -> list[str]:
        return _labels(self.specialties, PracticeArea)

    @property
    def language_labels(self) -> list[str]:
        return _labels(self.languages, Language)


def build_tags(*, specialties: list[str] = (), languages: list[str] = (), areas: list[str] = ()) -> str:
    parts = [f"s:{v}" for v in specialties] + [f"l:{v}" for v in languages] + [f"a:{v}" for v in areas]
    return "|" + "|".join(parts) + "|" if parts else ""


class Institution(ListedMixin, models.Model):
    kind = models.CharField(_("机构类型"), max_length=24, choices=InstitutionKind.choices, db_index=True)
    mediation_kind = models.CharField(_("调解委员会类型"), max_length=16, choices=MediationCommitteeKind.choices,
                                      blank=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    licence_number = models.CharField(_("执业许可证号"), max_length=40, blank=True)
    responsible_person = models.CharField(_("负责人"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("电话"), max_length=60, blank=True)
    division = models.ForeignKey("regions.Division", verbose_name=_("所在区划"), on_delete=models.PROTECT,
                                 related_name="institutions")
    # Denormalised copy of division_id: the key every region-scoped query filters on.
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    service_areas = models.JSONField(_("服务区域"), default=list, blank=True,
                                     help_text=_("行政区划代码列表；空表示所在区划"))
    specialties = models.JSONField(_("业务专长"), default=list, blank=True)
    languages = models.JSONField(_("服务语言"), default=list, blank=True)
    tags = models.CharField(max_length=1000, blank=True, editable=False)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    business_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ListingStatus.choices,
                              default=ListingStatus.ACTIVE, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法律服务机构")
        verbose_name_plural = _("法律服务机构")
        ordering = ["region_code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""),
                                    name="directory_institution_unique_credit_code"),
            models.UniqueConstraint(fields=["kind", "licence_number"], condition=~Q(licence_number=""),
                                    name="directory_institution_unique_licence"),
        ]
        indexes = [models.Index(fields=["latitude", "longitude"], name="directory_inst_latlng")]

    def __str__(self) -> str:
        return self.name

    def refresh_tags(self) -> None:
        self.tags = build_tags(specialties=self.specialties, languages=self.languages, areas=self.service_areas)


class Practitioner(ListedMixin, models.Model):
    kind = models.CharField(_("人员类型"), max_length=24, choices=PractitionerKind.choices, db_index=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    licence_number = models.CharField(_("执业证号"), max_length=40, blank=True)
    practice_since = models.PositiveSmallIntegerField(_("执业起始年份"), null=True, blank=True)
    institution = models.ForeignKey(Institution, verbose_name=_("执业机构"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="practitioners")
    specialties = models.JSONField(_("业务专长"), default=list, blank=True)
    languages = models.JSONField(_("服务语言"), default=list, blank=True)
    tags = models.CharField(max_length=1000, blank=True, editable=False)
    division = models.ForeignKey("regions.Division", verbose_name=_("服务区域"), on_delete=models.PROTECT,
                                 related_name="practitioners")
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    # Personal contact: encrypted at rest, masked for staff unless revealed (audited); the
    # public sees the institution's phone instead.
    phone = EncryptedCharField(_("联系电话"), max_length=60, blank=True)
    photo = models.ImageField(_("照片"), upload_to="directory/photos/", blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    is_legal_aid_lawyer = models.BooleanField(_("法律援助律师"), default=False, db_index=True)
    # Open assignments (legal aid cases, mediations) currently held; maintained by the business
    # lines when they assign and close work, read by allocation.
    current_load = models.PositiveIntegerField(_("当前承办量"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=ListingStatus.choices,
                              default=ListingStatus.ACTIVE, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法律服务人员")
        verbose_name_plural = _("法律服务人员")
        ordering = ["region_code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "licence_number"], condition=~Q(licence_number=""),
                                    name="directory_practitioner_unique_licence"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def refresh_tags(self) -> None:
        self.tags = build_tags(specialties=self.specialties, languages=self.languages)

    @property
    def years_in_practice(self) -> int | None:
        if self.practice_since is None:
            return None
        return max(0, datetime.date.today().year - self.practice_since)


class CreditRecord(models.Model):
    """A public credit entry (信用信息公开, F11) about one institution or one practitioner."""

    kind = models.CharField(_("类型"), max_length=16, choices=CreditRecordKind.choices, db_index=True)
    institution = models.ForeignKey(Institution, verbose_name=_("机构"), null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="credit_records")
    practitioner = models.ForeignKey(Practitioner, verbose_name=_("人员"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="credit_records")
    assessment_result = models.CharField(_("考核结果"), max_length=16, choices=AssessmentResult.choices,
                                         blank=True)
    decided_on = models.DateField(_("决定日期"))
    issuing_authority = models.CharField(_("决定机关"), max_length=200)
    decision_number = models.CharField(_("决定文号"), max_length=100, blank=True)
    summary = models.TextField(_("内容摘要"))
    public_until = models.DateField(_("公示截止日期"), null=True, blank=True,
                                    help_text=_("空表示长期公示"))
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(institution__isnull=False, practitioner__isnull=True)
                           | Q(institution__isnull=True, practitioner__isnull=False)),
                name="directory_credit_record_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on} {self.subject}"

    @property
    def subject(self) -> Institution | Practitioner | None:
        return self.institution or self.practitioner

    def is_public_on(self, day: datetime.date) -> bool:
        return self.public_until is None or self.public_until >= day
