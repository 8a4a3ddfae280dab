"""Domain errors. Each message is written for a person; the CLI and UI print it as is.

Raise these from anywhere; only `qa.cli` and `ui.app` turn them into exit codes or
chat messages. The storage layer's errors (`QAError`, `ConfigError`, `StoreError`, `LoadError`)
are defined in `vectorstore.errors` and re-exported here.
"""

from __future__ import annotations

from vectorstore.errors import ConfigError, LoadError, QAError, StoreError  # re-exported: the storage layer's errors


class BadQuestion(QAError):
    """The question is empty, too long or contains control characters."""

    exit_code = 2


class ModelError(QAError):
    """The chat model behind the LLM reader cannot be reached or fails while generating."""

    exit_code = 5


class GoldFormatError(QAError):
    """A gold question file is malformed; the message names file and line."""

    exit_code = 2

    def __init__(self, path: str, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


__all__ = ["QAError", "BadQuestion", "ConfigError", "StoreError", "ModelError", "LoadError", "GoldFormatError"]
