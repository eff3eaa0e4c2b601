"""A memory ceiling for parsing workers.

A docx or PDF a few hundred KB in size can make lxml or pdfminer build gigabytes of objects
(an XML part of many tiny elements, a page of millions of glyphs). Without a ceiling, one such
file pushes the machine into swap or the OOM killer, which takes the whole run with it. With
RLIMIT_AS set in each worker, the allocation fails inside the worker as a MemoryError, which the
readers turn into an ``out_of_memory`` IngestError: that file is recorded and the run goes on.

RLIMIT_AS bounds address space, not resident memory: the interpreter, lxml, PDFium and thread
stacks map a few hundred MB before any file is read, so the ceiling needs that headroom. Arrow
(behind pandas' strings) would reserve about 1 GB of address space for its jemalloc pool the first
time a worker builds a DataFrame, which left too little for OCR: workers use the system allocator.
"""

from __future__ import annotations

import os

try:
    import resource
except ImportError:  # Windows: no rlimits; workers run unbounded
    resource = None

# Per-worker ceiling in MB (a setting's default); 0 or less means no ceiling.
DEFAULT_WORKER_MEMORY_MB = 2048


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space at ``max_bytes`` (the soft RLIMIT_AS; a pool initializer).

    Only the soft limit is set, and never above the hard limit (an unprivileged process may not
    raise that, and an operator's hard limit wins). ``max_bytes <= 0`` or a platform without
    ``resource`` is a no-op, as is a kernel that refuses the call (macOS rejects some RLIMIT_AS
    values): a missing ceiling must not stop workers from starting.
    """
    if resource is None or max_bytes <= 0 or not hasattr(resource, "RLIMIT_AS"):
        return
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")  # before pyarrow is first used here
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):
        pass
