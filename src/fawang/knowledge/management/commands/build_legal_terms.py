"""`fawang build-legal-terms DIR …`: rebuild knowledge/data/legal_terms.txt (see segment.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from fawang.knowledge.segment import TERMS_FILE, build_legal_terms, write_legal_terms


class Command(BaseCommand):
    help = "从法律法规目录生成分词用户词典（法律简称与法定术语）"

    def add_arguments(self, parser):
        parser.add_argument("dirs", nargs="+", type=Path)
        parser.add_argument("--output", type=Path, default=TERMS_FILE)

    def handle(self, *args, dirs, output, **options):
        count = write_legal_terms(build_legal_terms(dirs), output)
        self.stdout.write(f"{count} terms → {output}")
