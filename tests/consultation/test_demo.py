"""The consultation demo loader is idempotent and feeds the hot-topics panel."""

from __future__ import annotations

from io import StringIO

import pytest

from fawang.consultation import demo
from fawang.consultation.models import FaqEntry, SmartConsultation
from fawang.consultation.selectors import hot_topics

pytestmark = pytest.mark.django_db


def test_demo_load_twice_changes_nothing():
    demo.load(stdout=StringIO())
    n_faq, n_consult = FaqEntry.objects.count(), SmartConsultation.objects.count()
    assert n_faq >= 200 and n_consult == len(demo.DEMO_QUESTIONS)
    assert SmartConsultation.objects.filter(is_demo=False).count() == 0
    demo.load(stdout=StringIO())
    assert (FaqEntry.objects.count(), SmartConsultation.objects.count()) == (n_faq, n_consult)
    assert hot_topics()["total"] == n_consult
