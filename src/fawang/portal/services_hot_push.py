"""Hot topics pushed to WeChat followers, county by county, once a month (F16, 热点推送).

The consultation statistics say what a county's citizens asked most in the last 30 days
(``consultation.selectors.hot_topics``: categories over every channel, the FAQ questions matched
most online; never a citizen's own words). Followers who shared a location or scanned a service
point's code are known by their county; each county with followers gets its own digest, and the
others (or counties with a single follower, since WeChat's mass send needs at least two
recipients) get the whole platform's.

The digest goes out with WeChat's mass send by openid list (``message/mass/send``), not as
customer-service messages: those reach only followers who wrote within 48 hours. A service
account may send each follower 4 mass messages a month; this uses one. Each digest is written as
a ``HotTopicsDigest`` row before it is sent, one per (month, county), and each batch of up to
10,000 openids carries a ``clientmsgid`` (WeChat refuses the same id twice within 24 hours), so
running the job again resumes and never sends a county's digest twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from typing import Any

from django.utils import timezone
from wechatpy.exceptions import WeChatClientException

from fawang.core.links import public_url
from fawang.core.models import OutboxStatus
from fawang.core.notifications import NotificationError
from fawang.portal.models import HotTopicsDigest, WechatFollower
from fawang.portal.services_wechat import hot_topics_text
from fawang.portal.wechat import REPLY_MAX_BYTES, fit_reply

logger = logging.getLogger(__name__)

MASS_BATCH = 10_000  # WeChat's limit of openids per mass send
MIN_RECIPIENTS = 2  # WeChat's lower limit
DUPLICATE_CLIENT_MSG_ID = 45065  # "clientmsgid exist": that batch was sent already
CLAIM_LEASE = dt.timedelta(minutes=10)


def current_period(now: dt.datetime | None = None) -> str:
    return timezone.localtime(now or timezone.now()).strftime("%Y-%m")


def follower_groups() -> dict[str, list[str]]:
    """Subscribed followers' openids by county code ("" = the whole platform's digest)."""
    groups: dict[str, list[str]] = defaultdict(list)
    followers = WechatFollower.objects.filter(is_subscribed=True).values_list("openid", "region_code")
    for openid, region in followers.iterator(chunk_size=5000):
        groups[region[:6] if len(region) >= 6 else ""].append(openid)
    for county in [c for c, members in groups.items() if c and len(members) < MIN_RECIPIENTS]:
        groups[""].extend(groups.pop(county))
    return {county: sorted(members) for county, members in groups.items() if len(members) >= MIN_RECIPIENTS}


def hot_topics_digests_prepare(*, now: dt.datetime | None = None,
                               groups: dict[str, list[str]] | None = None) -> list[HotTopicsDigest]:
    """This month's digests, one per county with followers (existing rows are kept as they are).
    A county where nothing was asked in 30 days gets none: an empty digest is not news."""
    now = now or timezone.now()
    period = current_period(now)
    faq_url = public_url("consultation:faq")
    digests = []
    for county, members in sorted((follower_groups() if groups is None else groups).items()):
        existing = HotTopicsDigest.objects.filter(period=period, region_code=county).first()
        if existing is not None:
            digests.append(existing)
            continue
        text = hot_topics_text(county, faq_url, now=now, if_empty=False)
        if text is None:
            continue
        text = fit_reply(text + "\n" + _digest_footer(), REPLY_MAX_BYTES)
        digest, _created = HotTopicsDigest.objects.get_or_create(
            period=period, region_code=county, defaults={"text": text, "recipients": len(members)})
        digests.append(digest)
    return digests


def _digest_footer() -> str:
    from django.utils.translation import gettext as _

    return _("（每月推送一次。发送您的问题即可获得引用法条的答复；回复“人工”转人工服务。）")


def _batches(openids: list[str]) -> list[list[str]]:
    """As few batches of at most MASS_BATCH as possible, of sizes differing by at most one (so that
    none is left with a single openid, which WeChat's mass send refuses)."""
    count = max(1, math.ceil(len(openids) / MASS_BATCH))
    base, extra = divmod(len(openids), count)
    batches, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        batches.append(openids[start:start + size])
        start += size
    return batches


def hot_topics_digest_send(digest: HotTopicsDigest, *, now: dt.datetime | None = None,
                           groups: dict[str, list[str]] | None = None) -> str:
    """Send one pending digest from the batch where it stopped; returns its status afterwards.
    ``groups``: ``follower_groups()`` when the caller already has it (it reads every follower)."""
    from fawang.portal.wechat_push import call_api, client_from_settings

    now = now or timezone.now()
    claimed = HotTopicsDigest.objects.filter(
        pk=digest.pk, status=OutboxStatus.PENDING).exclude(claimed_until__gt=now).update(claimed_until=now + CLAIM_LEASE)
    if not claimed:
        return HotTopicsDigest.objects.values_list("status", flat=True).get(pk=digest.pk)
    digest.refresh_from_db()
    openids = (follower_groups() if groups is None else groups).get(digest.region_code, [])
    batches = _batches(openids) if openids else []
    msg_ids = list(digest.wechat_msg_ids)
    try:
        client = client_from_settings()
        for index in range(digest.batches_sent, len(batches)):
            try:
                client_msg_id = f"hot-{digest.period}-{digest.region_code or 'all'}-{index}"
                result = call_api(client, lambda batch=batches[index], key=client_msg_id: client.message.send_mass_text(
                    batch, digest.text, client_msg_id=key))
                msg_ids.append(result.get("msg_id"))
            except WeChatClientException as exc:
                if exc.errcode is None or int(exc.errcode) != DUPLICATE_CLIENT_MSG_ID:
                    raise
            HotTopicsDigest.objects.filter(pk=digest.pk).update(batches_sent=index + 1, wechat_msg_ids=msg_ids)
    except (WeChatClientException, NotificationError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        HotTopicsDigest.objects.filter(pk=digest.pk).update(last_error=error, claimed_until=None)
        logger.warning("Hot topics digest %s not sent: %s", digest, error)
        return OutboxStatus.PENDING
    HotTopicsDigest.objects.filter(pk=digest.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", claimed_until=None)
    return OutboxStatus.SENT


def hot_topics_push(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Prepare this month's digests and send the pending ones (the monthly job and the command)."""
    groups = follower_groups()
    digests = hot_topics_digests_prepare(now=now, groups=groups)
    sent = [d for d in digests if d.status == OutboxStatus.PENDING
            and hot_topics_digest_send(d, now=now, groups=groups) == OutboxStatus.SENT]
    return {"period": current_period(now), "digests": len(digests), "sent": len(sent)}
