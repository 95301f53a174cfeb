"""Administrative divisions (province → village) and the physical service points on them.

Division codes are the 12-digit statistical codes cut to their level's length (province 2,
city 4, county 6, township 9, village 12 digits), so a region's subtree is exactly the set of
codes that start with its code. Scoping everywhere relies on that (see ``fawang.core.scoping``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("市级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡级")
    VILLAGE = 5, _("村级")


# Length of a division code at each level.
CODE_LENGTH = {
    DivisionLevel.PROVINCE: 2,
    DivisionLevel.CITY: 4,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.TOWNSHIP: 9,
    DivisionLevel.VILLAGE: 12,
}
LEVEL_BY_CODE_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


class Division(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=DivisionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServicePointKind(models.TextChoices):
    CITY_HALL = "city_hall", _("市级公共法律服务中心（大厅）")
    COUNTY_CENTER = "county_center", _("县级公共法律服务中心")
    TOWNSHIP_STATION = "township_station", _("乡镇（街道）公共法律服务工作站")
    VILLAGE_ROOM = "village_room", _("村（居）公共法律服务工作室")


class ServicePoint(models.Model):
    """A physical service point: hall, center, station or room (S2)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=ServicePointKind.choices, db_index=True)
    division = models.ForeignKey(Division, verbose_name=_("所在区划"), on_delete=models.PROTECT,
                                 related_name="service_points")
    # Denormalised copy of division_id: the key every region-scoped query filters on.
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    opening_hours = models.CharField(_("服务时间"), max_length=200, blank=True)
    floor_area = models.DecimalField(_("建筑面积（平方米）"), max_digits=8, decimal_places=1, null=True, blank=True)
    hall_area = models.DecimalField(_("服务大厅面积（平方米）"), max_digits=8, decimal_places=1, null=True, blank=True)
    zones = models.JSONField(_("功能区"), default=list, blank=True)
    accessible_facilities = models.JSONField(_("无障碍设施"), default=list, blank=True)
    equipment = models.JSONField(_("设备"), default=list, blank=True)
    posts = models.JSONField(_("岗位"), default=list, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("运行中"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("服务点")
        verbose_name_plural = _("服务点")
        ordering = ["region_code", "kind"]

    def __str__(self) -> str:
        return self.name
