"""Operator commands on a database that was never migrated (fresh checkout, `fawang import-laws` first)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management.base import CommandError

from fawang.core import commands


@pytest.mark.django_db
def test_a_migrated_database_has_nothing_pending():
    assert commands.pending_migrations() == []
    assert commands.ensure_migrated() == 0


def test_a_server_database_is_never_migrated_behind_the_operators_back(monkeypatch):
    monkeypatch.setattr(commands, "pending_migrations", lambda database="default": ["knowledge.0001_initial"])

    class Server:
        vendor = "postgresql"

    monkeypatch.setattr(commands, "connections", {"default": Server()})
    with pytest.raises(CommandError) as exc:
        commands.ensure_migrated()
    assert "fawang migrate" in str(exc.value) and "1" in str(exc.value)


def test_first_command_on_a_fresh_checkout_migrates_the_embedded_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("FAWANG_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["FAWANG_VAR_DIR"] = str(tmp_path / "var")
    done = subprocess.run([sys.executable, "-m", "fawang.cli", "build-retrieval-index"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "migrating the embedded database" in done.stderr
    assert "0 条" in done.stdout
    again = subprocess.run([sys.executable, "-m", "fawang.cli", "build-retrieval-index"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "migrating" not in again.stderr
