"""Fawang (法网): the public legal service platform.

Importing the package caps the BLAS thread pools of numpy at one thread per process, unless the
operator set them: every entry point (`fawang` commands, `wsgi.py`, the test suite) imports this
package before numpy. The retrieval engine's matrix products are small (one 59k x 256
matrix-vector product a query), and the platform runs several processes per machine (web
workers, the task queue, imports); with OpenBLAS's default of one spinning thread per core in
every process, processes starve each other's threads. Measured on the 2-core development machine
with two other jobs running (docs/benchmarks.md, "BLAS threads"): query p50 26-35 ms with
the default, 7-10 ms with one thread; a cross-validation run went from about 11 min a fold to hours.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
del _variable
