"""The ``fawang`` console command: Django's management commands under one name.

``fawang import-divisions DIR`` runs the ``import_divisions`` command: operators type
dashes, Python modules need underscores, so the first argument is translated here once.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
