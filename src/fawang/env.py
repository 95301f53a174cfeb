"""On/off switches (and rate limits) read from the environment, one reading rule for the whole platform.

Settings and the run-time switches (the sentence encoder, the web workers' warm-up) read flags the
same way: the usual words for on and off, and the default for anything else. A mistyped value
therefore keeps the default rather than silently turning a safety feature (login lockout) off.
No Django import: the encoder and the gunicorn hooks read flags before or without settings.
"""

from __future__ import annotations

import os

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """``name`` as a flag: on/off words (any case, spaces ignored) decide; unset, empty or
    anything else gives ``default``."""
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    return default


def env_rate(name: str) -> tuple[int, int] | None:
    """``name`` as a rate limit: "60/600" → (60, 600) requests per seconds; "0" or "off" → (0, 0),
    no limit; unset or anything else → None, i.e. keep the default."""
    text = os.environ.get(name, "").strip().lower()
    if text in FALSE_WORDS:
        return (0, 0)
    count, _sep, seconds = text.partition("/")
    if count.strip().isdigit() and seconds.strip().isdigit() and int(seconds) > 0:
        return (int(count), int(seconds))
    return None
