"""The per-process lookup caches behind intake (service items, service points)."""

from __future__ import annotations

import pytest

from fawang.core.lookup_cache import clear_all_lookup_caches
from fawang.regions.models import Division, DivisionLevel, ServicePoint
from fawang.regions.selectors import service_point_for_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    clear_all_lookup_caches()
    county = Division.objects.create(code="410102", name="中原区", level=DivisionLevel.COUNTY)
    yield ServicePoint.objects.create(code="SP-CACHE", name="中原区公共法律服务中心", kind="county_center",
                                      division=county, region_code="410102")
    clear_all_lookup_caches()


def test_point_is_read_once_and_copies_are_independent(point, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = service_point_for_intake(code="SP-CACHE")
        second = service_point_for_intake(code="SP-CACHE")
    assert first.pk == second.pk == point.pk
    first.name = "changed by a caller"
    assert service_point_for_intake(code="SP-CACHE").name == "中原区公共法律服务中心"


def test_save_and_delete_drop_the_cache(point):
    assert service_point_for_intake(code="SP-CACHE").is_active
    point.is_active = False
    point.save(update_fields=["is_active"])
    assert service_point_for_intake(code="SP-CACHE").is_active is False  # intake refuses it itself
    point.delete()
    assert service_point_for_intake(code="SP-CACHE") is None


def test_unknown_codes_are_cached_until_a_bulk_creation_clears_them(point, django_assert_num_queries):
    assert service_point_for_intake(code="SP-NEW") is None
    with django_assert_num_queries(0):
        assert service_point_for_intake(code="SP-NEW") is None
    ServicePoint.objects.bulk_create([ServicePoint(code="SP-NEW", name="新站", kind="township_station",
                                                   division=point.division, region_code="410102")])
    clear_all_lookup_caches()  # what bulk writers call (``regions.services`` does)
    assert service_point_for_intake(code="SP-NEW") is not None


def test_entries_expire(point, monkeypatch):
    from fawang.core import lookup_cache

    now = [100.0]
    monkeypatch.setattr(lookup_cache.time, "monotonic", lambda: now[0])
    assert service_point_for_intake(code="SP-CACHE").name == "中原区公共法律服务中心"
    ServicePoint.objects.filter(pk=point.pk).update(name="改名")  # another process: no signal here
    assert service_point_for_intake(code="SP-CACHE").name == "中原区公共法律服务中心"
    now[0] += 31
    assert service_point_for_intake(code="SP-CACHE").name == "改名"
