"""Domain errors. Each message is written for a person; the CLI and UI print it as is.

Raise these from anywhere; only `qa.cli` and `ui.app` turn them into exit codes or
chat messages.
"""

from __future__ import annotations


class QAError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""

    exit_code = 1


class BadQuestion(QAError):
    """The question is empty, too long or contains control characters."""

    exit_code = 2


class ConfigError(QAError):
    """A setting or CLI flag has a value we cannot use."""

    exit_code = 2


class StoreError(QAError):
    """The store is missing, empty, locked, read-only or built with another model."""

    exit_code = 3


class ModelError(QAError):
    """The chat model behind the LLM reader cannot be reached or fails while generating."""

    exit_code = 5


class LoadError(QAError):
    """A transcript file cannot be read; ingest skips it and reports this reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GoldFormatError(QAError):
    """A gold question file is malformed; the message names file and line."""

    exit_code = 2

    def __init__(self, path: str, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason
