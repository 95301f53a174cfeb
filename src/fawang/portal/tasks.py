"""Periodic jobs of the portal (huey autodiscovers ``tasks.py`` of installed apps)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# 09:30 Beijing time (huey's crontab is in UTC) on the 1st of the month; the 2nd and 3rd only
# finish what WeChat refused on the 1st, since a digest already sent is never sent again.
@db_periodic_task(crontab(day="1-3", hour="1", minute="30"))
def hot_topics_push_monthly() -> dict[str, Any] | None:
    """Push each county's hot topics to its WeChat followers (F16), when pushes are configured."""
    from fawang.portal.services_hot_push import hot_topics_push
    from fawang.portal.wechat_push import push_available

    if not (getattr(settings, "FAWANG_WECHAT_HOT_TOPICS_PUSH", True) and push_available()):
        return None
    return hot_topics_push()
