"""Gunicorn settings for Fawang's web workers: ``gunicorn -c python:fawang.gunicorn_conf ...``.

Only what the application itself needs lives here (bind address, worker count and logging stay
on the command line, where ``./run`` and docs/deployment.md set them).
"""

from __future__ import annotations


def post_worker_init(worker) -> None:  # worker: gunicorn's Worker (not imported here)
    """Each worker loads its lazily loaded parts (views, knowledge models) in the background as
    it starts (``fawang.core.warmup``), so no citizen's first consultation pays for them."""
    from fawang.core.warmup import warm_up_in_background

    warm_up_in_background()
