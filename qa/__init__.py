"""Cited answers over diplomatic transcripts.

>>> import qa
>>> a = qa.answer("How many Azerbaijani students study in Russia?")   # doctest: +SKIP
>>> a.text, a.citations[0].quote                                      # doctest: +SKIP
('About 11,000', '"About 11,000 Azerbaijani students study in Russia, ...')

Imports are lazy so that `qa --help` never loads torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from qa.engine import Engine
    from qa.types import Answer, Citation

__all__ = ["answer", "Engine", "Answer", "Citation", "Settings", "QAError"]

_ENGINES: dict[Any, "Engine"] = {}


def answer(question: str, *, store: str | None = None, k: int | None = None, filters: dict | None = None) -> "Answer":
    """Answer ``question`` from the store at ``store`` (default: QA_STORE or .store).

    The engine for each store opens once per process and is reused.
    """
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings.from_env(store=store)
    key = (str(settings.store), settings.chroma_url, settings.embed_model, settings.embed_backend, settings.reader,
           settings.llm)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = Engine(settings)
    return engine.answer(question, k=k, filters=filters)


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from qa.engine import Engine

        return Engine
    if name in ("Answer", "Citation"):
        from qa import types

        return getattr(types, name)
    if name == "Settings":
        from qa.settings import Settings

        return Settings
    if name == "QAError":
        from qa.errors import QAError

        return QAError
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
