"""On/off switches read from the environment, one reading rule for the whole platform.

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
