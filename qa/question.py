"""Checks on a question before any model sees it."""

from __future__ import annotations

import unicodedata

from qa.errors import BadQuestion


def validate_question(question: object, max_chars: int) -> str:
    """The question, stripped; `BadQuestion` names what is wrong.

    >>> validate_question("  Who spoke?  ", 2000)
    'Who spoke?'
    """
    if not isinstance(question, str):
        raise BadQuestion(f"The question must be text, got {type(question).__name__}.")
    q = question.strip()
    if not q:
        raise BadQuestion("The question is empty. Ask something, e.g. \"How many Azerbaijani students study in Russia?\"")
    if len(q) > max_chars:
        raise BadQuestion(f"The question is {len(q):,} characters long; the limit is {max_chars:,} (QA_MAX_QUESTION_CHARS).")
    bad = [c for c in q if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r\u200d"]
    if bad:
        raise BadQuestion(f"The question contains control characters ({', '.join(sorted({f'U+{ord(c):04X}' for c in bad}))}); remove them and ask again.")
    return " ".join(q.split())
