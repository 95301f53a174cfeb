"""The demo loader of the consultation line: runs on every start, so a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest

from fawang.accounts.models import Role, User
from fawang.cases.models import Case, CaseEvent
from fawang.consultation import demo
from fawang.consultation.models import ConsultationRecord, ConsultationRound

from .conftest import service_point

pytestmark = pytest.mark.django_db


def test_demo_line_is_idempotent_and_skips_without_accounts(catalog):
    out = StringIO()
    demo.load_line(stdout=out)
    assert "missing" in out.getvalue() and not ConsultationRecord.objects.exists()
    point = service_point("SP-DEMO-ZM", "410122")
    for username, role in (("zhongmou.hotline", Role.HOTLINE_AGENT), ("zhongmou.lawyer", Role.LAWYER),
                           ("citizen.demo", Role.CITIZEN)):
        User.objects.create_user(username=username, password="pw-Test-12345", role=role, real_name=username,
                                 service_point=point if role != Role.CITIZEN else None)
    demo.load_line(stdout=StringIO())
    counts = (ConsultationRecord.objects.count(), ConsultationRound.objects.count(), Case.objects.count(),
              CaseEvent.objects.count())
    assert counts[:2] == (2, 2)
    statuses = dict(ConsultationRecord.objects.values_list("question", "status"))
    assert statuses["租房押金房东不退怎么办？"] == "closed"
    assert all(ConsultationRecord.objects.values_list("is_demo", flat=True))
    demo.load_line(stdout=StringIO())
    assert (ConsultationRecord.objects.count(), ConsultationRound.objects.count(), Case.objects.count(),
            CaseEvent.objects.count()) == counts
