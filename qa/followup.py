"""Follow-up questions: "and how many of them get scholarships?" means little alone.

A question that leans on the conversation (it opens with a connective or refers back
with a pronoun) is searched together with the previous question.
"""

from __future__ import annotations

import re

_LEADS = re.compile(r"^(and|but|also|so|what about|how about|then|what else)\b", re.I)
_BACKREF = re.compile(r"\b(they|them|their|theirs|it|its|he|him|his|she|her|those|these|that|this|there|then)\b", re.I)


def is_followup(question: str) -> bool:
    """Whether the question leans on the previous one.

    >>> is_followup("and how many of them get scholarships?")
    True
    """
    return bool(_LEADS.search(question.strip()) or _BACKREF.search(question))


def contextualize(question: str, history: list[str] | None) -> str:
    """The text to search for: the question, prefixed by the previous one if it follows up.

    >>> contextualize("and how many get scholarships?", ["How many Azerbaijani students study in Russia?"])
    'How many Azerbaijani students study in Russia? and how many get scholarships?'
    """
    if history and is_followup(question):
        return f"{history[-1]} {question}"
    return question
