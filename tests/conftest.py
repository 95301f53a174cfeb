"""Shared fixtures. Database tests run on SQLite by default and on PostgreSQL when
FAWANG_DATABASE_URL points at one (``./test`` does both)."""

from __future__ import annotations

import os

os.environ.setdefault("FAWANG_TESTING", "1")
