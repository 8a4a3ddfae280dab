"""All configuration in one place: one dataclass, one table of defaults.

Values come from the environment (``QA_*``) and CLI flags, read only at the edges:

>>> s = Settings.from_env({"QA_K": "3"})
>>> s.k
3
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from qa.errors import ConfigError


def _setting(default: Any, env: str, help: str, choices: tuple[str, ...] = ()) -> Any:
    return field(default=default, metadata={"env": env, "help": help, "choices": choices})


@dataclass(frozen=True)
class Settings:
    """Every tunable of the product. The defaults below are the single table of defaults."""

    # Store and models
    store: Path = _setting(Path(".store"), "QA_STORE", "folder of the embedded Chroma store")
    chroma_url: str = _setting("", "QA_CHROMA_URL", "use a Chroma server at this URL instead of the embedded store")
    chroma_token: str = _setting("", "QA_CHROMA_TOKEN", "auth token sent to the Chroma server")
    embed_model: str = _setting("", "QA_EMBED_MODEL", "local sentence-transformers folder (default: the packaged all-MiniLM-L6-v2)")
    embed_backend: str = _setting("onnx-int8", "QA_EMBED_BACKEND", "encoder runtime", ("torch", "onnx-int8"))
    batch_size: int = _setting(64, "QA_BATCH_SIZE", "paragraphs per embedding batch")
    max_file_mb: float = _setting(50.0, "QA_MAX_FILE_MB", "larger transcript files are skipped")

    # Retrieval
    k: int = _setting(5, "QA_K", "passages cited per answer")
    retrieval: str = _setting("hybrid", "QA_RETRIEVAL", "search mode", ("hybrid", "dense", "bm25"))
    candidates: int = _setting(40, "QA_CANDIDATES", "candidates fetched from each index before fusion")
    rrf_k: int = _setting(60, "QA_RRF_K", "reciprocal-rank-fusion constant")
    boosts: bool = _setting(True, "QA_BOOSTS", "boost paragraphs whose speaker or date the question names")
    exact_search_max: int = _setting(100_000, "QA_EXACT_SEARCH_MAX", "stores with up to this many records are searched "
                                     "exactly in memory (same ranking in every process); larger ones by Chroma's HNSW")

    # Reader and abstention (chosen on data/gold/dev.jsonl, see README "Abstention")
    reader: str = _setting("extractive", "QA_READER", "answer reader: extracted span, or LLM with verified quotes", ("extractive", "llm"))
    read_passages: int = _setting(8, "QA_READ_PASSAGES", "top passages the reader reads")
    min_confidence: float = _setting(0.26, "QA_MIN_CONFIDENCE", "abstain below this confidence (the calibrated P(answer right); chosen by benchmarks.train_reader; 0.22 with QA_VERIFY=1)")
    verify: bool = _setting(False, "QA_VERIFY", "a second reading of each short answer (qa/reader/verify.py) may lower its confidence (an option: see README)")
    max_question_chars: int = _setting(2000, "QA_MAX_QUESTION_CHARS", "longer questions are refused")

    # Generative reader (QA_READER=llm); see qa/llm/models.py for the model spec
    llm: str = _setting("local", "QA_LLM", "chat model: local, gguf:FILE, ollama:NAME[@URL] or openai:MODEL@URL")
    llm_api_key: str = _setting("", "QA_LLM_API_KEY", "API key for an openai: endpoint (local servers need none)")
    llm_passages: int = _setting(3, "QA_LLM_PASSAGES", "top passages given to the LLM")
    llm_passage_chars: int = _setting(600, "QA_LLM_PASSAGE_CHARS", "characters of each passage shown, around its best-matching sentence")
    llm_max_tokens: int = _setting(160, "QA_LLM_MAX_TOKENS", "longest generated answer, in tokens")
    llm_timeout: float = _setting(120.0, "QA_LLM_TIMEOUT", "seconds to wait for a remote model")
    llm_format: str = _setting("json", "QA_LLM_FORMAT", "json: the model picks numbered sentences and a short answer "
                               "(JSON schema); text: free text with quotes", ("json", "text"))

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            choices = f.metadata.get("choices")
            if choices and value not in choices:
                raise ConfigError(f"{f.metadata['env']}={value!r} is not one of {', '.join(choices)}.")
        for name in ("k", "candidates", "batch_size", "read_passages", "max_question_chars", "rrf_k",
                     "llm_passages", "llm_passage_chars", "llm_max_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}.")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must lie in [0, 1], got {self.min_confidence}.")
        if self.reader == "llm":
            from qa.llm.models import parse_spec

            parse_spec(self.llm)  # a malformed QA_LLM fails here, naming the value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults, then ``QA_*`` variables, then explicit overrides (CLI flags; None is ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is not None and raw != "":
                values[f.name] = _parse(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "store" in values:
            values["store"] = Path(values["store"])
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def describe(cls) -> list[tuple[str, str, Any]]:
        """(env var, help, default) rows, for ``--help`` and the README."""
        return [(f.metadata["env"], f.metadata["help"], f.default) for f in fields(cls)]


def _parse(f: dataclasses.Field, raw: str) -> Any:
    kind = type(f.default)
    try:
        if kind is bool:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if kind in (int, float):
            return kind(raw)
        return raw if kind is not Path else Path(raw)
    except ValueError:
        raise ConfigError(f"{f.metadata['env']}={raw!r} is not a valid {kind.__name__}.") from None
