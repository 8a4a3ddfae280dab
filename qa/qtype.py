"""What kind of answer a question expects, from its wording alone.

>>> expected_type("How many Azerbaijani students study in Russia?").name
'count'
>>> expected_type("When was the protocol signed?").labels
('DATE',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerType:
    name: str
    labels: tuple[str, ...]  # spaCy entity labels that can answer it; () means "a sentence"


COUNT = AnswerType("count", ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"))
MONEY = AnswerType("money", ("MONEY", "CARDINAL"))
PERCENT = AnswerType("percent", ("PERCENT",))
DATE = AnswerType("date", ("DATE",))
TIME = AnswerType("time", ("TIME", "DATE"))
DURATION = AnswerType("duration", ("DATE", "TIME", "CARDINAL", "QUANTITY"))
PLACE = AnswerType("place", ("GPE", "LOC", "FAC"))
PERSON = AnswerType("person", ("PERSON",))
ORG = AnswerType("organisation", ("ORG", "NORP", "FAC"))
QUANTITY = AnswerType("quantity", ("QUANTITY", "CARDINAL"))
ENTITY = AnswerType("entity", ("ORG", "GPE", "NORP", "PERSON", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE"))
ORDINAL = AnswerType("ordinal", ("ORDINAL",))
AMOUNT = AnswerType("amount", ("MONEY", "PERCENT", "CARDINAL", "QUANTITY"))
SENTENCE = AnswerType("sentence", ())

_ORG_NOUNS = r"organi[sz]ations?|agenc(?:y|ies)|compan(?:y|ies)|firms?|institutions?|universit(?:y|ies)|bod(?:y|ies)|groups?|alliances?|bloc|banks?|ministr(?:y|ies)|department|council|committee|movement|union|party|parties|forum|coalition|fund|programme|program|initiative|office|court|tribunal|summit|partnership|corporation|mission|entity"
_PLACE_NOUNS = r"countr(?:y|ies)|cit(?:y|ies)|capital|region|nations?|states?|places?|province|island|continent|location|venue|town|village|territor(?:y|ies)|sea|river|border|district|republic"
_PERSON_NOUNS = r"(?:[a-z.]+ )?leaders?|presidents?|ministers?|officials?|spokes(?:person|man|woman)|secretar(?:y|ies)|envoys?|ambassadors?|chancellors?|kings?|queens?|prime minister|person|people|diplomats?|advisers?|advisors?|generals?|heads?|chairs?|mayor|author|pope|king|queen|monarch|diplomat|journalist|reporter|senator|governor|commander|envoy|negotiator|chief"
_DATE_NOUNS = r"year|date|day|month|decade|century|time"

_RULES: list[tuple[re.Pattern, AnswerType]] = [
    (re.compile(r"\b(what|which) (percentage|per ?cent|share|proportion|fraction)\b|\bhow much (?:of|percent)\b|\bby how much\b|\bhow many percent"), PERCENT),
    (re.compile(r"\bhow much (money|funding|aid|assistance|financing|dollars|investment)\b|\bhow much (did|does|will|would|has|have|is|was|were)\b.*\b(cost|worth|pay|paid|spend|spent|invest|invested|allocate|allocated|pledge|pledged|provide|provided|give|given|fund|funded|commit|committed|raise|raised|total|amount|value|budget)|\b(what|which) (amount|sum|budget|price|cost|value)\b|\bhow much\b.*\b(\$|dollars?|euros?|money|funds?|funding|aid|cost)\b"), MONEY),
    (re.compile(r"\bhow (long|old)\b"), DURATION),
    (re.compile(r"\bhow (many|much|often)\b|\bwhat (is|was|are|were) the (number|population|size|total|count|(death )?toll|tally|figure)\b|\bwhat (number|total|figure)\b"), COUNT),
    (re.compile(r"\bhow (far|big|large|high|deep|wide|fast)\b"), QUANTITY),
    (re.compile(rf"\b(in |on |by |since |until )?(what|which) ({_DATE_NOUNS})\b|\bwhen\b|\bwhat date\b"), DATE),
    (re.compile(r"\bwhat time\b"), TIME),
    (re.compile(rf"\bwhere\b|\b(in |to |from |at )?(what|which) ({_PLACE_NOUNS})\b"), PLACE),
    (re.compile(rf"\bwhich ({_ORG_NOUNS})\b|\bwhat ({_ORG_NOUNS})\b|\bwhat is the name of the ({_ORG_NOUNS})\b"), ORG),
    (re.compile(rf"\bwho(m|se)?\b|\b(what|which) ({_PERSON_NOUNS})\b"), PERSON),
    (re.compile(r"\b(what|which) (rank|place|position)\b"), ORDINAL),
    (re.compile(r"\bwhat (is|was|are|were|will be|would be) (the |its |their |his |her )?(\w+ ){0,3}(turnover|budget|cost|price|value|revenue|debt|deficit|gdp|volume|amount|sum|rate|growth|output|investment|spending|funding|aid|figure|target|level|size|capacity|score|income|salary|wage|share)\b"), AMOUNT),
    (re.compile(r"\bwhy\b|\bhow (did|does|do|will|would|can|could|should|is|are|was|were)\b|\bwhat (did|does|do|has|have|will|would)\b.*\b(say|said|describe|call|think|believe|stress|note|argue|warn|propose|urge|announce)\b|\bwhat is\b.*\b(view|position|stance|opinion|reason|goal|aim|purpose|priority|approach)\b"), SENTENCE),
    (re.compile(r"\bwhich\b|\bwhat (is|was|are|were) the name\b|\bname (the|of)\b"), ENTITY),
]


def expected_type(question: str) -> AnswerType:
    q = " ".join(question.lower().split())
    for pattern, kind in _RULES:
        if pattern.search(q):
            return kind
    return SENTENCE if not re.search(r"\bwhat\b", q) else ENTITY
