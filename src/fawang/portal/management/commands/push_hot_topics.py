"""``fawang push-hot-topics``: this month's hot topics to each county's WeChat followers (F16).

The huey worker runs it on the 1st of the month (``portal.tasks``); operators run it to preview
(``--dry-run``: what each county would get, sending nothing and writing nothing) or to finish a
month WeChat refused. A county's digest already sent this month is never sent again.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from fawang.core.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "按县向微信公众号关注者推送本月热点法律问题（F16）；--dry-run 只预览"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示各地将推送的内容和人数，不发送、不记录")

    def handle(self, *args, **opts):
        from fawang.portal.services_hot_push import current_period, follower_groups, hot_topics_push
        from fawang.portal.services_wechat import hot_topics_text
        from fawang.portal.wechat_push import push_available

        if opts["dry_run"]:
            groups = follower_groups()
            self.stdout.write(f"{current_period()}: {len(groups)} 组关注者 / follower groups")
            for county, members in sorted(groups.items()):
                text = hot_topics_text(county, "", if_empty=False)
                self.stdout.write(f"\n== {county or '全平台'}: {len(members)} 人 / followers")
                self.stdout.write(text or "（近30天无咨询，不推送 / nothing asked in 30 days: not sent）")
            return
        if not push_available():
            raise CommandError("微信推送未配置：请设置 FAWANG_WECHAT_APP_ID 和 FAWANG_WECHAT_APP_SECRET。"
                               " / WeChat pushes are not configured: set FAWANG_WECHAT_APP_ID and "
                               "FAWANG_WECHAT_APP_SECRET.")
        result = hot_topics_push()
        self.stdout.write(f"{result['period']}: {result['digests']} 份热点推送，本次发送 {result['sent']} 份 / "
                          f"{result['digests']} digests, {result['sent']} sent now")
