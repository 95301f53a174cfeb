"""Shared fixtures. Database tests run on SQLite by default and on PostgreSQL when
FAWANG_DATABASE_URL points at one (``./test`` does both)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

os.environ.setdefault("FAWANG_TESTING", "1")

# Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.
# Playwright's sync API runs an event loop in the test thread; Django would then refuse ORM calls
# from that thread, so they are allowed (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("FAWANG_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium per test process: Playwright's sync API allows only one loop per thread."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: ./test installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Counters kept in Django's cache (rate limits, failed progress lookups) start at zero in every
    test: one process runs hundreds of tests from the same client address."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_lookup_caches() -> Iterator[None]:
    """Rows cached per process (intake's items and points) must not outlive the test database
    rollback that removed them."""
    from fawang.core.lookup_cache import clear_all_lookup_caches

    clear_all_lookup_caches()
    yield
    clear_all_lookup_caches()


@pytest.fixture(autouse=True)
def _event_log_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let transactional tests empty the append-only case event log on SQLite.

    Transactional tests (live server, ``transaction=True``) end with a flush that DELETEs every
    table; the append-only trigger of ``cases_caseevent`` rightly refuses that. Before the flush
    (this fixture is torn down first because it sets the database fixture up itself) the events
    are removed with the trigger lifted, and the trigger is put back. PostgreSQL's flush uses
    TRUNCATE, which row triggers do not see.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    transactional = transactional or bool({"transactional_db", "live_server"} & set(request.fixturenames))
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='cases_caseevent'")
        triggers = [row[0] for row in cursor.fetchall()]
        if not triggers:
            return
        cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='cases_caseevent'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute("DELETE FROM cases_caseevent")
        for sql in triggers:
            cursor.execute(sql)
