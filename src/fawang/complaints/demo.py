"""Demo complaint (runs after cases; idempotent): one hotline complaint about a Jinshui case."""

from __future__ import annotations

from typing import Any, TextIO


def load(*, stdout: TextIO | Any) -> None:
    from fawang.accounts.models import User
    from fawang.cases.models import Case
    from fawang.cases.services import party_create
    from fawang.complaints.services import complaint_register
    from fawang.core.errors import DomainError

    clerk = User.objects.filter(username="jinshui.hotline").first()
    about = Case.objects.filter(idempotency_key="demo:cases:5").first()
    if clerk is None or not clerk.service_point_id or about is None:
        stdout.write("  complaints: 演示账号或演示案件缺失，跳过")
        return
    if Case.objects.filter(idempotency_key="demo:complaints:1").exists():
        return
    try:
        person = party_create(name="赵秀兰", phone="13803710005", is_demo=True)
        complaint_register(
            channel="hotline", content="咨询后等了一周才答复，希望提高效率。", complainant=person, actor=clerk,
            service_point=clerk.service_point, target_kind="service_point",
            target_service_point=about.service_point, related_case=about, idempotency_key="demo:complaints:1",
            is_demo=True,
        )
    except DomainError as exc:
        stdout.write(f"  complaints: 跳过：{exc.message}")
        return
    stdout.write("  complaints: 新建 1 条演示投诉")
