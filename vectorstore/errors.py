"""The errors the storage layer raises, and the product-wide base class they share.

They live here, at the bottom layer, so that `vectorstore/` never imports `qa/`; `qa.errors`
re-exports them and adds the answering layer's own. Each message is written for a person.
"""

from __future__ import annotations


class QAError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""

    exit_code = 1


class ConfigError(QAError):
    """A setting or CLI flag has a value we cannot use."""

    exit_code = 2


class StoreError(QAError):
    """The store is missing, empty, locked, read-only or built with another model."""

    exit_code = 3


class LoadError(QAError):
    """A transcript file cannot be read; ingest skips it and reports this reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
