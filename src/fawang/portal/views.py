"""Public pages: the portal home page (also shown on kiosks and mobile), and the WeChat endpoint."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from fawang.portal import wechat as protocol
from fawang.portal.services_wechat import ReplyLinks, wechat_message_receive

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and ./run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """查询办理进度: a matter's public steps, by its number and the query code from the registration
    notice (or the last 4 digits of the applicant's phone). Posted, so that the code stays out of
    addresses and logs; repeated wrong codes close the number for an hour (the selector's lockout)."""
    from django.utils.translation import gettext as _

    from fawang.cases.selectors import case_progress_for_citizen
    from fawang.core.errors import DomainError, NotFoundOrForbidden

    number = (request.POST.get("number") or request.GET.get("number") or "").strip()[:32]
    result, error, status = None, "", 200
    if request.method == "POST":
        try:
            result = case_progress_for_citizen(number, request.POST.get("verification", ""))
        except NotFoundOrForbidden:
            error = _("没有找到该事项，请核对编号和查询码。")
        except DomainError as exc:
            error, status = exc.message, getattr(exc, "status_code", 400)
    return render(request, "portal/progress.html", {"number": number, "result": result, "error": error},
                  status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat(request: HttpRequest) -> HttpResponse:
    """The URL configured on the WeChat official account (服务器配置). 404 unless
    ``FAWANG_WECHAT_TOKEN`` is set; see fawang.portal.wechat for the protocol."""
    account = protocol.WechatAccount.from_settings()
    if account is None:
        raise Http404
    params = request.GET.dict()
    try:
        if request.method == "GET":
            protocol.check_url_signature(account, params)
            return HttpResponse(params.get("echostr", ""), content_type="text/plain")
        message, encrypted = protocol.read_message(account, params, request.body)
    except protocol.ProtocolError as exc:
        logger.warning("WeChat request refused: %s", exc)
        return HttpResponse(str(exc), status=exc.status, content_type="text/plain")
    links = ReplyLinks(
        opinion=lambda c: request.build_absolute_uri(reverse("consultation:opinion", args=[c.public_id])),
        ask=request.build_absolute_uri(reverse("consultation:index")),
        faq=request.build_absolute_uri(reverse("consultation:faq")),
        progress=request.build_absolute_uri(reverse("portal:progress")),
    )
    reply = wechat_message_receive(message=message, links=links)
    if not reply:
        # "success" tells WeChat that nothing will be sent back, without an error shown to the user.
        return HttpResponse("success", content_type="text/plain")
    body = protocol.render_reply(account, message, reply, encrypted=encrypted, nonce=params.get("nonce", ""))
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
