"""The cache folder for models converted on first use, shared by every layer that converts one
(the int8 ONNX encoder in `vectorstore.onnx_embed`, the GGUF chat model in `qa.llm.local`).

A converted model lives in ``cache_dir(kind) / f"{name}-{digest(stamp)}"``, where ``stamp``
says what it was converted from (path, size, modification time): a changed source gets a new
folder instead of a stale conversion.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
