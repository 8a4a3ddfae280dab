"""The cache folder for models converted on first use, shared by every layer that converts one
(the int8 ONNX encoder in `vectorstore.onnx_embed`, the GGUF chat model in `qa.llm.local`).

A converted model lives in ``cache_dir(kind) / f"{name}-{digest(stamp)}"``, where ``stamp``
says what it was converted from (path, size, modification time): a changed source gets a new
folder instead of a stale conversion.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def cache_dir(kind: str) -> Path:
    """Where converted models of one kind live: ``$QA_CACHE_DIR/qa-transcripts/KIND``, else the
    same under ``$XDG_CACHE_HOME`` or ``~/.cache``. Not created here.

    >>> cache_dir("onnx").parts[-2:]
    ('qa-transcripts', 'onnx')
    """
    base = os.environ.get("QA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qa-transcripts" / kind


def digest(stamp: str) -> str:
    """A short, stable name for a source's stamp (12 hex digits).

    >>> digest("model.gguf:1024:1700000000")
    'f4b07d6e524e'
    """
    return hashlib.blake2b(stamp.encode(), digest_size=6).hexdigest()


@contextmanager
def building(folder: Path) -> Iterator[Path]:
    """A private temporary folder beside ``folder``, renamed to ``folder`` when the block ends
    without error: a half-written conversion is never used, and two processes converting the
    same model at once do not write into each other's files (the first to finish wins).

    >>> import tempfile; root = Path(tempfile.mkdtemp())
    >>> with building(root / "model") as tmp:
    ...     _ = (tmp / "weights.bin").write_bytes(b"1")
    >>> sorted(p.name for p in root.iterdir()), (root / "model" / "weights.bin").read_bytes()
    (['model'], b'1')
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".tmp-", dir=folder.parent))
    try:
        yield tmp
        try:
            tmp.rename(folder)
        except OSError:
            if not folder.is_dir():  # not "another process finished first"
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
