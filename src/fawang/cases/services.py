"""Writes on the case spine. Every state change goes through ``case_transition``.

The pattern (STYLE.md): lock the case row, check the change against the one transition table
(``cases.choices.TRANSITIONS``), check the actor's permission and region, save with
``update_fields``, append the ``CaseEvent`` in the same transaction, start/stop/pause the SLA
clocks the event implies, and enqueue the citizen's notification in the outbox (same
transaction; the outbox delivers after commit).

Business lines (legal aid, mediation, …) keep their own model 1:1 with ``Case`` and their own
transition table; their services call ``case_transition`` when the spine status changes and
``case_record`` for their own events (see docs/architecture.md, "Adding a business line").
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.cases import events as ev
from fawang.cases.choices import (
    OPEN_STEP_STATES,
    CallbackStatus,
    CaseStatus,
    Channel,
    IdType,
    PartyKind,
    SpecialGroup,
    StepState,
    can_transition,
)
from fawang.cases.models import (
    Case,
    CaseAttachment,
    CaseCallback,
    CaseEvent,
    CaseSequence,
    CaseStep,
    Party,
    Rating,
)
from fawang.catalog.choices import LEVEL_RANK, POINT_KIND_LEVEL
from fawang.catalog.models import ServiceBundle, ServiceItem, TimeLimit
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.fast_insert import insert_new
from fawang.core.scoping import in_region

SYSTEM_ACTOR_NAME = "系统"
MAX_FORM_BYTES = 64 * 1024
# Days a 回访 after a dissatisfied rating must be made in (working days; our service commitment).
CALLBACK_WORKING_DAYS = 3


# --------------------------------------------------------------------------- permissions


def _require_action(actor: Any, action: str) -> None:
    from fawang.core.permissions import require_permission

    require_permission(actor, action)


def authorize(actor: Any, action: str, *region_codes: str) -> None:
    """Raise unless ``actor`` may do ``action`` on a record in one of ``region_codes``.

    ``actor=None`` is the system (periodic scans, imports). Out-of-region answers 404, like
    a missing record, so nothing leaks (core.errors.NotFoundOrForbidden).
    """
    if actor is None:
        return
    scope = getattr(actor, "scope_code", None)
    if scope is None or not any(code and in_region(scope, code) for code in region_codes):
        raise NotFoundOrForbidden()
    _require_action(actor, action)


# --------------------------------------------------------------------------- parties

# ``Choices.values`` rebuilds the whole choice list on every call; intake checks these per request.
_PARTY_KINDS = frozenset(PartyKind.values)
_ID_TYPES = frozenset(IdType.values)
_SPECIAL_GROUPS = frozenset(SpecialGroup.values)
_CHANNELS = frozenset(Channel.values)


def party_create(
    *,
    name: str,
    kind: str = PartyKind.NATURAL,
    id_type: str = IdType.RESIDENT_ID,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    ethnicity: str = "",
    preferred_language: str = "zh",
    special_groups: Sequence[str] = (),
    user: Any = None,
    region_code: str = "",
    is_demo: bool = False,
) -> Party:
    """Register a party, or return the one already registered with the same ID number.

    Reusing the record is the "mutual recognition of data" of O2: a citizen known at the
    township is not re-captured at the county. Phone/address given again update the record.
    """
    from django.core.exceptions import ValidationError

    from fawang.core.pii import pii_blind_index
    from fawang.core.validators import (
        normalize_id_number,
        normalize_phone,
        validate_id_number,
        validate_phone,
    )

    name = (name or "").strip()
    if not name:
        raise DomainError("party_name_required", _("请填写当事人姓名或名称。"), field="name")
    if kind not in _PARTY_KINDS:
        raise DomainError("party_kind_invalid", _("当事人类型无效。"), field="kind")
    if id_type not in _ID_TYPES:
        raise DomainError("id_type_invalid", _("证件类型无效。"), field="id_type")
    id_number = (id_number or "").strip()
    if id_type == IdType.RESIDENT_ID and id_number:
        id_number = normalize_id_number(id_number)
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise DomainError("id_number_invalid", exc.messages[0], field="id_number") from exc
    phone = (phone or "").strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            raise DomainError("phone_invalid", exc.messages[0], field="phone") from exc
        phone = normalize_phone(phone)
    unknown = set(special_groups) - _SPECIAL_GROUPS
    if unknown:
        raise DomainError("special_group_invalid", _("特殊群体类型无效：%(v)s") % {"v": "、".join(sorted(unknown))},
                          field="special_groups")

    id_index = pii_blind_index(f"{id_type}:{id_number}") if id_number else ""
    # No savepoint of its own: nothing here recovers from a database error, so inside a
    # caller's transaction a failure simply dooms that transaction (two statements saved).
    with transaction.atomic(savepoint=False):
        if id_index:
            existing = (Party.objects.select_for_update().filter(id_number_index=id_index)
                        .filter(id_number_index__gt="").first())  # the partial index's condition
            if existing is not None:
                changed = []
                if phone and phone != existing.phone:
                    existing.phone, existing.phone_index = phone, pii_blind_index(phone)
                    changed += ["phone", "phone_index"]
                if address and address != existing.address:
                    existing.address = address
                    changed.append("address")
                if special_groups and set(special_groups) != set(existing.special_groups):
                    existing.special_groups = sorted(set(existing.special_groups) | set(special_groups))
                    changed.append("special_groups")
                if changed:
                    existing.save(update_fields=changed)
                return existing
        party = Party(
            kind=kind, name=name, id_type=id_type, id_number=id_number, id_number_index=id_index,
            phone=phone, phone_index=pii_blind_index(phone) if phone else "", address=address or "",
            ethnicity=ethnicity or "", preferred_language=preferred_language or "zh",
            special_groups=sorted(set(special_groups)), user=user, region_code=region_code or "",
            is_demo=is_demo,
        )
        return insert_new(party)


# --------------------------------------------------------------------------- numbering


def _next_case_number(region_code: str, day: dt.date) -> str:
    """``<region code><YYYYMMDD><6-digit sequence>``; race-free via a locked counter row.

    Region codes have a fixed length per level (2/4/6/9/12), so numbers of different regions
    differ in length or prefix and cannot collide; the column is unique anyway.
    """
    # One statement in the common case: the UPDATE takes the row lock and returns the value.
    table = connection.ops.quote_name(CaseSequence._meta.db_table)
    params = [region_code, connection.ops.adapt_datefield_value(day)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + 1 WHERE region_code = %s AND day = %s RETURNING last_value",
            params,
        )
        row = cursor.fetchone()
        if row is None:
            # First case of the day in this region: create the counter. The upsert is race-safe
            # (a concurrent first case takes the conflict branch) and needs no savepoint.
            cursor.execute(
                f"INSERT INTO {table} (region_code, day, last_value) VALUES (%s, %s, 1) "
                "ON CONFLICT (region_code, day) DO UPDATE SET last_value = "
                f"{table}.last_value + 1 RETURNING last_value",
                params,
            )
            row = cursor.fetchone()
    return f"{region_code}{day:%Y%m%d}{row[0]:06d}"


# --------------------------------------------------------------------------- events & clocks


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "pk", None):
        return {"actor": None, "actor_name": SYSTEM_ACTOR_NAME, "actor_role": ""}
    return {
        "actor": actor,
        "actor_name": (getattr(actor, "real_name", "") or actor.get_username())[:100],
        "actor_role": getattr(actor, "role", "") or "",
    }


def _step_values(step: CaseStep, now: dt.datetime) -> None:
    from fawang.core.sla import compute_due, sla_state, warning_at

    rule = step.sla_rule()
    pauses = [(dt.datetime.fromisoformat(b), dt.datetime.fromisoformat(e)) for b, e in step.pauses]
    step.due_at = compute_due(step.started_at, rule, pauses, now=now)
    step.warn_at = warning_at(step.due_at, rule, start=step.started_at)
    step.state = sla_state(now, step.due_at, step.warn_at).value


def _apply_clocks(case: Case, spec: ev.EventType, at: dt.datetime, *, new_case: bool = False) -> list[CaseStep]:
    """Start, stop, pause and resume the case's SLA steps as event ``spec`` implies; returns the
    steps it started."""
    from fawang.core.sla import sla_state

    open_steps = [] if new_case else list(case.steps.filter(state__in=OPEN_STEP_STATES, ended_at__isnull=True))
    for step in open_steps:
        if spec.stops_clocks or spec.code in (step.stop_events or []):
            if step.paused_at is not None:
                step.pauses = [*step.pauses, [step.paused_at.isoformat(), at.isoformat()]]
                step.paused_total += at - step.paused_at
                step.paused_at = None
                _step_values(step, at)
            step.ended_at = at
            if spec.code == ev.WITHDRAWN:
                step.state = StepState.CANCELLED
            else:
                step.state = sla_state(at, step.due_at, step.warn_at, completed_at=at).value
            step.save(update_fields=["pauses", "paused_total", "paused_at", "due_at", "warn_at", "state", "ended_at"])
        elif spec.pauses_clock and step.paused_at is None:
            step.paused_at = at
            step.state = StepState.PAUSED
            step.save(update_fields=["paused_at", "state"])
        elif spec.resumes_clock and step.paused_at is not None:
            step.pauses = [*step.pauses, [step.paused_at.isoformat(), at.isoformat()]]
            step.paused_total += at - step.paused_at
            step.paused_at = None
            _step_values(step, at)
            step.save(update_fields=["pauses", "paused_total", "paused_at", "due_at", "warn_at", "state"])

    running = {s.step for s in open_steps if s.ended_at is None}
    new_steps = []
    for limit in case.item.get_time_limits():
        if limit.start_event != spec.code or limit.step in running:
            continue
        limit = _resolve_time_limit(case, limit)
        step = CaseStep(
            case=case, step=limit.step, name=limit.name, rule_days=limit.days, rule_hours=limit.hours,
            rule_unit=limit.unit, warn_days_before=limit.warn_days_before, article=limit.article,
            stop_events=list(limit.stop_events), started_at=at, region_code=case.region_code,
        )
        _step_values(step, at)
        new_steps.append(step)
    for step in new_steps:
        insert_new(step)
    return new_steps


# A business line may supply the rule of its item's clock per case (a regional setting the
# catalogue cannot hold, e.g. mediation's ``MediationTimeLimit``), keyed by service type.
TimeLimitResolver = Callable[[Case, TimeLimit], "TimeLimit | None"]
_time_limit_resolvers: dict[str, TimeLimitResolver] = {}


def register_time_limit_resolver(service_type: str, resolver: TimeLimitResolver) -> None:
    """Let a business line adjust a clock of its items when the step starts.

    ``resolver(case, limit)`` returns the ``TimeLimit`` to apply (typically
    ``dataclasses.replace(limit, days=…)``) or ``None`` to keep the catalogue's. Register in the
    app's ``ready()``; registering again for the same service type replaces the resolver.
    """
    _time_limit_resolvers[service_type] = resolver


def _resolve_time_limit(case: Case, limit: TimeLimit) -> TimeLimit:
    resolver = _time_limit_resolvers.get(case.item.service_type)
    if resolver is None:
        return limit
    return resolver(case, limit) or limit


CitizenAddressResolver = Callable[[Case], "str | None"]
_citizen_address_resolvers: dict[str, CitizenAddressResolver] = {}


def register_citizen_address_resolver(channel: str, resolver: CitizenAddressResolver) -> None:
    """Let the app that runs a channel say where, on it, the citizen of a case is reached.

    ``resolver(case)`` returns the channel's address for the case's citizen (WeChat: the
    follower's openid) or ``None`` when it does not know one; notices then go by SMS or in-site
    message. Register in the app's ``ready()``.
    """
    _citizen_address_resolvers[channel] = resolver


def _citizen_channel(case: Case) -> tuple[str, str, Any] | None:
    """(outbox channel, recipient, user) on which the citizen hears about this case (O4): the
    channel the case came in on when we can reach them there, else SMS, else an in-site message."""
    phone = case.applicant.phone if case.applicant_id else ""
    user = case.citizen_user
    resolver = _citizen_address_resolvers.get(case.channel)
    address = resolver(case) if resolver is not None else None
    if address:
        return case.channel, address, user
    if case.channel in (Channel.WEB, Channel.MOBILE, Channel.WECHAT) and user is not None:
        return "site", str(user.pk), user
    if phone:
        return "sms", phone, user
    if user is not None:
        return "site", str(user.pk), user
    return None


def _progress_link(case: Case, spec: ev.EventType) -> str:
    """The registration notice (the one that gives the query code) ends with the address of the
    public progress page, when the deployment has a public address (``FAWANG_PUBLIC_URL``)."""
    from fawang.core.links import public_url

    url = public_url("portal:progress", number=case.number) if spec.code == ev.RECEIVED else ""
    return _("查询进度：%(url)s") % {"url": url} if url else ""


def _notify_citizen(case: Case, spec: ev.EventType, event: CaseEvent) -> None:
    target = _citizen_channel(case)
    if target is None or not spec.notice:
        return
    from fawang.core.outbox import outbox_enqueue

    channel, recipient, user = target
    values = {
        "number": case.number,
        "query_code": case.query_code,
        "reason": event.payload.get("reason", ""),
        "result": event.payload.get("result", case.result),
        "materials": "、".join(event.payload.get("materials", [])),
        "target": event.payload.get("to_service_point_name", ""),
    }
    body = str(spec.notice).format(**values) + _progress_link(case, spec)
    outbox_enqueue(
        channel=channel, recipient=recipient, subject=str(spec.label), body=body,
        idempotency_key=f"case-event:{event.pk}:{channel}", user=user, related=case,
        key_is_new=True,  # the event was inserted just now, in this transaction
    )


def case_notice_send_by_sms(message: Any) -> bool:
    """A case notice held on the citizen's channel (WeChat's 48 hours have passed) goes by SMS
    when the case knows the applicant's phone; the held copy is then closed, so that the citizen
    does not get it twice when they come back. Returns whether an SMS was queued."""
    from fawang.core.models import OutboxMessage, OutboxStatus
    from fawang.core.outbox import outbox_enqueue

    if message.related_type != "cases.case" or message.channel == "sms":
        return False
    case = Case.objects.select_related("applicant").filter(pk=message.related_id).first()
    phone = case.applicant.phone if case is not None and case.applicant_id else ""
    if not phone:
        return False
    with transaction.atomic():
        outbox_enqueue(channel="sms", recipient=phone, subject=message.subject, body=message.body,
                       idempotency_key=f"{message.idempotency_key}:sms", user=message.user, related=case)
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.HELD).update(
            status=OutboxStatus.FAILED, last_error=f"{message.last_error}; sent by SMS instead"[:2000])
    return True


def case_event_append(
    *,
    case: Case,
    event_type: str,
    actor: Any = None,
    payload: dict[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
    at: dt.datetime | None = None,
    new_case: bool = False,
) -> CaseEvent:
    """Append one event and apply its side effects (clocks, notification). Caller holds the lock.

    Low level: it checks nothing about the actor. Services use ``case_transition`` or
    ``case_record``, which authorize first.
    """
    spec = ev.get_event_type(event_type)
    at = at or timezone.now()
    event = CaseEvent(
        case=case, type=event_type, at=at, region_code=case.region_code,
        service_point_code=case.service_point.code if case.service_point_id else "",
        from_status=from_status, to_status=to_status, public=spec.public, payload=payload or {},
        **_actor_fields(actor),
    )
    insert_new(event)
    event.started_steps = _apply_clocks(case, spec, at, new_case=new_case)
    if spec.notify_citizen:
        _notify_citizen(case, spec, event)
    return event


def _lock(case: Case) -> Case:
    try:
        return Case.objects.select_related("item", "service_point", "applicant").select_for_update(
            of=("self",) if connection.features.has_select_for_update_of else ()
        ).get(pk=case.pk)
    except Case.DoesNotExist:
        raise NotFoundOrForbidden() from None


def _sync(target: Case, source: Case, fields: Iterable[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


def case_transition(
    *,
    case: Case,
    to_status: str,
    actor: Any,
    event_type: str,
    payload: dict[str, Any] | None = None,
    action: str = "case.handle",
    changes: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    extra_regions: Sequence[str] = (),
) -> CaseEvent:
    """The one way a case changes status. Returns the event; ``case`` is updated in place.

    ``changes`` are other Case fields saved in the same UPDATE (handler, service point, …).
    ``extra_regions`` lets a receiving point act on a case still filed under the sender.
    """
    with transaction.atomic():
        locked = _lock(case)
        authorize(actor, action, locked.region_code, *extra_regions)
        if not can_transition(locked.status, to_status):
            raise DomainError(
                "invalid_transition",
                _("案件当前状态为“%(from)s”，不能变更为“%(to)s”。")
                % {"from": CaseStatus(locked.status).label, "to": CaseStatus(to_status).label},
                from_status=locked.status, to_status=to_status,
            )
        from_status = locked.status
        locked.status = to_status
        fields = ["status", "updated_at"]
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=fields)
        event = case_event_append(
            case=locked, event_type=event_type, actor=actor, payload=payload,
            from_status=from_status, to_status=to_status, at=at,
        )
    _sync(case, locked, fields)
    return event


def case_record(
    *,
    case: Case,
    actor: Any,
    event_type: str,
    payload: dict[str, Any] | None = None,
    action: str = "case.handle",
    changes: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    """Append an event that does not change the spine status (assignment, note, a business
    line's own step), with the same lock and checks as ``case_transition``."""
    with transaction.atomic():
        locked = _lock(case)
        authorize(actor, action, locked.region_code)
        fields = []
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        if fields:
            locked.save(update_fields=[*fields, "updated_at"])
        event = case_event_append(case=locked, event_type=event_type, actor=actor, payload=payload,
                                  from_status=locked.status, to_status=locked.status, at=at)
    _sync(case, locked, fields)
    return event


# --------------------------------------------------------------------------- intake


def _clean_form_data(form_data: dict[str, Any] | None) -> dict[str, Any]:
    if form_data is None:
        return {}
    if not isinstance(form_data, dict):
        raise DomainError("form_data_invalid", _("申请内容格式无效。"), field="form_data")
    try:
        encoded = json.dumps(form_data, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise DomainError("form_data_invalid", _("申请内容格式无效。"), field="form_data") from exc
    if len(encoded.encode()) > MAX_FORM_BYTES:
        raise DomainError("form_data_too_large", _("申请内容过长。"), field="form_data")
    return form_data


def case_create_or_get(
    *,
    item: ServiceItem,
    channel: str,
    applicant: Party | None,
    region_code: str = "",
    service_point: Any = None,
    actor: Any = None,
    idempotency_key: str | None = None,
    form_data: dict[str, Any] | None = None,
    subject: str = "",
    citizen_user: Any = None,
    bundle: ServiceBundle | None = None,
    is_demo: bool = False,
    at: dt.datetime | None = None,
    action: str = "case.intake",
    conflict_raises: bool = False,
) -> tuple[Case, bool]:
    """Register a request as a case (O1/O2). Same ``idempotency_key`` → same case, ``False``.

    ``action`` is the permission staff need in the region: a business line passes its own
    (``legalaid.intake``, ``mediation.handle``…) for roles that do not hold ``case.intake``.
    ``conflict_raises``: the caller runs this inside its own transaction and answers a replayed
    key itself (the API does: the unique column finds the replay, ``IntegrityError`` propagates
    and the caller's rollback drops the party it wrote). No lookup first and no savepoint —
    the common case, a new key, pays for neither.
    A new case carries what intake wrote as ``case.intake_written`` (the event, the steps), so
    the caller can answer without reading them back.
    """
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 100:
        raise DomainError("idempotency_key_invalid", _("幂等键过长（不超过100个字符）。"), field="idempotency_key")
    if key is not None and not conflict_raises:
        existing = Case.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if _is_staff(actor):
                authorize(actor, "case.view", existing.region_code)
            return existing, False
    if not item.is_active:
        raise DomainError("item_inactive", _("该服务事项已停用。"), field="item")
    if channel not in _CHANNELS:
        raise DomainError("channel_invalid", _("来源渠道无效。"), field="channel")
    if service_point is not None:
        if not service_point.is_active:
            raise DomainError("service_point_inactive", _("该服务点已停止运行。"), field="service_point")
        region_code = service_point.region_code
    region_code = (region_code or "").strip()
    if not region_code or not region_code.isdigit() or len(region_code) not in (2, 4, 6, 9, 12):
        raise DomainError("region_invalid", _("请选择案件所属区划。"), field="region_code")
    form_data = _clean_form_data(form_data)
    if _is_staff(actor):
        authorize(actor, action, region_code)
    at = at or timezone.now()

    try:
        with transaction.atomic(savepoint=not conflict_raises):
            number = _next_case_number(region_code, timezone.localtime(at).date())
            case = Case(
                number=number, item=item, channel=channel, status=CaseStatus.RECEIVED, region_code=region_code,
                service_point=service_point, applicant=applicant, citizen_user=citizen_user,
                first_contact_user=actor if _is_staff(actor) else None,
                responsible_user=actor if _is_staff(actor) else None,
                bundle=bundle, subject=(subject or item.name)[:200], form_data=form_data,
                idempotency_key=key, query_code=f"{secrets.randbelow(10**6):06d}", received_at=at,
                is_demo=is_demo,
            )
            insert_new(case)
            event = case_event_append(
                case=case, event_type=ev.RECEIVED, actor=actor, at=at, to_status=CaseStatus.RECEIVED,
                payload={"channel": channel, "item": item.code}, new_case=True,
            )
            case.intake_written = (event, getattr(event, "started_steps", []))
    except IntegrityError:
        if key is None or conflict_raises:
            raise
        existing = Case.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    return case, True


def case_create(**kwargs: Any) -> Case:
    """``case_create_or_get`` returning only the case (same key → same case)."""
    case, _created = case_create_or_get(**kwargs)
    return case


def _is_staff(actor: Any) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and getattr(actor, "role", "citizen") != "citizen"


def bundle_intake(
    *,
    bundle: ServiceBundle,
    channel: str,
    applicant: Party | None,
    region_code: str = "",
    service_point: Any = None,
    actor: Any = None,
    form_data: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    citizen_user: Any = None,
) -> list[Case]:
    """One form, several linked cases (套餐式, F16): the shared data is copied into each."""
    if not bundle.is_active:
        raise DomainError("bundle_inactive", _("该主题套餐已停用。"), field="bundle")
    form_data = _clean_form_data(form_data)
    missing = [f.get("label", f["name"]) for f in bundle.form_schema or []
               if f.get("required") and not str(form_data.get(f["name"], "")).strip()]
    if missing:
        raise DomainError("form_incomplete", _("请填写：%(f)s") % {"f": "、".join(missing)}, field="form_data")
    items = list(bundle.items.filter(is_active=True).order_by("sort_order", "code"))
    if not items:
        raise DomainError("bundle_empty", _("该主题套餐未包含可办理的事项。"), field="bundle")
    with transaction.atomic():
        results = [
            case_create_or_get(
                item=item, channel=channel, applicant=applicant, region_code=region_code,
                service_point=service_point, actor=actor, form_data=dict(form_data),
                idempotency_key=f"{idempotency_key}:{item.code}" if idempotency_key else None,
                citizen_user=citizen_user, bundle=bundle, subject=f"{bundle.name}·{item.name}",
            )
            for item in items
        ]
        cases = [case for case, _created in results]
        for case, created in results:
            if not created:
                continue
            others = [c for c in cases if c.pk != case.pk]
            case.linked_cases.add(*others)
            case_event_append(case=case, event_type=ev.LINKED, actor=actor,
                              payload={"bundle": bundle.code, "linked": [c.number for c in others]},
                              from_status=case.status, to_status=case.status)
    return cases


# --------------------------------------------------------------------------- the steps


def case_accept(
    *, case: Case, actor: Any, handler: Any = None, action: str = "case.handle", at: dt.datetime | None = None,
) -> CaseEvent:
    """受理. ``at`` backdates the acceptance to when the papers were really received (a clock the
    item starts on ``case.accepted`` runs from then, e.g. 法律援助法第四十三条's 7 days)."""
    handler = handler or actor
    if handler is not None and not getattr(handler, "pk", None):
        handler = None
    return case_transition(
        case=case, to_status=CaseStatus.ACCEPTED, actor=actor, event_type=ev.ACCEPTED, action=action, at=at,
        changes={"handler": handler}, payload={"handler": _actor_fields(handler)["actor_name"]},
    )


def case_assign(*, case: Case, actor: Any, handler: Any) -> CaseEvent:
    if handler is None or getattr(handler, "scope_code", None) is None or not in_region(
        handler.scope_code, case.region_code
    ):
        raise DomainError("handler_out_of_region", _("承办人不在本案件所属区域。"), field="handler")
    return case_record(case=case, actor=actor, event_type=ev.ASSIGNED, action="case.assign",
                       changes={"handler": handler}, payload={"handler": _actor_fields(handler)["actor_name"]})


def case_start(*, case: Case, actor: Any, action: str = "case.handle") -> CaseEvent:
    return case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor, event_type=ev.STARTED,
                           action=action)


def case_request_materials(
    *, case: Case, actor: Any, materials: Sequence[str], note: str = "", action: str = "case.handle",
) -> CaseEvent:
    """一次性告知: list every missing material at once; the clock pauses until they arrive."""
    names = _material_names(case.item, materials)
    if not names:
        raise DomainError("materials_required", _("请列明需要补正的全部材料。"), field="materials")
    return case_transition(
        case=case, to_status=CaseStatus.AWAITING_MATERIALS, actor=actor, event_type=ev.MATERIALS_REQUESTED,
        changes={"resume_status": case.status}, payload={"materials": names, "note": note}, action=action,
    )


def _material_names(item: ServiceItem, materials: Sequence[str]) -> list[str]:
    by_key = {m.get("key"): m["name"] for m in item.materials or [] if m.get("key")}
    names: list[str] = []
    for value in materials:
        value = (value or "").strip()
        if not value:
            continue
        name = by_key.get(value, value)
        if name not in names:
            names.append(name)
    return names


def case_materials_received(
    *, case: Case, actor: Any, received: Sequence[str] = (), action: str = "case.handle",
) -> CaseEvent:
    with transaction.atomic():
        # Back to the status the case was in when the materials were requested.
        target = _lock(case).resume_status or CaseStatus.RECEIVED
        return case_transition(
            case=case, to_status=target, actor=actor, event_type=ev.MATERIALS_RECEIVED,
            changes={"resume_status": ""}, payload={"received": _material_names(case.item, received)},
            action=action,
        )


def case_reject(*, case: Case, actor: Any, reason: str, action: str = "case.handle") -> CaseEvent:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("请说明不予受理的理由。"), field="reason")
    return case_transition(case=case, to_status=CaseStatus.REJECTED, actor=actor, event_type=ev.REJECTED,
                           action=action, payload={"reason": reason},
                           changes={"completed_at": timezone.now()})


def case_withdraw(*, case: Case, actor: Any, reason: str = "", action: str = "case.handle") -> CaseEvent:
    return case_transition(case=case, to_status=CaseStatus.WITHDRAWN, actor=actor, event_type=ev.WITHDRAWN,
                           action=action,
                           payload={"reason": (reason or "").strip()}, changes={"completed_at": timezone.now()})


def _level_rank(point: Any) -> int:
    level = POINT_KIND_LEVEL.get(point.kind)
    return LEVEL_RANK[level] if level else 0


def case_transfer(
    *, case: Case, actor: Any, to_service_point: Any, reason: str, escalate: bool = False,
) -> CaseEvent:
    """转办 to another point or level (O2). The first-contact person stays responsible until
    the receiver accepts (``case_transfer_accept``).

    O6: moving an item up to a higher level when the current point can handle it is refused
    unless ``escalate`` (重大复杂, 回避 …) is given with the reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("请说明转办理由。"), field="reason")
    if to_service_point is None or not to_service_point.is_active:
        raise DomainError("target_invalid", _("请选择运行中的接收服务点。"), field="to_service_point")
    if case.service_point_id == to_service_point.pk:
        raise DomainError("target_same", _("不能转给本服务点。"), field="to_service_point")
    current = case.service_point
    if (
        current is not None
        and not escalate
        and _level_rank(to_service_point) > _level_rank(current)
        and case.item.can_be_handled_by_kind(current.kind)
    ):
        raise DomainError(
            "handle_locally",
            _("“%(item)s”本级即可办理，不得上移（能在基层办理的不推到上级）；确需上移请注明重大复杂等情形。")
            % {"item": case.item.name},
            field="to_service_point",
        )
    return case_transition(
        case=case, to_status=CaseStatus.TRANSFERRING, actor=actor, event_type=ev.TRANSFERRED,
        action="case.transfer",
        changes={"resume_status": case.status, "transfer_to": to_service_point,
                 "transfer_region_code": to_service_point.region_code},
        payload={
            "reason": reason, "escalate": escalate,
            "from_service_point": current.code if current else "",
            "to_service_point": to_service_point.code, "to_service_point_name": to_service_point.name,
            "to_region_code": to_service_point.region_code,
        },
    )


def case_transfer_accept(*, case: Case, actor: Any, action: str = "case.handle") -> CaseEvent:
    """The receiving point takes the case over; responsibility passes to the receiver.

    ``action``: the permission the receiver needs (a legal aid center's staff hold
    ``legalaid.intake``/``legalaid.review``, not ``case.handle``)."""
    with transaction.atomic():
        fresh = _lock(case)
        if fresh.transfer_to_id is None:
            raise DomainError("no_transfer", _("该案件没有待接收的转办。"))
        target = fresh.transfer_to
        # The receiver must belong to the target point's region, not the sender's.
        authorize(actor, action, target.region_code)
        event = case_transition(
            case=case, to_status=CaseStatus.RECEIVED, actor=actor, event_type=ev.TRANSFER_ACCEPTED,
            action=action, extra_regions=(target.region_code,),
            changes={"service_point": target, "region_code": target.region_code, "responsible_user": actor,
                     "handler": None, "transfer_to": None, "transfer_region_code": "", "resume_status": ""},
            payload={"service_point": target.code, "region_code": target.region_code},
        )
        CaseStep.objects.filter(case_id=case.pk).update(region_code=target.region_code)
    return event


def case_transfer_refuse(*, case: Case, actor: Any, reason: str) -> CaseEvent:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("请说明退回理由。"), field="reason")
    with transaction.atomic():
        fresh = _lock(case)
        if fresh.transfer_to_id is None:
            raise DomainError("no_transfer", _("该案件没有待接收的转办。"))
        target = fresh.transfer_to
        authorize(actor, "case.handle", target.region_code)
        return case_transition(
            case=case, to_status=fresh.resume_status or CaseStatus.RECEIVED, actor=actor,
            event_type=ev.TRANSFER_REFUSED, action="case.handle", extra_regions=(target.region_code,),
            changes={"transfer_to": None, "transfer_region_code": "", "resume_status": ""},
            payload={"reason": reason, "service_point": target.code},
        )


def case_complete(*, case: Case, actor: Any, result: str, action: str = "case.handle") -> CaseEvent:
    result = (result or "").strip()
    if not result:
        raise DomainError("result_required", _("请填写办理结果。"), field="result")
    return case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor, event_type=ev.COMPLETED,
                           action=action,
                           changes={"result": result, "completed_at": timezone.now()}, payload={"result": result})


def case_deliver_result(*, case: Case, actor: Any, note: str = "", action: str = "case.handle") -> CaseEvent:
    """Feed the result back to the citizen on their channel (O1 结果及时反馈, O4)."""
    return case_transition(case=case, to_status=CaseStatus.DELIVERED, actor=actor, action=action,
                           event_type=ev.RESULT_DELIVERED, payload={"result": case.result, "note": note})


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_ATTACHMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".doc", ".docx", ".xls", ".xlsx", ".txt"}


def case_attach(*, case: Case, actor: Any, file: Any, material_key: str = "", name: str = "") -> CaseAttachment:
    """Store one material (under MEDIA_ROOT) and log it; type and size are checked first."""
    import os

    if file is None:
        raise DomainError("file_required", _("请选择要上传的文件。"), field="file")
    ext = os.path.splitext(file.name or "")[1].lower()
    if ext not in ALLOWED_ATTACHMENT_EXTENSIONS:
        raise DomainError("file_type", _("不支持的文件类型：%(ext)s") % {"ext": ext or "?"}, field="file")
    if file.size > MAX_ATTACHMENT_BYTES:
        raise DomainError("file_too_large", _("文件不能超过20MB。"), field="file")
    label = (name or "").strip()
    if not label:
        label = _material_names(case.item, [material_key])[0] if material_key else file.name
    with transaction.atomic():
        # The event first: it authorizes the actor before anything is written to disk.
        case_record(case=case, actor=actor, event_type=ev.ATTACHMENT_ADDED,
                    payload={"material": label, "file_name": file.name})
        attachment = CaseAttachment(case=case, material_key=material_key, name=label[:200], uploaded_by=actor)
        attachment.file.save(file.name, file, save=False)
        attachment.save()
    return attachment


def case_note(*, case: Case, actor: Any, text: str) -> CaseEvent:
    text = (text or "").strip()
    if not text:
        raise DomainError("text_required", _("请填写记录内容。"), field="text")
    return case_record(case=case, actor=actor, event_type=ev.NOTE, payload={"text": text})


# --------------------------------------------------------------------------- ratings (M7)


def case_rate(
    *,
    case: Case,
    attitude: int,
    efficiency: int,
    professionalism: int,
    comment: str = "",
    rated_by: Any = None,
    channel: str = "",
) -> Rating:
    """Record the citizen's rating; a dissatisfied one opens a 回访 task at once."""
    from fawang.cases.choices import RatingLevel
    from fawang.core.sla import DayUnit, SlaRule, compute_due

    for field, value in (("attitude", attitude), ("efficiency", efficiency), ("professionalism", professionalism)):
        if value not in RatingLevel.values:
            raise DomainError("rating_invalid", _("评价等级无效，请选择五个等级之一。"), field=field)
    if channel and channel not in Channel.values:
        raise DomainError("channel_invalid", _("来源渠道无效。"), field="channel")
    with transaction.atomic():
        locked = _lock(case)
        if rated_by is not None and not _is_staff(rated_by):
            if locked.citizen_user_id != rated_by.pk:
                raise NotFoundOrForbidden()
        else:
            authorize(rated_by, "case.handle", locked.region_code)
        if locked.status not in (CaseStatus.COMPLETED, CaseStatus.DELIVERED):
            raise DomainError("not_ratable", _("案件办结后才能评价。"))
        if Rating.objects.filter(case=locked).exists():
            raise DomainError("already_rated", _("该案件已评价。"))
        now = timezone.now()
        rating = Rating.objects.create(
            case=locked, attitude=attitude, efficiency=efficiency, professionalism=professionalism,
            comment=(comment or "").strip(), channel=channel, rated_by=rated_by,
            region_code=locked.region_code, rated_at=now,
        )
        case_event_append(
            case=locked, event_type=ev.RATED, actor=rated_by, at=now, from_status=locked.status,
            to_status=locked.status,
            payload={"attitude": attitude, "efficiency": efficiency, "professionalism": professionalism},
        )
        if rating.is_dissatisfied:
            due = compute_due(now, SlaRule(days=CALLBACK_WORKING_DAYS, unit=DayUnit.WORKING))
            callback = CaseCallback.objects.create(
                case=locked, rating=rating, reason=_("群众评价不满意"), due_at=due,
                assigned_to=locked.responsible_user or locked.handler, region_code=locked.region_code,
            )
            case_event_append(case=locked, event_type=ev.CALLBACK_OPENED, actor=None, at=now,
                              from_status=locked.status, to_status=locked.status,
                              payload={"callback": callback.pk, "due_at": due.isoformat()})
    return rating


def callback_complete(*, callback: CaseCallback, actor: Any, outcome: str) -> CaseCallback:
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError("outcome_required", _("请填写回访情况。"), field="outcome")
    with transaction.atomic():
        locked = CaseCallback.objects.select_for_update().get(pk=callback.pk)
        if locked.status != CallbackStatus.OPEN:
            raise DomainError("callback_done", _("该回访任务已完成。"))
        locked.status, locked.outcome, locked.done_at = CallbackStatus.DONE, outcome, timezone.now()
        locked.save(update_fields=["status", "outcome", "done_at"])
        case_record(case=locked.case, actor=actor, event_type=ev.CALLBACK_DONE,
                    payload={"callback": locked.pk, "outcome": outcome})
    return locked


# --------------------------------------------------------------------------- SLA scan


@dataclass(frozen=True)
class ScanResult:
    warned: int
    overdue: int


_EVENT_COLUMNS = (
    "case_id, type, at, actor_id, actor_name, actor_role, region_code, service_point_code, "
    "from_status, to_status, public, payload"
)


def scan_deadlines(*, now: dt.datetime | None = None) -> ScanResult:
    """Move open steps across the warning and overdue rungs and log each crossing once.

    Set-based: one UPDATE per rung touches only rows whose time has come (index on
    (state, warn_at) / (state, due_at)); a step's state only moves forward, so re-running
    the scan records nothing twice. On PostgreSQL the UPDATE … RETURNING feeds the event
    INSERT in the same statement.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The scan is idempotent: if a crash loses this commit, the next run redoes it, so
            # it need not wait for the WAL flush (durability of everything else is unchanged).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        overdue = _scan_rung(now, ev.SLA_OVERDUE, StepState.OVERDUE, "due_at", (StepState.OK, StepState.WARNING))
        warned = _scan_rung(now, ev.SLA_WARNING, StepState.WARNING, "warn_at", (StepState.OK,))
    return ScanResult(warned=warned, overdue=overdue)


def _scan_rung(now: dt.datetime, event_type: str, new_state: str, column: str, from_states: Sequence[str]) -> int:
    step_table = CaseStep._meta.db_table
    event_table = CaseEvent._meta.db_table
    # Literal state lists, written exactly as the partial indexes' predicates so the planner
    # can use them (ended steps are never "ok"/"warning", so no ended_at test is needed).
    if tuple(from_states) == (StepState.OK,):
        where = "state = 'ok'"
    else:
        where = "state IN ('ok', 'warning')"
    update = (
        f"UPDATE {step_table} SET state = %s WHERE {where} AND {column} <= %s "
        f"RETURNING case_id, step, name, due_at, region_code"
    )
    # Raw SQL: let the backend adapt the timestamp (SQLite stores naive UTC text).
    params = [new_state, connection.ops.adapt_datetimefield_value(now)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS ({update}) INSERT INTO {event_table} ({_EVENT_COLUMNS}) "
                f"SELECT case_id, %s, %s, NULL, %s, '', region_code, '', '', '', false, "
                f"json_build_object('step', step, 'name', name, 'due_at', due_at)::jsonb FROM moved",
                [*params, event_type, connection.ops.adapt_datetimefield_value(now), SYSTEM_ACTOR_NAME],
            )
            return cursor.rowcount
        cursor.execute(update, params)
        rows = cursor.fetchall()
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=case_id, type=event_type, at=now, actor_name=SYSTEM_ACTOR_NAME, region_code=region_code,
                public=False,
                payload={"step": step, "name": name,
                         "due_at": due.isoformat() if hasattr(due, "isoformat") else str(due)},
            )
            for case_id, step, name, due, region_code in rows
        ],
        batch_size=500,
    )
    return len(rows)

