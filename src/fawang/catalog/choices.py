"""Choices of the service catalogue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    CONSULTATION = "consultation", _("法律咨询")
    LEGAL_AID = "legal_aid", _("法律援助")
    MEDIATION = "mediation", _("人民调解")
    NOTARY = "notary", _("公证")
    APPRAISAL = "appraisal", _("司法鉴定")
    LAWYER_REFERRAL = "lawyer_referral", _("律师服务")
    RESETTLEMENT = "resettlement", _("安置帮教")
    PUBLICITY = "publicity", _("法治宣传")
    COMPLAINT = "complaint", _("投诉与意见建议")
    VILLAGE_ADVISER = "village_adviser", _("村（居）法律顾问")
    PRISON_VIDEO_VISIT = "prison_video_visit", _("监所远程视频探视")


# Two-letter segment of the unified item code, one per type (see ServiceItem.code).
TYPE_CODE = {
    ServiceType.CONSULTATION: "ZX",
    ServiceType.LEGAL_AID: "FY",
    ServiceType.MEDIATION: "TJ",
    ServiceType.NOTARY: "GZ",
    ServiceType.APPRAISAL: "JD",
    ServiceType.LAWYER_REFERRAL: "LS",
    ServiceType.RESETTLEMENT: "AZ",
    ServiceType.PUBLICITY: "PF",
    ServiceType.COMPLAINT: "TS",
    ServiceType.VILLAGE_ADVISER: "GW",
    ServiceType.PRISON_VIDEO_VISIT: "TX",
}


class HandlingLevel(models.TextChoices):
    """Lowest level of service point that may handle an item (O6)."""

    VILLAGE = "village", _("村（居）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县（市、区）")
    CITY = "city", _("设区的市")


# Rank: a point may handle an item when its rank is >= the item's lowest level rank.
LEVEL_RANK = {
    HandlingLevel.VILLAGE: 1,
    HandlingLevel.TOWNSHIP: 2,
    HandlingLevel.COUNTY: 3,
    HandlingLevel.CITY: 4,
}
# ServicePointKind -> level it serves at.
POINT_KIND_LEVEL = {
    "village_room": HandlingLevel.VILLAGE,
    "township_station": HandlingLevel.TOWNSHIP,
    "county_center": HandlingLevel.COUNTY,
    "city_hall": HandlingLevel.CITY,
}


class Channel(models.TextChoices):
    """Channels a request can come in on (shared with cases)."""

    WINDOW = "window", _("窗口")
    HOTLINE = "hotline", _("热线")
    WEB = "web", _("网站")
    MOBILE = "mobile", _("移动端")
    WECHAT = "wechat", _("微信")
    ON_SITE = "on_site", _("上门")
    NOTIFICATION = "notification", _("通知")
