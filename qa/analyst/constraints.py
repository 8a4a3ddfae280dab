"""How a question is read: its answer form, the speakers and dates it names, its topic.

>>> cat = SpeakerCatalog(["Mr. Kirby", "Kenya", "Ukraine"], packaged_aliases())
>>> c = read_question("What did Kirby say about Ukraine in February 2023?", cat)
>>> c.kind, c.speakers, c.dates.since, c.topic
('statements', ('Mr. Kirby',), '2023-02', 'Ukraine')
>>> read_question("Which countries mentioned the Black Sea Grain Initiative?", cat).kind
'list'
>>> read_question("How many Kenyan students study abroad?", cat).speakers
()
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from qa.analyst.dates import DateWindow, parse_dates
from qa.analyst.speakers import Mention, SpeakerCatalog, packaged_aliases

FACTOID, STATEMENTS, LIST = "factoid", "statements", "list"

_SAY = (r"say|said|says|state|stated|tell|told|note|noted|stress|stressed|argue|argued|claim|claimed|announce|announced|"
        r"warn|warned|emphasi[sz]e|emphasi[sz]ed|highlight|highlighted|comment|commented|remark|remarked|mention|mentioned|"
        r"think|thought|believe|believed|express|expressed|discuss|discussed|talk|talked|speak|spoke|spoken|report|reported|"
        r"describe|described|characteri[sz]e|characteri[sz]ed|portray|portrayed|view|viewed|assess|assessed|explain|explained")
_ABOUT = r"(?:about|on|of|regarding|concerning|in relation to|with regard to|with respect to|over|as to|around)"
_STATEMENT_RULES = [
    re.compile(rf"^(?:what|how)\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:{_SAY})(?:\s+{_ABOUT})?\s+(?P<topic>.+)$", re.I),
    re.compile(rf"^what\s+(?:were|are|was|is)\s+(?P<who>.+?)['’]s?\s+(?:\w+\s+)?(?:remarks|comments|statements?|views?|positions?|stance|words|message|assessment|description)\s+{_ABOUT}\s+(?P<topic>.+)$", re.I),
    re.compile(rf"^(?:summari[sz]e|show|list|quote)\s+(?:what\s+)?(?P<who>.+?)['’]?s?\s+(?:said|remarks|comments|statements)\s+{_ABOUT}\s+(?P<topic>.+)$", re.I),
]
_GROUP = (r"countries|nations|states|member states|delegations|governments|speakers|leaders|heads of state|"
          r"presidents|prime ministers|ministers|officials|white house officials|briefers|spokespeople|people|speeches|addresses|"
          r"participants|representatives|administration officials")
_LIST_VERB = (r"mention(?:ed|s)?|sp(?:oke|eak|eaks) out (?:about|on|against)|refer(?:red|s)? to|referenced|cite[ds]?|name[ds]?|talk(?:ed|s)? about|sp(?:oke|eak|eaks) (?:about|of|on)|"
              r"br(?:ought|ing|ings) up|raise[ds]?|discuss(?:ed|es)?|address(?:ed|es)?|highlight(?:ed|s)?|call(?:ed|s)? for|"
              r"condemn(?:ed|s)?|denounce[ds]?|praise[ds]?|welcome[ds]?|propose[ds]?|support(?:ed|s)?|endorse[ds]?|back(?:ed|s)?|"
              r"criticiz(?:ed|es?)|criticis(?:ed|es?)|urge[ds]? |express(?:ed|es)? (?:concern|support|solidarity) (?:about|over|for|with)|"
              r"warn(?:ed|s)? (?:about|of|against)|invoke[ds]?|commend(?:ed|s)?|acknowledge[ds]?|emphasi[sz]e[ds]?|stress(?:ed|es)?|focus(?:ed|es)? on")
_LIST_RULES = [
    re.compile(rf"^(?:which|what)\s+(?:other\s+)?(?:UN\s+|member\s+|General Debate\s+)?(?P<group>{_GROUP})\s+(?:at\s+the\s+[\w\s]+?\s+|in\s+(?:the|their)\s+[\w\s]+?\s+|(?:have|had|did|also)\s+)*(?P<verb>{_LIST_VERB})\s+(?P<topic>.+)$", re.I),
    re.compile(rf"^how\s+many\s+(?:other\s+)?(?:UN\s+|member\s+|General Debate\s+)?(?P<group>{_GROUP})\s+(?:at\s+the\s+[\w\s]+?\s+|in\s+(?:the|their)\s+[\w\s]+?\s+|(?:have|had|did|also)\s+)*(?P<verb>{_LIST_VERB})\s+(?P<topic>.+)$", re.I),
    re.compile(r"^who\s+(?:else\s+|among\s+(?:the\s+)?(?P<group>[\w\s]+?)\s+)?(?:has\s+|have\s+|had\s+)?(?P<verb>mention(?:ed|s)|sp(?:oke|eaks) out (?:about|on|against)|refer(?:red|s) to|referenced|talk(?:ed|s) about|sp(?:oke|eaks) (?:about|of)|br(?:ought|ings) up|raised|discussed)\s+(?P<topic>.+)$", re.I),
]
_REPORTED = re.compile(r"\b(?:according to|as reported by|in the words of|as stated by)\b|,\s*per\s", re.I)
_WHO_WORDS = 6  # "the Kenyan delegate", "Kenya's foreign minister": a speaker takes a few words

# A speaker named in a factoid is the speaker (not a topic) in contexts like these.
_BEFORE = re.compile(r"(?:according to|in the words of|per|by|from)\s+(?:the\s+)?(?:\w+\s+){0,4}?$|\b(?:did|does|do|has|have|will|would)\s+(?:the\s+)?(?:\w+\s+){0,3}?$", re.I)
_AFTER_SAY = re.compile(rf"^(?:['’]s?)?\s+(?:\w+\s+)?(?:{_SAY})\b", re.I)
# "Kenya's address", "the Kenyan delegation": words that name a speech or its speaker.
_AFTER_SPEECH = re.compile(r"^(?:['’]s?)?\s+(?:\w+\s+){0,2}?(?:address|speech|statement|remarks|briefing|delegation|delegate|"
                           r"representative|interview|call|gaggle)\b", re.I)
# "the Kenyan president", "Kenya's foreign minister": a speaker only if they say something.
_AFTER_ROLE = re.compile(r"^(?:['’]s?)?\s+(?:\w+\s+){0,2}?(?:government|president|prime minister|minister|spokes(?:person|man|woman)|"
                         r"leader|ambassador|envoy|king|chancellor|emir|secretary)\s+(?:\w+\s+)?(?:" + _SAY + r")\b", re.I)
_LIST_SCOPE = {"countries": "countries", "nations": "countries", "states": "countries", "member states": "countries",
               "delegations": "countries", "governments": "countries", "heads of state": "countries",
               "presidents": "countries", "prime ministers": "countries",
               "officials": "officials", "white house officials": "officials", "briefers": "officials",
               "spokespeople": "officials", "administration officials": "officials"}


@dataclass(frozen=True)
class Constraints:
    """How the question was read; shown with the answer so the user can check it."""

    kind: str = FACTOID
    speakers: tuple[str, ...] = ()  # speaker labels the question names as speakers
    speaker_text: str = ""  # the words that named them ("the NSC spokesman")
    dates: DateWindow = field(default_factory=DateWindow)
    topic: str = ""  # statements and lists: what was said about
    scope: str = ""  # lists: countries | officials | "" (anyone)
    verb: str = ""  # lists: "mentioned", "condemned", ...
    source: str = ""  # a filter only: one document
    overridden: tuple[str, ...] = ()  # constraints the caller's filters replaced

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "speakers": list(self.speakers), "speaker_text": self.speaker_text,
                "since": self.dates.since, "until": self.dates.until, "dates_text": self.dates.text,
                "topic": self.topic, "scope": self.scope, "verb": self.verb, "source": self.source,
                "overridden": list(self.overridden)}

    def describe(self) -> str:
        """One line for people: 'statements · speaker: Mr. Kirby ("Kirby") · in February 2023 · topic: Ukraine'."""
        parts = [self.kind]
        if self.speakers:
            named = f' ("{self.speaker_text}")' if self.speaker_text and self.speaker_text not in self.speakers else ""
            parts.append(f"speaker: {' or '.join(self.speakers)}{named}")
        if self.dates:
            parts.append(self.dates.describe())
        if self.scope:
            parts.append(f"who: {self.scope}")
        if self.topic:
            parts.append(f"topic: {self.topic}")
        if self.source:
            parts.append(f"document: {self.source}")
        return " · ".join(parts)

    def with_filters(self, speaker: str = "", since: str = "", until: str = "", source: str = "") -> "Constraints":
        """Explicit filters win over what was read from the question."""
        c, over = replace(self, source=source), []
        if speaker:
            if c.speakers and c.speakers != (speaker,):
                over.append("speaker")
            c = replace(c, speakers=(speaker,), speaker_text=speaker)
        if since or until:
            if c.dates and (c.dates.since, c.dates.until) != (since, until):
                over.append("dates")
            c = replace(c, dates=DateWindow(since, until, "filter"))
        return replace(c, overridden=tuple(over))


def constraints_line(d: dict[str, Any]) -> str:
    """`Constraints.describe()` from its JSON; "" for a plain factoid that named nothing."""
    if not d or (d.get("kind") == FACTOID and not d.get("speakers") and not (d.get("since") or d.get("until"))):
        return ""
    c = Constraints(d["kind"], tuple(d.get("speakers", ())), d.get("speaker_text", ""),
                    DateWindow(d.get("since", ""), d.get("until", ""), d.get("dates_text", "")),
                    d.get("topic", ""), d.get("scope", ""), d.get("verb", ""), d.get("source", ""),
                    tuple(d.get("overridden", ())))
    line = c.describe()
    if c.overridden:
        line += f" (filters replaced the {' and '.join(c.overridden)} read from the question)"
    return line


def read_question(question: str, catalog: SpeakerCatalog | None = None) -> Constraints:
    """Kind, speakers, dates and topic of ``question``."""
    catalog = catalog or SpeakerCatalog([], packaged_aliases())
    q = " ".join(question.split()).rstrip(" ?.!")
    dates = parse_dates(q)
    undated = _strip(q, dates.text)
    reported = _REPORTED.search(q)  # "How many countries backed X, according to South Africa?" is a fact one speaker reports
    for rule in _LIST_RULES:
        m = None if reported else rule.match(undated)
        if m:
            group = (m.groupdict().get("group") or "").lower()
            group = next((g for g in _LIST_SCOPE if group.endswith(g)), group)  # "white house briefers" → briefers
            return Constraints(LIST, dates=dates, topic=_clean_topic(m.group("topic")),
                               scope=_LIST_SCOPE.get(group, ""), verb=m.group("verb").strip().lower())
    for rule in _STATEMENT_RULES:
        m = rule.match(undated)
        if not m:
            continue
        who = m.group("who")
        found = [mm for mm in catalog.mentions(who)] if len(who.split()) <= _WHO_WORDS else []
        if found:
            labels = _labels(catalog, found, dates)
            return Constraints(STATEMENTS, labels, " and ".join(mm.text for mm in found), dates,
                               _clean_topic(m.group("topic")))
    speakers = [mm for mm in catalog.mentions(q) if _as_speaker(q, mm)]
    return Constraints(FACTOID, _labels(catalog, speakers, dates), " and ".join(mm.text for mm in speakers), dates)


def _labels(catalog: SpeakerCatalog, found: list[Mention], dates: DateWindow) -> tuple[str, ...]:
    out: list[str] = []
    for mm in found:
        out.extend(catalog.by_date(mm, dates.since, dates.until))
    return tuple(dict.fromkeys(out))[:4]


def _as_speaker(q: str, m: Mention) -> bool:
    """"according to Chile", "Kenya's address", "did Kirby say", "the Kenyan delegate": speaker.
    "Kenyan students", "in Ukraine": a mention."""
    before, after = q[: m.start], q[m.end:]
    according = re.search(r"(?:according to|in the words of|\bper)\s+(?:the\s+)?(?:\w+\s+){0,4}?$", before, re.I)
    if _AFTER_SPEECH.match(after) or _AFTER_ROLE.match(after):
        return True
    if m.adjective:
        return bool(according and re.match(r"^\s+(?:\w+\s+){0,2}?(?:government|president|prime minister|minister|delegat\w+|leader)", after, re.I))
    return bool(according or (_BEFORE.search(before) and _AFTER_SAY.match(after)) or _AFTER_SAY.match(after))


def _strip(q: str, text: str) -> str:
    if not text:
        return q
    return " ".join(q.replace(text, " ").split()).rstrip(" ,?")


def _clean_topic(topic: str) -> str:
    """'the Caspian Sea in their speech' → 'the Caspian Sea'."""
    t = re.sub(r"\s+(?:in|during|at)\s+(?:their|its|his|her|the)\s+(?:\w+\s+){0,3}?(?:address|speech|statement|remarks|briefing|debate)(?:es|s)?\b.*$", "", topic, flags=re.I)
    t = re.sub(r"^(?:the\s+(?:topic|subject|issue|question|matter)\s+of\s+)", "", t, flags=re.I)
    return t.strip(" ,?.")
