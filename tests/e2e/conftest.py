"""The citizen's phone: a small-screen browser page on the live server (see tests/conftest.py)."""

from __future__ import annotations

import pytest

from consultation.conftest import catalog, laws  # noqa: F401  (fixtures: a matter to look up)


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
