"""In a real browser: the htmx filter updates results in place and the ECharts map draws.

Skipped when Chromium is absent. Playwright's sync API runs an event loop in the test thread,
so ORM calls from it are allowed here (the live server runs in its own thread).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fawang.directory.choices import InstitutionKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def listing(make_institution):
    make_institution(name="河南金水律师事务所", specialties=["labor"], latitude=34.77, longitude=113.67, is_demo=True)
    make_institution(kind=InstitutionKind.LEGAL_AID_CENTER, name="郑州市二七区法律援助中心", division_code="410103",
                     latitude=34.73, longitude=113.60)


def test_filter_updates_results_without_reload(page, live_server, listing):
    page.goto(live_server.url + "/directory/")
    assert "河南金水律师事务所" in page.inner_text("#results")
    page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded
    page.select_option("select[name=institution_kind]", "legal_aid_center")
    page.wait_for_function("!document.querySelector('#results').innerText.includes('河南金水律师事务所')")
    assert "郑州市二七区法律援助中心" in page.inner_text("#results")
    assert page.evaluate("window.__marker") == 1
    assert "institution_kind=legal_aid_center" in page.url  # the URL can be shared
    assert not page.js_errors


def test_map_draws_points(page, live_server, listing):
    page.goto(live_server.url + "/directory/map/")
    page.wait_for_selector("#directory-map canvas")
    page.wait_for_selector("#map-demo-note:not([hidden])")
    assert not page.js_errors
