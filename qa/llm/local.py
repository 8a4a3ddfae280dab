"""A GGUF chat model run in-process with transformers: no server, no compiler, no network.

>>> model = LocalChatModel(path="SmolLM2-135M-Instruct.Q4_1.gguf")   # cheap: nothing loads yet
>>> model.invoke("Say hi").content                                    # doctest: +SKIP

transformers de-quantises a GGUF in Python, which takes about a minute, and the result
cannot be saved with ``save_pretrained``. So the first use converts the file once into
plain safetensors in the cache folder (``$QA_CACHE_DIR/qa-transcripts/llm``); every later
load takes about a second. Decoding is greedy, so an answer is reproducible.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LocalChatModel(BaseChatModel):
    path: str
    max_tokens: int = 160

    _loaded: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

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

    # --- loading ------------------------------------------------------------------------

    def _load(self):
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    from transformers import AutoModelForCausalLM, AutoTokenizer

                    from vectorstore.embed import quiet_transformers

                    quiet_transformers()
                    folder = converted(Path(self.path))
                    tokenizer = AutoTokenizer.from_pretrained(folder)
                    model = AutoModelForCausalLM.from_pretrained(folder, dtype="float32").eval()
                    self._loaded = (tokenizer, model)
        return self._loaded

    # --- generation ---------------------------------------------------------------------

    @staticmethod
    def _inputs(tokenizer, messages: list[BaseMessage]):
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.content} for m in messages]
        return tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt", return_dict=True)

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        tokenizer, model = self._load()
        inputs = self._inputs(tokenizer, messages)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=600)
        failure: list[BaseException] = []
        halt = threading.Event()

        class Halt(StoppingCriteria):
            def __call__(self, input_ids, scores, **kw) -> bool:
                return halt.is_set()

        def generate() -> None:
            try:
                with torch.inference_mode():
                    # No repetition penalty: it would also penalise copying the passages, which
                    # is exactly what a quote is. Loops are cut below instead.
                    model.generate(**inputs, streamer=streamer, max_new_tokens=kwargs.get("max_tokens", self.max_tokens),
                                   do_sample=False, pad_token_id=tokenizer.eos_token_id,
                                   stopping_criteria=StoppingCriteriaList([Halt()]))
            except BaseException as err:  # surfaced in the caller's thread below
                failure.append(err)
                streamer.end()

        with self._lock:  # one generation at a time: both cores go to it
            worker = threading.Thread(target=generate, daemon=True)
            worker.start()
            text = ""
            try:
                for token in streamer:
                    if not token:
                        continue
                    text += token
                    if (stop and any(s in text for s in stop)) or looping(text):
                        break
                    if run_manager:
                        run_manager.on_llm_new_token(token)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=token))
            finally:  # also when the consumer stops early (a closed chat tab): free the model
                halt.set()
                worker.join()
        if failure:
            raise failure[0]

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(chunk.message.content for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def looping(text: str, span: int = 20) -> bool:
    """A small model can repeat itself until the token limit; stop when the last ``span``
    characters occurred twice before (once is normal: a claim followed by its quote).

    >>> looping("since 2015, since 2015, since 2015, since 2015, since 2015, since 2015,")
    True
    >>> looping('About 11,000 students study in Russia [1] "About 11,000 students study in Russia"')
    False
    """
    return len(text) >= 3 * span and text[:-span].count(text[-span:]) >= 2


def converted(gguf: Path) -> Path:
    """The GGUF as a plain transformers folder in the cache, converting it on first use."""
    from vectorstore.cache import cache_dir, digest

    gguf = gguf.resolve()
    stat = gguf.stat()
    folder = cache_dir("llm") / f"{gguf.stem}-{digest(f'{gguf}:{stat.st_size}:{stat.st_mtime_ns}')}"
    if (folder / "config.json").exists():
        return folder
    import torch
    from safetensors.torch import save_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from vectorstore.embed import quiet_transformers

    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}-{threading.get_ident()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    quiet_transformers()
    print(f"converting {gguf.name} for transformers, once (about a minute) ...", file=sys.stderr, flush=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    save_model(model, str(tmp / "model.safetensors"))  # handles the tied embedding weights
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # the tensors are plain float32 now
    config.save_pretrained(tmp)
    model.generation_config.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    try:
        tmp.rename(folder)  # atomic: a half-written conversion is never used
    except OSError:  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
