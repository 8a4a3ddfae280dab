"""A GGUF chat model run in-process by llama.cpp (xllamacpp): no server to start, no compiler.

>>> model = LocalChatModel(path="SmolLM2-135M-Instruct.Q4_1.gguf")   # cheap: nothing loads yet
>>> model.invoke("Say hi").content                                    # doctest: +SKIP

The first question loads the file (well under a second for SmolLM2). One llama.cpp server per
file serves every `LocalChatModel` of the process, with `SLOTS` sequences decoded together
(continuous batching), so two chat users are answered at once from one copy of the model.
``response_format`` (a JSON schema) constrains the output with a grammar, as llama.cpp's HTTP
server does. Decoding is greedy, so an answer is reproducible.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import threading
from pathlib import Path
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from qa.errors import ModelError

SLOTS = 2  # sequences decoded together; each gets CONTEXT tokens
CONTEXT = 2048
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}
_servers: dict[str, Any] = {}
_servers_lock = threading.Lock()


def server_for(path: str):
    """The process's llama.cpp server for ``path``, started on first use."""
    with _servers_lock:
        if path not in _servers:
            import xllamacpp

            p = xllamacpp.CommonParams()
            p.model.path = path
            p.n_parallel = SLOTS
            p.n_ctx = CONTEXT * SLOTS
            p.cpuparams.n_threads = p.cpuparams_batch.n_threads = max(1, min(2, os.cpu_count() or 1))
            p.verbosity = -1  # it logs every request to stderr otherwise
            p.warmup = False
            # llama.cpp also listens on a loopback port; a random key keeps other local users out.
            p.api_keys = [secrets.token_hex(16)]
            try:
                _servers[path] = xllamacpp.Server(p)
            except Exception as err:
                raise ModelError(f"llama.cpp could not load {path}: {err}") from err
        return _servers[path]


class LocalChatModel(BaseChatModel):
    path: str
    max_tokens: int = 160

    @property
    def _llm_type(self) -> str:
        return "local-gguf"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"path": self.path, "max_tokens": self.max_tokens}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any):
        """LangChain's standard tracing parameters; the model is named by its GGUF file."""
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_model_name"] = kwargs.get("model") or Path(self.path).name
        params["ls_max_tokens"] = self.max_tokens
        return params

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> dict:
        req = {"messages": [{"role": _ROLES.get(m.type, "user"), "content": m.content} for m in messages],
               "max_tokens": kwargs.get("max_tokens", self.max_tokens), "temperature": 0, "stream": True}
        if stop:
            req["stop"] = stop
        if kwargs.get("response_format"):
            req["response_format"] = kwargs["response_format"]
        return req

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        server = server_for(self.path)
        request = self._request(messages, stop, **kwargs)
        chunks: queue.Queue = queue.Queue()
        halt = threading.Event()
        done = object()

        def on_chunk(data: Any) -> bool:
            chunks.put(data)
            return halt.is_set()  # True stops generation: the consumer has gone (a closed chat tab)

        def generate() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except BaseException as err:  # surfaced in the caller's thread below
                chunks.put(err)
            finally:
                chunks.put(done)

        worker = threading.Thread(target=generate, daemon=True)
        worker.start()
        text = ""
        try:
            while True:
                item = chunks.get()
                if item is done:
                    break
                if isinstance(item, BaseException):
                    raise ModelError(f"llama.cpp failed: {item}") from item
                token = _delta(item)
                if token:
                    text += token
                    if looping(text):
                        break
                    if run_manager:
                        run_manager.on_llm_new_token(token)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=token))
        finally:  # also when the consumer stops early: the next chunk's callback ends the generation
            halt.set()

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(chunk.message.content for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _delta(item: Any) -> str:
    """The text of one streamed OpenAI-style chunk; an error chunk raises."""
    if isinstance(item, (bytes, str)):
        item = json.loads(item)
    if "error" in item or item.get("code", 200) >= 400:
        raise ModelError(f"llama.cpp: {item.get('error') or item.get('message') or item}")
    choices = item.get("choices") or [{}]
    return (choices[0].get("delta") or {}).get("content") or ""


def looping(text: str, span: int = 20) -> bool:
    """A small model can repeat itself until the token limit; stop when the last ``span``
    characters occurred twice before (once is normal: a claim followed by its quote).

    >>> looping("since 2015, since 2015, since 2015, since 2015, since 2015, since 2015,")
    True
    >>> looping('About 11,000 students study in Russia [1] "About 11,000 students study in Russia"')
    False
    """
    return len(text) >= 3 * span and text[:-span].count(text[-span:]) >= 2
