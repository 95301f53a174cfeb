"""Writes on the catalogue: loading the shipped item data idempotently, with validation.

The catalogue content lives in ``catalog/data/items.json`` (written from the laws by the
project, reviewed like code). Loading it twice changes nothing; an item edited in the admin is
overwritten by the file on the next load only where the file differs (the file is the
source of truth for the statutory content).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fawang.catalog.choices import TYPE_CODE, Channel, HandlingLevel, ServiceType
from fawang.catalog.models import ServiceBundle, ServiceItem
from fawang.catalog.selectors import item_cache_clear
from fawang.core.errors import DomainError

DATA_FILE = Path(__file__).resolve().parent / "data" / "items.json"
CODE_RE = re.compile(r"^GGFL-([A-Z]{2})-(\d{3})$")
FIELD_TYPES = {"text", "textarea", "date", "choice", "number"}
ITEM_FIELDS = (
    "name", "service_type", "summary", "legal_basis", "lowest_level", "handling_body", "conditions", "process",
    "materials", "forms", "time_limits", "fees", "fee_waivers", "channels", "is_x_item", "sort_order",
)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _fail(code: str, where: str, message: str) -> DomainError:
    return DomainError(code, _("事项目录数据有误（%(where)s）：%(msg)s") % {"where": where, "msg": message})


def validate_form_fields(fields: Iterable[dict[str, Any]], where: str) -> None:
    for f in fields:
        if not f.get("name") or not f.get("label"):
            raise _fail("catalog_form_invalid", where, _("表单字段须有 name 和 label"))
        if f.get("type", "text") not in FIELD_TYPES:
            raise _fail("catalog_form_invalid", where, _("表单字段类型无效：%s") % f.get("type"))
        if f.get("type") == "choice" and not f.get("choices"):
            raise _fail("catalog_form_invalid", where, _("选择字段须列出选项"))


def validate_item_data(data: dict[str, Any]) -> None:
    """Check one item record of items.json; raise DomainError naming the problem."""
    from fawang.cases.events import event_types
    from fawang.core.sla import DayUnit

    code = data.get("code", "")
    match = CODE_RE.match(code)
    if not match:
        raise _fail("catalog_code_invalid", code or "?", _("事项编码须为 GGFL-XX-000 格式"))
    if data.get("service_type") not in ServiceType.values:
        raise _fail("catalog_type_invalid", code, _("事项类型无效"))
    if TYPE_CODE[ServiceType(data["service_type"])] != match.group(1):
        raise _fail("catalog_code_invalid", code, _("编码中的类型段与事项类型不一致"))
    if not data.get("name"):
        raise _fail("catalog_name_required", code, _("缺少事项名称"))
    if data.get("lowest_level") not in HandlingLevel.values:
        raise _fail("catalog_level_invalid", code, _("最低办理层级无效"))
    for basis in data.get("legal_basis", []):
        if not basis.get("law"):
            raise _fail("catalog_basis_invalid", code, _("设定依据须写明法律法规名称"))
    for m in data.get("materials", []):
        if not m.get("name") or not isinstance(m.get("required"), bool):
            raise _fail("catalog_material_invalid", code, _("材料须有名称并注明是否必需"))
    for form in data.get("forms", []):
        validate_form_fields(form.get("fields", []), f"{code} {form.get('name', '')}")
    known = set(event_types())
    for limit in data.get("time_limits", []):
        if not limit.get("step") or limit.get("unit", "calendar") not in DayUnit.values:
            raise _fail("catalog_limit_invalid", code, _("时限须有环节和计算单位"))
        if bool(limit.get("days")) == bool(limit.get("hours")):
            raise _fail("catalog_limit_invalid", code, _("时限须以日或小时之一计算"))
        if not limit.get("article"):
            raise _fail("catalog_limit_invalid", code, _("时限须注明依据"))
        # Spine events must exist; business-line events may be declared by apps loaded later.
        for name in [limit.get("start_event", "case.received"), *limit.get("stop_events", [])]:
            if name.startswith("case.") and name not in known:
                raise _fail("catalog_limit_invalid", code, _("未知事件类型：%s") % name)
    unknown = set(data.get("channels", [])) - set(Channel.values)
    if unknown:
        raise _fail("catalog_channel_invalid", code, _("渠道无效：%s") % "、".join(sorted(unknown)))


def catalog_load(*, path: Path | None = None, data: dict[str, Any] | None = None) -> LoadResult:
    """Create or update the items and bundles of the catalogue file, all or nothing."""
    if data is None:
        data = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    items = data.get("items", [])
    codes = [i.get("code") for i in items]
    if len(codes) != len(set(codes)):
        raise _fail("catalog_code_duplicate", "items", _("事项编码重复"))
    for item in items:
        validate_item_data(item)
    created = updated = unchanged = 0
    with transaction.atomic():
        for record in items:
            values = {name: record.get(name, ServiceItem._meta.get_field(name).get_default()) for name in ITEM_FIELDS}
            obj = ServiceItem.objects.filter(code=record["code"]).first()
            if obj is None:
                ServiceItem.objects.create(code=record["code"], **values)
                created += 1
                continue
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save(update_fields=[*changed, "updated_at"])
                updated += 1
            else:
                unchanged += 1
        for record in data.get("bundles", []):
            validate_form_fields(record.get("form_schema", []), record.get("code", "?"))
            values = {"name": record["name"], "summary": record.get("summary", ""),
                      "form_schema": record.get("form_schema", []), "sort_order": record.get("sort_order", 0)}
            bundle, was_created = ServiceBundle.objects.get_or_create(code=record["code"], defaults=values)
            changed = [k for k, v in values.items() if getattr(bundle, k) != v]
            if changed and not was_created:
                for name in changed:
                    setattr(bundle, name, values[name])
                bundle.save(update_fields=changed)
            wanted = list(ServiceItem.objects.filter(code__in=record.get("items", [])))
            if len(wanted) != len(record.get("items", [])):
                raise _fail("catalog_bundle_invalid", record["code"], _("套餐包含未知事项"))
            if set(bundle.items.values_list("pk", flat=True)) != {i.pk for i in wanted}:
                bundle.items.set(wanted)
        transaction.on_commit(item_cache_clear)
    item_cache_clear()
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
