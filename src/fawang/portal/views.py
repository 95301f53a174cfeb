"""Public pages: the portal home page (also shown on kiosks and mobile)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and ./run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
