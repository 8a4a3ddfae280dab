"""Named points in ingest where a test can kill the process on purpose.

Inert unless the environment variable ``QA_FAULT`` names a point: ``QA_FAULT=after_upsert@2``
SIGKILLs this process the second time ingest reaches ``after_upsert``. The crash tests use it
so that every kill is known to land mid-write, not at a wall-clock guess.

>>> checkpoint("after_upsert")  # QA_FAULT unset: nothing happens
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "after_upsert",            # new records written; their file's kept records still carry the old hash
    "during_metadata_update",  # some of a batch's kept records re-labelled, others not yet
    "before_delete",           # all re-labelled; the paragraphs they replace still stored
)
_seen: dict[str, int] = {}


def checkpoint(name: str) -> None:
    spec = os.environ.get("QA_FAULT", "")
    if not spec:
        return
    point, _, nth = spec.partition("@")
    if point not in POINTS:
        raise ValueError(f"QA_FAULT={spec!r}: unknown point; known: {', '.join(POINTS)}")
    if point != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
