"""The finder in a real browser: choosing a county loads its townships (htmx) and the results.

Same set-up as tests/e2e (Debian Chromium through Playwright against the live server).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fawang.regions.services import divisions_import, service_points_generate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    # The visitor stands at the 中牟县 center's (approximate) position.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  geolocation={"latitude": 34.719, "longitude": 113.976},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_county_then_township_narrows_the_list(page, live_server, divisions_dir: Path) -> None:  # type: ignore[no-untyped-def]
    divisions_import(directory=divisions_dir)
    service_points_generate(region_code="4101")

    page.goto(f"{live_server.url}/points/")
    page.get_by_text("共 7 个站点").wait_for()

    page.select_option("select[name=county]", "410122")
    page.get_by_text("共 3 个站点").wait_for()
    page.wait_for_selector("#township-select option[value='410122100']", state="attached")
    assert page.locator("#township-select option").all_inner_texts() == ["全部", "城关镇"]

    page.select_option("select[name=township]", "410122100")
    page.get_by_text("共 2 个站点").wait_for()
    page.get_by_role("link", name="东风路村公共法律服务工作室").click()
    page.get_by_role("heading", name="东风路村公共法律服务工作室").wait_for()
    assert "附近的其他站点" in page.content()


def test_use_my_location_lists_the_nearest_first(page, live_server, divisions_dir: Path) -> None:  # type: ignore[no-untyped-def]
    divisions_import(directory=divisions_dir)
    service_points_generate(region_code="4101")

    page.goto(f"{live_server.url}/points/")
    page.get_by_role("button", name="查找我附近的站点").click()
    page.get_by_role("heading", name="离您最近的站点").wait_for()
    first = page.locator("#results tbody tr").first
    assert "中牟县公共法律服务中心" in first.inner_text()
    page.wait_for_url("**lat=34.719**")  # pushed into the address bar: the result can be shared
