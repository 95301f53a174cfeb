"""The shipped catalogue loads idempotently, validates, and renders the same record everywhere."""

from __future__ import annotations

import copy
import json

import pytest

from fawang.catalog.models import ServiceBundle, ServiceItem
from fawang.catalog.services import DATA_FILE, catalog_load
from fawang.core.errors import DomainError

pytestmark = pytest.mark.django_db

REQUIRED_NAMES = ["法律咨询", "法律援助申请", "通知辩护", "人民调解申请", "公证服务导引与预约", "司法鉴定服务导引", "律师服务导引",
                  "安置帮教", "法治宣传", "投诉与意见建议", "村（居）法律顾问服务", "监所远程视频探视预约"]


def test_load_is_idempotent_and_complete():
    first = catalog_load()
    assert first.created == ServiceItem.objects.count() >= 12
    second = catalog_load()
    assert second.created == 0 and second.updated == 0 and second.unchanged == first.created
    names = list(ServiceItem.objects.values_list("name", flat=True))
    for wanted in REQUIRED_NAMES:
        assert any(wanted in n for n in names), wanted
    assert ServiceItem.objects.get(code="GGFL-TX-001").is_x_item
    wage = ServiceBundle.objects.get(name="欠薪维权一件事")
    assert set(wage.items.values_list("service_type", flat=True)) == {"consultation", "legal_aid", "mediation"}


def test_legal_aid_limit_cites_article_43():
    catalog_load()
    item = ServiceItem.objects.get(code="GGFL-FY-001")
    decide = next(limit for limit in item.get_time_limits() if limit.step == "decide")
    assert decide.days == 7 and "第四十三条" in decide.article
    assert decide.sla_rule().days == 7


def test_bad_data_saves_nothing():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["items"][-1]["code"] = "GGFL-ZX-999"  # type segment does not match the type
    with pytest.raises(DomainError) as exc:
        catalog_load(data=broken)
    assert "编码" in exc.value.message
    assert ServiceItem.objects.count() == 0
    broken = copy.deepcopy(data)
    broken["items"][0]["time_limits"][0]["article"] = ""
    with pytest.raises(DomainError):
        catalog_load(data=broken)


def test_township_must_handle_village_level_items():
    catalog_load()
    consult = ServiceItem.objects.get(code="GGFL-ZX-001")
    notified = ServiceItem.objects.get(code="GGFL-FY-002")
    assert consult.can_be_handled_by_kind("township_station")
    assert not notified.can_be_handled_by_kind("township_station")
    assert notified.can_be_handled_by_kind("county_center")


def test_guide_page_and_api_render_the_same_record(client):
    catalog_load()
    item = ServiceItem.objects.get(code="GGFL-FY-001")
    page = client.get(f"/services/{item.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert item.name in html and "第四十三条" in html and "经济困难状况说明表" in html
    api = client.get(f"/api/catalog/items/{item.code}").json()
    assert api["name"] == item.name and api["materials"] == item.materials
    assert client.get("/services/GGFL-XX-000/").status_code == 404
    assert client.get("/api/catalog/items/nope").status_code == 404
    assert client.get("/services/").status_code == 200
    listing = client.get("/api/catalog/items?service_type=legal_aid").json()
    assert {i["code"] for i in listing} == {"GGFL-FY-001", "GGFL-FY-002"}
    bundle = client.get("/api/catalog/bundles/GGFL-TC-001").json()
    assert bundle["items"] == ["GGFL-ZX-001", "GGFL-FY-001", "GGFL-TJ-001"]
    assert client.get("/services/bundles/GGFL-TC-001/").status_code == 200


def test_load_catalog_command(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    call_command("load_catalog")
    assert "新增 12" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": [{"code": "X"}]}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_catalog", str(bad))


def test_intake_item_cache_follows_catalogue_changes(db):
    """The per-process cache behind intake never serves an item after it is switched off or reloaded."""
    from fawang.catalog.selectors import item_cache_clear, item_for_intake

    item_cache_clear()
    catalog_load()
    first = item_for_intake(code="GGFL-ZX-001")
    assert first is not None and first.code == "GGFL-ZX-001"
    first.name = "changed by a caller"  # a copy: the cache is not affected
    assert item_for_intake(code="GGFL-ZX-001").name != "changed by a caller"
    item = ServiceItem.objects.get(code="GGFL-ZX-001")
    item.is_active = False
    item.save(update_fields=["is_active"])
    assert item_for_intake(code="GGFL-ZX-001") is None
    ServiceItem.objects.filter(code="GGFL-ZX-001").update(is_active=True)  # bypasses signals …
    catalog_load()  # … but a catalogue load clears the cache
    assert item_for_intake(code="GGFL-ZX-001") is not None
    assert item_for_intake(code="GGFL-XX-404") is None
    item_cache_clear()
