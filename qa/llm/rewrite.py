"""Follow-ups with an LLM: "and how many get scholarships?" becomes a standalone question
before retrieval. The rewrite is checked; a rewrite that is empty, rambling or has lost the
question falls back to the extractive path's rule (search it with the previous question).

>>> from langchain_core.language_models import FakeListChatModel
>>> rewrite(FakeListChatModel(responses=["How many Azerbaijani students in Russia get scholarships?"]),
...         "and how many of them get scholarships?", ["How many Azerbaijani students study in Russia?"])
'How many Azerbaijani students in Russia get scholarships?'
"""

from __future__ import annotations

import re

from qa.errors import ModelError
from qa.followup import contextualize, is_followup
from qa.llm.prompt import rewrite_messages
from vectorstore.words import content_words, words

MAX_CHARS = 300


def rewrite(model, question: str, history: list[str] | None) -> str:
    """The question to search for and answer; unchanged when it does not lean on the history."""
    if not history or not is_followup(question):
        return question
    try:
        out = model.invoke(rewrite_messages(question, history)).content
    except Exception as err:
        raise ModelError(f"The chat model failed while rewriting a follow-up: {type(err).__name__}: {err}") from err
    line = next((ln for ln in str(out).splitlines() if ln.strip()), "")
    line = re.sub(r"^\s*(?:standalone question|question|rewritten)\s*:\s*", "", line, flags=re.I).strip().strip('"“”')
    if not line or len(line) > MAX_CHARS or not _shares_words(line, question):
        return contextualize(question, history)
    return line


def _shares_words(rewritten: str, question: str) -> bool:
    """A rewrite must keep some of the follow-up's own content words, or it answers something else."""
    own = set(content_words(question, min_len=4))
    return not own or bool(own & set(words(rewritten)))
