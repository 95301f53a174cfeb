"""``fawang eval-retrieval FILE.jsonl [--json]``: statute retrieval quality over the imported corpus.

Reads only FILE (rows ``{"question", "relevant": [{"law", "article"}]}``). Gold articles are
matched by law title (``Law.title``) and article label. With ``--json`` the last line is
``{"n", "recall@10", "recall@100", "mrr@10", "ndcg@10", "p50_ms", "p95_ms"}``; latencies are
of the whole ``search_articles`` call per question.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management.base import CommandError

from fawang.core.commands import DatabaseCommand
from fawang.knowledge.encoder import get_encoder
from fawang.knowledge.retrieval import search_articles
from fawang.knowledge.retrieval.engine import get_engine
from fawang.knowledge.retrieval.metrics import summarize
from fawang.knowledge.retrieval.train import read_examples


class Command(DatabaseCommand):
    help = "评测法条检索：Recall@10/@100、MRR@10、nDCG@10 与查询耗时"

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL：question + relevant[{law, article}]")
        parser.add_argument("--json", action="store_true", help="最后一行输出 JSON")

    def handle(self, *args, **opts):
        try:
            examples = [e for e in read_examples(Path(opts["file"])) if e.gold]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"无法读取评测文件：{exc}") from exc
        engine = get_engine()
        if engine is None:
            raise CommandError("尚未导入法律法规，请先运行 fawang import-laws")
        # Which ranker answers (stderr: the last stdout line stays the JSON). The neighbour
        # features need the optional sentence encoder; without it the fallback ranker runs.
        model = engine.model
        if model is None:
            self.stderr.write("检索：词法排序（无学习模型）")
        elif model.neighbours is not None and get_encoder() is not None:
            # The latency target is stated for the lexical path; say how to time that one too.
            self.stderr.write("检索：学习排序 + 句向量近邻（设 FAWANG_SENTENCE_ENCODER=0 可评测不含句向量的词法路径）")
        else:
            self.stderr.write("检索：学习排序（无句向量近邻）")
        runs, latencies = [], []
        for example in examples:
            start = time.perf_counter()
            hits = search_articles(example.question, limit=100)
            latencies.append((time.perf_counter() - start) * 1000)
            runs.append(([(h.law_title, h.label) for h in hits], set(example.gold)))
        result = summarize(runs, latencies)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
