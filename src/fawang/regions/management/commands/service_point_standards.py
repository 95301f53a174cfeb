"""``fawang service-point-standards [--region CODE]``: the standards report (thin over selectors)."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from fawang.core.errors import DomainError
from fawang.regions.selectors import standards_report

SHORTFALL_LABELS = {
    "floor_area": "建筑面积", "hall_area": "服务大厅面积", "zones": "功能区", "posts": "基本岗位",
    "accessible_facilities": "无障碍设施", "equipment": "设施设备",
}


def _pad(text: str, width: int) -> str:
    """Left-justify to ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


class Command(BaseCommand):
    help = "服务点建设标准达标情况（按层级统计并列出未达标项）/ Service point standards report."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--region", default="", help="区划代码，如 4101（默认全部）")
        parser.add_argument("--limit", type=int, default=50, help="最多列出多少个未达标服务点（0 = 全部）")

    def handle(self, *args: object, **options: object) -> None:
        region = str(options["region"] or "").strip()
        if region and not (region.isascii() and region.isdigit()):
            raise CommandError("--region 应为数字区划代码。")
        try:
            report = standards_report(region=region)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        write = self.stdout.write
        write(f"服务点建设标准达标情况（区划：{region or '全部'}）")
        write(_pad("层级", 32) + "    总数    达标  未达标  未达标项")  # numbers are 8 columns wide
        total = compliant = 0
        for kind in report.kinds:
            total += kind.total
            compliant += kind.compliant
            missed = "，".join(f"{label} {kind.shortfall_counts[code]}" for code, label in SHORTFALL_LABELS.items()
                              if kind.shortfall_counts[code])
            write(f"{_pad(kind.label, 32)}{kind.total:>8}{kind.compliant:>8}{kind.below_standard:>8}  {missed or '—'}")
        write(f"{_pad('合计', 32)}{total:>8}{compliant:>8}{total - compliant:>8}")
        limit = int(options["limit"] or 0)
        below = report.below if limit <= 0 else report.below[:limit]
        if below:
            write("")
            write("未达标服务点：")
            for point, shortfalls in below:
                write(f"  {point.code} {point.name}：" + "".join(s.message for s in shortfalls))
            if len(below) < len(report.below):
                write(f"  ……另有 {len(report.below) - len(below)} 个（用 --limit 0 列出全部）")
