"""``./run`` loads the demo data on every start: a second load must change nothing."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

# Rows that legitimately change on every load (timestamps of when the load ran, sessions).
VOLATILE_MODELS = {"core.auditentry", "core.outboxmessage", "sessions.session", "axes.accessattempt",
                   "axes.accesslog", "axes.accessfailurelog"}


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every table the demo touches."""
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE_MODELS or not model._meta.app_label.startswith(("regions", "accounts",
                                                                              "directory", "catalog",
                                                                              "knowledge", "consultation",
                                                                              "cases", "legalaid",
                                                                              "mediation", "complaints")):
            continue
        digest = hashlib.sha256()
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("last_login",)]
        rows = model.objects.order_by("pk").values_list(*fields)
        count = 0
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
            count += 1
        result[label] = (count, digest.hexdigest())
    return result


@pytest.mark.slow
@pytest.mark.django_db
def test_second_demo_load_changes_no_data():
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    assert first["regions.division"][0] > 2000, "the Zhengzhou divisions were not loaded"
    assert first["regions.servicepoint"][0] > 2000
    call_command("load_demo", stdout=StringIO())
    second = snapshot()
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert not changed
