"""Laws, their structure and articles; case write-ups; FAQ.

The article is the unit of retrieval: a citizen's question is answered by statute articles, and
every answer the platform gives cites them by (law title, article label).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LawLevel(models.TextChoices):
    CONSTITUTION = "constitution", _("宪法")
    LAW = "law", _("法律")
    ADMINISTRATIVE_REGULATION = "administrative_regulation", _("行政法规")
    JUDICIAL_INTERPRETATION = "judicial_interpretation", _("司法解释")
    DEPARTMENTAL_RULE = "departmental_rule", _("部门规章")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    CASE = "case", _("案例")
    OTHER = "other", _("其他")


class Law(models.Model):
    title = models.CharField(_("标题"), max_length=300, db_index=True)
    short_title = models.CharField(_("简称"), max_length=200, blank=True, db_index=True)
    level = models.CharField(_("效力级别"), max_length=32, choices=LawLevel.choices, db_index=True)
    category = models.CharField(_("分类"), max_length=50, blank=True, db_index=True)
    issuing_body = models.CharField(_("制定机关"), max_length=200, blank=True)
    publish_date = models.DateField(_("公布日期"), null=True, blank=True)
    valid_from = models.DateField(_("施行日期"), null=True, blank=True)
    in_force = models.BooleanField(_("现行有效"), default=True, db_index=True)
    # Set by the import when another law's text repeals this one ("《X》同时废止"), see repeals.py.
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    repealed_by = models.CharField(_("废止依据"), max_length=400, blank=True, default="",
                                   help_text=_("废止本法的法律及其条文（导入时从该法条文中识别）"))
    history = models.TextField(_("制定修改沿革"), blank=True)
    # Where it came from: "national/行政法/法律援助法(2021-08-20).md"; the re-import key.
    source = models.CharField(_("来源"), max_length=400, unique=True)
    region_code = models.CharField(_("适用区划"), max_length=12, blank=True, db_index=True,
                                   help_text=_("地方性法规的制定地区；全国性法律为空"))
    is_case = models.BooleanField(_("案例"), default=False, db_index=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    label = models.CharField(_("条号"), max_length=30)  # "第五十四条", "第一百零一条之一"
    number = models.PositiveIntegerField(_("条序号"))  # 54
    sub_number = models.PositiveSmallIntegerField(_("之几"), default=0)  # 之一 → 1
    position = models.PositiveIntegerField(_("顺序"))  # order within the law
    # 编/分编 (刑法 第二编 分则, 民法典 物权编 第一分编): the level above the chapter.
    part = models.CharField(_("编"), max_length=200, blank=True, default="")
    chapter = models.CharField(_("章"), max_length=200, blank=True)
    section = models.CharField(_("节"), max_length=200, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["law_id", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "position"], name="article_unique_position")]
        indexes = [models.Index(fields=["law", "number", "sub_number"])]

    def __str__(self) -> str:
        return f"{self.law.title} {self.label}"
