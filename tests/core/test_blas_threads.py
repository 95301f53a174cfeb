"""The package caps numpy's BLAS thread pools at one thread unless the operator chose otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = "import fawang, numpy, os; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])"


def _probe(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    result = subprocess.run([sys.executable, "-c", PROBE], env={**clean, **env},
                            capture_output=True, text=True, check=True, timeout=60)
    return result.stdout.strip()


def test_one_blas_thread_by_default():
    assert _probe({}) == "1 1"


def test_the_operators_setting_wins():
    assert _probe({"OPENBLAS_NUM_THREADS": "4"}) == "4 1"
