"""Deterministic stand-ins for the models, for fast unit tests."""

from __future__ import annotations

import hashlib

import numpy as np

from vectorstore.lexical import tokenize


class FakeEmbedder:
    """Hashed bag of stems: texts sharing words are similar, nothing else is.

    Deterministic across runs and machines, 64 dimensions, unit length.
    """

    name = "fake-hash-embedder"
    dim = 64
    max_tokens = 40

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts):
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for tok in tokenize(text) or ["∅"]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]


class OtherFakeEmbedder(FakeEmbedder):
    name = "another-model"


class AttackChatModel:
    """Builds a LangChain chat model that answers every question with the verifier attacks of
    issue #15, made from the passages it is shown: each claim quotes real transcript words but
    says something they do not (a flipped negation, a changed number, a number in words, a
    number cut out of a bigger one, a made-up name, sentences stitched by an ellipsis, a quote
    cut out of a negated clause, a made-up inline quotation). None may reach `Answer.text`."""

    def __new__(cls):
        from langchain_core.language_models import BaseChatModel
        from langchain_core.messages import AIMessage
        from langchain_core.outputs import ChatGeneration, ChatResult

        class _Attacker(BaseChatModel):
            @property
            def _llm_type(self) -> str:
                return "attacker"

            def _generate(self, messages, stop=None, run_manager=None, **kwargs):
                text = attacks(str(messages[-1].content))
                return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

        return _Attacker()


def attacks(prompt: str) -> str:
    import re

    from qa.llm.grounding import number_values
    from vectorstore.sentences import sentence_spans

    lines = []
    for n, body in re.findall(r"^\[(\d+)\] (.*?)(?=\n\n\[\d+\] |\n\nQuestion: )", prompt, flags=re.S | re.M):
        sentences = [s.strip(" .…") for _, _, s in sentence_spans(body.replace("…", " "))]
        # whole sentences only: a window cut mid-sentence ("… let our region be a pawn") may have
        # lost the negation that governs it, and then a "flipped" claim is no attack
        sentences = [s for s in sentences if len(s.split()) >= 4 and s[0].isupper() and not re.search(r"[\"“”‘’']", s)]
        for s in sentences[:2]:
            plain = s[0].lower() + s[1:]
            if not re.search(r"\b(not|no|never|n't)\b", s):
                lines.append(f'It is not the case that {plain} [{n}] "{s}"')
            lines.append(f'Atlantis agrees that {plain} [{n}] "{s}"')
            lines.append(f'Twelve thousand people say {plain} [{n}] "{s}"')
            lines.append(f'They said "we reject every proposal" [{n}]: "{s}"')
            m = re.search(r"(?<![\d,.])\d[\d,]*\d", s)
            if m:
                value = max(number_values(m.group(0))) + 1
                lines.append(f'{s[:m.start()]}{value:,.0f}{s[m.end():]} [{n}] "{s}"')
                cut = s[m.start() + 1:]
                lines.append(f'{cut} [{n}] "{cut}"')
            neg = re.search(r"\bnot\s+(\w+\s+\w+(?:\s+\w+)*)", s)
            if neg:
                lines.append(f'{neg.group(1)} [{n}] "{neg.group(1)}"')
        if len(sentences) >= 2:  # two words of one sentence and two of the next that the first lacks
            a, b = sentences[0].split(), sentences[1].split()
            def bare(text):
                return " ".join(re.findall(r"\w+", text.lower()))

            first, last = bare(" ".join(a[:2])), bare(" ".join(b[-2:]))
            if last not in bare(sentences[0]) and first not in bare(sentences[1]):
                piece = f"{' '.join(a[:2])} ... {' '.join(b[-2:])}"
                lines.append(f'{piece.replace(" ... ", " ")} [{n}] "{piece}"')
    return "\n".join(lines) or "The passages do not answer this question."
