"""``insert_new`` stores exactly the row ``save()`` would, and falls back to ``save()`` when unsure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from fawang.core.fast_insert import batched_inserts, insert_new
from fawang.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _columns(obj) -> dict:
    """The stored row, as the database holds it (encrypted columns stay encrypted)."""
    table = obj._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [obj.pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_same_row_as_save_for_an_encrypted_model(django_user_model):
    user = django_user_model.objects.create_user(username="u1", password="x-Pass-12345")
    at = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30))
    fields = {"channel": "sms", "recipient": "13812345678", "user": user, "subject": "受理通知",
              "body": "您的申请已受理。", "region_code": "410102", "created_at": at, "next_attempt_at": at}
    saved = OutboxMessage(idempotency_key="k-save", **fields)
    saved.save()
    fast = insert_new(OutboxMessage(idempotency_key="k-fast", **fields))
    assert fast.pk and fast.pk != saved.pk and not fast._state.adding
    again = OutboxMessage.objects.get(pk=fast.pk)
    assert model_to_dict(again, exclude=["id", "idempotency_key"]) == model_to_dict(saved, exclude=["id",
                                                                                                  "idempotency_key"])
    stored_fast, stored_saved = _columns(fast), _columns(saved)
    assert stored_fast["recipient"] != "13812345678"  # encrypted at rest, like save()
    for name in ("channel", "user_id", "subject", "body", "region_code", "created_at", "next_attempt_at", "status"):
        assert stored_fast[name] == stored_saved[name], name


def test_auto_now_and_json_fields_are_prepared_as_save_does(django_user_model):
    from fawang.cases.models import Party

    party = insert_new(Party(name="赵六", phone="13700137000", special_groups=["elderly"], region_code="410102"))
    stored = Party.objects.get(pk=party.pk)
    assert stored.special_groups == ["elderly"] and stored.phone == "13700137000" and stored.created_at


def test_falls_back_to_save_with_receivers_or_an_explicit_pk():
    from fawang.regions.models import Division, DivisionLevel, ServicePoint

    county = Division.objects.create(code="410102", name="中原区", level=DivisionLevel.COUNTY)
    # ServicePoint has save receivers (the intake lookup cache): save() runs, signals included.
    point = insert_new(ServicePoint(code="SP-F", name="站", kind="township_station", division=county,
                                    region_code="410102"))
    assert ServicePoint.objects.filter(pk=point.pk).exists()
    explicit = insert_new(OutboxMessage(pk=424242, channel="sms", recipient="1", body="b", idempotency_key="k-pk"))
    assert explicit.pk == 424242 and OutboxMessage.objects.filter(pk=424242).exists()


def test_unsaved_related_object_is_refused_like_save():
    from fawang.cases.models import Case, Party

    with pytest.raises(ValueError):
        insert_new(Case(number="X1", channel="window", region_code="410102", applicant=Party(name="未保存"),
                        query_code="000000"))


# --------------------------------------------------------------------------- batched_inserts

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="batched inserts are a PostgreSQL round-trip saving")


def _outbox(key: str, **extra) -> OutboxMessage:
    at = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30))
    return OutboxMessage(idempotency_key=key, channel="sms", recipient="13812345678", subject="受理通知",
                         body="您的申请已受理。", region_code="410102", created_at=at, next_attempt_at=at, **extra)


def _statements(captured) -> list[str]:
    # A prepared statement is logged without its text (None): it still counts as one statement.
    return [q["sql"] or "" for q in captured.captured_queries if not (q["sql"] or "").startswith("SELECT nextval")]


@postgres_only
def test_batch_sends_its_rows_in_one_statement_at_the_end():
    from django.test.utils import CaptureQueriesContext

    from fawang.cases.models import Party

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        with batched_inserts():
            party = insert_new(Party(name="钱七", phone="13700137001", region_code="410102"))
            message = insert_new(_outbox(f"k-party-{party.pk}", related_id=party.pk))
            assert party.pk and message.pk and not party._state.adding
            assert _statements(captured) == []  # nothing sent yet, the keys are already known
        assert len(_statements(captured)) == 1
    assert Party.objects.get(pk=party.pk).phone == "13700137001"
    assert OutboxMessage.objects.get(pk=message.pk).idempotency_key == f"k-party-{party.pk}"


@postgres_only
def test_batch_sends_its_queue_before_a_statement_that_reads_a_queued_table():
    with transaction.atomic(), batched_inserts():
        message = insert_new(_outbox("k-read"))
        assert OutboxMessage.objects.filter(pk=message.pk).exists()


@postgres_only
def test_rows_queued_inside_a_rolled_back_savepoint_are_not_written():
    with transaction.atomic(), batched_inserts():
        kept = insert_new(_outbox("k-kept"))
        try:
            with transaction.atomic():
                dropped = insert_new(_outbox("k-dropped"))
                raise RuntimeError("inner failure")
        except RuntimeError:
            pass
    assert OutboxMessage.objects.filter(pk=kept.pk).exists()
    assert not OutboxMessage.objects.filter(idempotency_key="k-dropped").exists()
    assert dropped.pk is not None  # it was flushed, then rolled back with its savepoint


@postgres_only
def test_a_failing_block_writes_nothing_and_leaves_its_objects_new():
    message = None
    with pytest.raises(RuntimeError), transaction.atomic(), batched_inserts():
        message = insert_new(_outbox("k-fail"))
        raise RuntimeError("boom")
    assert message.pk is None and message._state.adding
    assert not OutboxMessage.objects.filter(idempotency_key="k-fail").exists()


@postgres_only
def test_a_constraint_violation_raises_at_the_end_of_the_block():
    insert_new(_outbox("k-dup"))
    duplicate = _outbox("k-dup")
    with pytest.raises(IntegrityError), transaction.atomic(), batched_inserts():
        insert_new(duplicate)
    assert duplicate.pk is None and duplicate._state.adding


def test_batch_is_a_plain_block_outside_a_transaction_or_on_sqlite():
    with batched_inserts():  # autocommit: nothing to join, rows are written at once
        first = insert_new(_outbox("k-plain-1"))
        assert OutboxMessage.objects.filter(pk=first.pk).exists()
    if connection.vendor != "postgresql":
        with transaction.atomic(), batched_inserts():
            second = insert_new(_outbox("k-plain-2"))
            assert OutboxMessage.objects.filter(pk=second.pk).exists()


@postgres_only
def test_a_batch_of_the_same_shape_is_prepared_once_per_connection():
    def batch(key: str) -> None:
        with transaction.atomic(), batched_inserts():
            insert_new(_outbox(f"{key}-a"))
            insert_new(_outbox(f"{key}-b"))

    batch("k-prep-1")
    before = _prepared_count()
    batch("k-prep-2")
    batch("k-prep-3")
    assert _prepared_count() == before >= 1
    assert OutboxMessage.objects.filter(idempotency_key__startswith="k-prep-").count() == 6


def _prepared_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["WITH r0 AS%"])
        return cursor.fetchone()[0]
