"""The demo loaders are idempotent and skip cleanly without their prerequisites."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loaders_idempotent_without_demo_users():
    from fawang.legalaid import demo as legalaid_demo
    from fawang.legalaid.models import HardshipStandard, SubsidyStandard
    from fawang.mediation import demo as mediation_demo

    for _ in range(2):
        out = io.StringIO()
        legalaid_demo.load(stdout=out)
        mediation_demo.load(stdout=out)
        assert "跳过" in out.getvalue()
    assert HardshipStandard.objects.get(region_code="41").basis.startswith("演示数据")
    assert SubsidyStandard.objects.filter(region_code="41").count() == 3
