"""A real model server on loopback for the tests: OpenAI's /v1/chat/completions and Ollama's
/api/chat, both streaming and both with JSON-schema output, backed by the local GGUF model. It stands in for llama.cpp's
server, vLLM or Ollama (none installs without a compiler or a binary download here), so
the ``openai:`` and ``ollama:`` adapters are tested over real HTTP with a real model.

    python tests/qa/llm/llm_server.py --port 8765
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage  # noqa: E402

from qa.llm.local import LocalChatModel  # noqa: E402
from qa.llm.models import local_gguf_path  # noqa: E402

ROLES = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def make_handler(model: LocalChatModel):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _json(self, code: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.rstrip("/") in ("/v1/models", "/api/tags"):
                return self._json(200, {"data": [{"id": "smollm2"}], "models": [{"name": "smollm2"}]})
            self._json(404, {"error": "not found"})

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            messages = [ROLES.get(m["role"], HumanMessage)(content=_text(m["content"])) for m in body.get("messages", [])]
            limit = body.get("max_tokens") or body.get("max_completion_tokens") or body.get("options", {}).get("num_predict")
            kwargs = {"max_tokens": int(limit)} if limit else {}
            # JSON-schema output, as llama.cpp's server, vLLM (response_format) and Ollama (format) offer it
            if isinstance(body.get("response_format"), dict) and body["response_format"].get("type") == "json_schema":
                kwargs["response_format"] = body["response_format"]
            elif isinstance(body.get("format"), dict):
                kwargs["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": body["format"]}}
            if self.path.startswith("/v1/chat/completions"):
                return self._openai(body, messages, kwargs)
            if self.path.startswith("/api/chat"):
                return self._ollama(body, messages, kwargs)
            self._json(404, {"error": f"no route {self.path}"})

        def _openai(self, body, messages, kwargs):
            rid, created = "chatcmpl-test", int(time.time())
            if not body.get("stream"):
                text = model.invoke(messages, **kwargs).content
                return self._json(200, {"id": rid, "object": "chat.completion", "created": created, "model": body["model"],
                                        "choices": [{"index": 0, "finish_reason": "stop",
                                                     "message": {"role": "assistant", "content": text}}],
                                        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()

            def send(delta, finish=None):
                chunk = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": body["model"],
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

            send({"role": "assistant", "content": ""})
            for chunk in model.stream(messages, **kwargs):
                send({"content": chunk.content})
            send({}, "stop")
            self.wfile.write(b"data: [DONE]\n\n")

        def _ollama(self, body, messages, kwargs):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ")
            if body.get("stream") is False:
                text = model.invoke(messages, **kwargs).content
                return self._json(200, {"model": body["model"], "created_at": stamp, "done": True, "done_reason": "stop",
                                        "message": {"role": "assistant", "content": text}})
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            for chunk in model.stream(messages, **kwargs):
                line = {"model": body["model"], "created_at": stamp, "done": False,
                        "message": {"role": "assistant", "content": chunk.content}}
                self.wfile.write((json.dumps(line) + "\n").encode())
                self.wfile.flush()
            end = {"model": body["model"], "created_at": stamp, "done": True, "done_reason": "stop",
                   "message": {"role": "assistant", "content": ""}, "prompt_eval_count": 0, "eval_count": 0}
            self.wfile.write((json.dumps(end) + "\n").encode())

    return Handler


def _text(content) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--gguf", default="")
    args = ap.parse_args()
    model = LocalChatModel(path=args.gguf or str(local_gguf_path()))
    model.invoke("hi", max_tokens=1)  # load before announcing readiness
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(model))
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
