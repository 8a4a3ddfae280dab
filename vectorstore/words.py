"""Words: the project's one word pattern and one stop-word list. Standard library only, so the
gold checkers (`benchmarks.check_gold`) run before the project is installed.

Every place that compares words uses these: BM25 (`vectorstore.lexical.tokenize` stems
``content_words``), the LLM reader's choice of the sentence to show (`qa.llm.reader.focus`),
the follow-up rewrite check (`qa.llm.rewrite`) and the near-duplicate check of gold questions.
What differs between them is said by a parameter (a minimum length, question phrasing), never
by a private copy of the pattern or the list.

>>> words("About 11,000 students study in Russia’s universities")
['about', '11000', 'students', 'study', 'in', "russia's", 'universities']
>>> content_words("How many students study in Russia?", question=True)
['students', 'study', 'russia']
"""

from __future__ import annotations

import re

# A number ("11,000", "11.000", "3.5") or a run of letters with at most one inner apostrophe.
WORD = re.compile(r"\d+(?:[.,]\d{3})+(?!\d)|\d+(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_THOUSANDS = re.compile(r"[.,](?=\d{3}(?!\d))")
# The learned reader's two variants, kept exactly as its models were trained with them (changing
# one changes features: retrain): hyphenated words stay whole ("Nagorno-Karabakh") in its
# sentence and span features, and a question's terms keep a percentage whole ("14%").
HYPHENATED_WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*|\d+(?:[.,]\d{3})*(?:\.\d+)?")
QUESTION_TERM = re.compile(r"\d+(?:[.,]\d{3})+|\d+(?:\.\d+)?%?|[^\W\d_]+(?:[-’'][^\W\d_]+)*")

# Function words, dropped from BM25's index and from every comparison of content words. Changing
# this list changes retrieval (and with it the reader's features): retrain after any change.
STOPWORDS = frozenset(
    "a an the and or but if of at by for with about against between into through during before after above below "
    "to from up down in out on off over under again further then once here there when where why how all any both "
    "each few more most other some such no nor not only own same so than too very can will just should now is are "
    "was were be been being have has had having do does did doing i me my we our you your he him his she her it its "
    "they them their what which who whom this that these those am would could also said say says".split()
)
# How a question is phrased, not what it asks about ("how many", "how much", "according to",
# "whose"): also dropped when the words compared are a question's (``question=True``).
QUESTION_WORDS = frozenset({"many", "much", "according", "whose"})
# Words that negate a statement (plus any word ending in "n't"): the verifier's check that a
# claim keeps its quote's polarity and the reader's "negated sentence" features.
NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "none", "nobody", "nothing", "nowhere", "cannot",
                       "without"})


def words(text: str) -> list[str]:
    """Lower-cased words and numbers in order. A number loses its thousands separators ('11,000'
    and '11.000' both become '11000'), a typographic apostrophe becomes a straight one."""
    out = []
    for tok in WORD.findall(text.lower()):
        out.append(_THOUSANDS.sub("", tok) if tok[0].isdigit() else tok.replace("’", "'"))
    return out


def content_words(text: str, *, min_len: int = 1, question: bool = False) -> list[str]:
    """``words`` without stop words (and without ``QUESTION_WORDS`` when ``question``), of at
    least ``min_len`` characters; numbers are kept."""
    stop = STOPWORDS | QUESTION_WORDS if question else STOPWORDS
    return [w for w in words(text) if len(w) >= min_len and w not in stop]


def negated(text: str) -> bool:
    """Whether ``text`` has a negation word.

    >>> negated("Russia doesn't support it"), negated("Nothing was agreed"), negated("Notable")
    (True, True, False)
    """
    return any(w in NEGATIONS or w.endswith("n't") for w in words(text))


_PHRASE_WORD = re.compile(r"\w+")


def phrase(text: str) -> str:
    """A phrase as matched on word boundaries (a topic in a sentence, a listed phrase in an
    answer): lower-cased runs of letters, digits and underscores, one space apart. Unlike
    ``words`` it keeps what is written ("Russia's" → "russia s", "11,000" → "11 000"), so that
    ``f" {phrase(a)} " in f" {phrase(b)} "`` is "b says a", whatever the spacing, hyphens or
    apostrophes.

    >>> phrase("  The Black-Sea   Grain Initiative's ")
    'the black sea grain initiative s'
    """
    return " ".join(_PHRASE_WORD.findall(text.lower()))
