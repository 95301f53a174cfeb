"""The service catalogue (F14, F15, F16): one record per service item, rendered everywhere.

The public guide (办事指南), the API and the window intake form all read the same
``ServiceItem`` row, so the same item has the same name, legal basis, materials and time
limits on every channel and at every level.

Unified item code: ``GGFL-<TT>-<NNN>`` — "GGFL" (公共法律) is the catalogue prefix, ``TT``
the two-letter type segment (``catalog.choices.TYPE_CODE``: ZX 咨询, FY 法援, TJ 调解, GZ 公证,
JD 鉴定, LS 律师, AZ 安置帮教, PF 普法, TS 投诉, GW 法律顾问, TX 视频探视) and ``NNN`` a
three-digit serial inside the type. Codes never change once published; a withdrawn item is
deactivated, never renumbered.

Structured fields are JSON lists whose shape is validated in ``catalog.services``:

* ``legal_basis``: ``[{"law": "中华人民共和国法律援助法", "article": "第四十三条", "text": "…"}]``
* ``materials``: ``[{"key": "id_card", "name": "身份证件", "required": true, "notes": "…", "sample": "…"}]``
* ``forms``: ``[{"key": "application", "name": "…", "notes": "…", "sample": "…",
  "fields": [{"name": "…", "label": "…", "type": "text|textarea|date|choice|number",
  "required": bool, "choices": [...], "help": "…"}]}]``
* ``time_limits``: ``[{"step": "decide", "name": "审查决定", "days": 7, "hours": 0,
  "unit": "calendar|working", "warn_days_before": 1, "article": "法律援助法第四十三条",
  "start_event": "case.received", "stop_events": ["legalaid.decided"]}]`` — the case spine
  starts a clock per entry when ``start_event`` is appended and stops it on a stop event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.catalog.choices import LEVEL_RANK, POINT_KIND_LEVEL, Channel, HandlingLevel, ServiceType


@dataclass(frozen=True)
class TimeLimit:
    """One statutory or committed time limit of an item, as stored in ``time_limits``."""

    step: str
    name: str
    days: int = 0
    hours: int = 0
    unit: str = "calendar"
    warn_days_before: int = 1
    article: str = ""
    start_event: str = "case.received"
    stop_events: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimeLimit:
        return cls(
            step=data["step"],
            name=data.get("name", data["step"]),
            days=int(data.get("days", 0)),
            hours=int(data.get("hours", 0)),
            unit=data.get("unit", "calendar"),
            warn_days_before=int(data.get("warn_days_before", 1)),
            article=data.get("article", ""),
            start_event=data.get("start_event", "case.received"),
            stop_events=tuple(data.get("stop_events", ())),
        )

    def sla_rule(self) -> Any:
        """The ``fawang.core.sla.SlaRule`` for this limit."""
        from fawang.core.sla import DayUnit, SlaRule

        return SlaRule(
            days=self.days,
            unit=DayUnit(self.unit),
            warn_days_before=self.warn_days_before,
            article=self.article,
            hours=self.hours,
        )


class ServiceItem(models.Model):
    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    service_type = models.CharField(_("事项类型"), max_length=32, choices=ServiceType.choices, db_index=True)
    summary = models.TextField(_("事项说明"), blank=True)
    legal_basis = models.JSONField(_("设定依据"), default=list, blank=True)
    lowest_level = models.CharField(
        _("最低办理层级"), max_length=12, choices=HandlingLevel.choices, default=HandlingLevel.VILLAGE,
        help_text=_("该层级及以上的服务点均应受理，能在乡镇办理的不得推到县级。"),
    )
    handling_body = models.CharField(_("办理机构"), max_length=200, blank=True)
    conditions = models.JSONField(_("办理条件"), default=list, blank=True)
    process = models.JSONField(_("办理流程"), default=list, blank=True)
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    forms = models.JSONField(_("表格及填写说明"), default=list, blank=True)
    time_limits = models.JSONField(_("办理时限"), default=list, blank=True)
    fees = models.TextField(_("收费标准"), blank=True)
    fee_waivers = models.TextField(_("减免情形"), blank=True)
    channels = models.JSONField(_("办理渠道"), default=list, blank=True)
    is_x_item = models.BooleanField(
        _("X事项"), default=False, help_text=_("各地根据实际增设的特色事项（“N+X”中的X）。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_time_limits(self) -> list[TimeLimit]:
        return [TimeLimit.from_dict(d) for d in self.time_limits or []]

    def required_materials(self) -> list[dict[str, Any]]:
        return [m for m in self.materials or [] if m.get("required")]

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels or []]

    def can_be_handled_by_kind(self, point_kind: str) -> bool:
        """Whether a service point of ``point_kind`` must accept this item (O6)."""
        level = POINT_KIND_LEVEL.get(point_kind)
        if level is None:
            return False
        return LEVEL_RANK[level] >= LEVEL_RANK[HandlingLevel(self.lowest_level)]


class ServiceBundle(models.Model):
    """A themed one-stop bundle (主题式/套餐式服务, F16).

    The citizen fills ``form_schema`` once; intake creates one linked case per item and copies
    the shared form data into each (``cases.services.bundle_intake``).
    """

    code = models.CharField(_("套餐编码"), max_length=20, unique=True)
    name = models.CharField(_("套餐名称"), max_length=100)
    summary = models.TextField(_("说明"), blank=True)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("包含事项"), related_name="bundles")
    form_schema = models.JSONField(_("共用表单"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题服务套餐")
        verbose_name_plural = _("主题服务套餐")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name
