"""Relative time in an answer ("tomorrow", "last week", "this year") resolved against the
date of the transcript it was read from.

>>> resolve("tomorrow", "2021-09-24")
'25 September 2021'
>>> resolve("last year", "2023")
'2022'
>>> resolve("next Tuesday", "2023-02-13")
'21 February 2023'
>>> resolve("in March", "2021-09-24")
'March 2021'
>>> resolve("in 2022", "2023") is None
True

A press call held the evening before its transcript's date says so in a dateline, and its
"tomorrow" means the day after the call:

>>> dateline(["Via Teleconference", "(September 23, 2021)", "5:47 P.M. EDT"])
'2021-09-23'
>>> explain("tomorrow", "2021-09-24", "press call", held="2021-09-23")
'tomorrow (24 September 2021; the press call was held on 23 September 2021 and is dated 24 September 2021)'
"""

from __future__ import annotations

import datetime as dt
import re

from qa.analyst.dates import MONTHS, human

# A paragraph that is only a date, as White House transcripts open: "(September 23, 2021)".
_DATELINE = re.compile(r"\(?(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?(" + "|".join(MONTHS)
                       + r")\s+(\d{1,2}),?\s+(\d{4})\)?\.?", re.I)
DATELINE_PARAGRAPHS = 6  # the opening paragraphs searched for one (the corpus's three have it second)

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "a": 1, "an": 1}  # not "a few" or "several": no date should pretend to know how many


def resolve(span: str, doc_date: str) -> str | None:
    """The date a relative expression means, as a person writes it, or None when ``span`` is
    not relative or the document's date is too coarse for it."""
    s = " ".join(span.lower().replace("’", "'").split()).strip(" .,")
    parts = doc_date.split("-") if doc_date else []
    if not parts or not parts[0].isdigit():
        return None
    year = int(parts[0])
    if re.fullmatch(r"(?:earlier |later )?(?:this|the current) year|this year's", s):
        return str(year)
    m = re.fullmatch(r"(last|next|the previous|the past|the coming|the following) year", s)
    if m:
        return str(year + (1 if m.group(1) in ("next", "the coming", "the following") else -1))
    m = re.fullmatch(r"(?:(?:in|since|by|until|from|during|early|late|mid)[ -])?(?:(last|next|this|this past|this coming) )?(" + "|".join(MONTHS) + r")", s)
    if m and len(parts) >= 2:  # a month without its year, in a dated transcript
        month, now = MONTHS.index(m.group(2)) + 1, int(parts[1])
        which = m.group(1) or ""
        y = year - 1 if which in ("last", "this past") and month >= now else year + 1 if which in ("next", "this coming") and month <= now else year
        return f"{m.group(2).capitalize()} {y}"
    if len(parts) < 3:
        return None
    day = dt.date(year, int(parts[1]), int(parts[2]))
    if re.fullmatch(r"(?:earlier |later )?(?:today|tonight|this (?:morning|afternoon|evening))", s):
        return human(day.isoformat())
    for words, delta in (("tomorrow", 1), ("the day after tomorrow", 2), ("yesterday", -1), ("the day before yesterday", -2),
                         ("tomorrow morning", 1), ("tomorrow night", 1), ("yesterday afternoon", -1), ("last night", -1)):
        if s == words:
            return human((day + dt.timedelta(days=delta)).isoformat())
    m = re.fullmatch(r"(?:on )?(?:(this|next|last|this coming|this past) )?(" + "|".join(_DAYS) + r")", s)
    if m:
        target = _DAYS.index(m.group(2))
        ahead = (target - day.weekday()) % 7
        which = m.group(1) or ""
        if which in ("last", "this past"):
            back = (day.weekday() - target) % 7 or 7
            return human((day - dt.timedelta(days=back)).isoformat())
        if not which and ahead == 0:
            return None  # "Friday" said on a Friday: today or a week on, the text does not say
        if which == "next":  # the one in the following week
            monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=1)
            return human((monday + dt.timedelta(days=target)).isoformat())
        return human((day + dt.timedelta(days=ahead or 7)).isoformat())
    m = re.fullmatch(r"(?:earlier |later )?(this|next|last|the coming|the past) (week|month)", s)
    if m:
        step = {"this": 0, "next": 1, "the coming": 1, "last": -1, "the past": -1}[m.group(1)]
        if m.group(2) == "week":
            monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=step)
            return f"the week of {human(monday.isoformat())}"
        mo = day.month + step
        y, mo = (year - 1, 12) if mo == 0 else (year + 1, 1) if mo == 13 else (year, mo)
        return f"{MONTHS[mo - 1].capitalize()} {y}"
    m = re.fullmatch(r"(?:in )?(\d+|" + "|".join(sorted(_NUM, key=len, reverse=True)) + r") (day|week|month)s?( ago| from now| later)?", s)
    if m and (m.group(3) or s.startswith("in ")):
        n = int(m.group(1)) if m.group(1).isdigit() else _NUM[m.group(1)]
        sign = -1 if m.group(3) == " ago" else 1
        days = {"day": 1, "week": 7, "month": 30}[m.group(2)] * n * sign
        when = day + dt.timedelta(days=days)
        return human(when.isoformat()) if m.group(2) != "month" else f"{MONTHS[when.month - 1].capitalize()} {when.year}"
    return None


def dateline(paragraphs: list[str]) -> str:
    """The date a transcript's opening paragraphs give on a line of their own (YYYY-MM-DD), or ""."""
    for text in paragraphs[:DATELINE_PARAGRAPHS]:
        m = _DATELINE.fullmatch(text.strip())
        if m:
            try:
                return dt.date(int(m.group(3)), MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))).isoformat()
            except ValueError:  # "February 30": no date
                return ""
    return ""


def explain(span: str, doc_date: str, what: str = "transcript", held: str = "") -> str | None:
    """'tomorrow (25 September 2021; the briefing is dated 24 September 2021)'. ``held`` is the
    date the transcript's own dateline gives (`dateline`); relative time is resolved against it
    when it differs from ``doc_date``, the date the document is filed under."""
    other_day = bool(held) and held != doc_date
    when = resolve(span, held if other_day else doc_date)
    if when is None:
        return None
    held_on = f"was held on {human(held)} and " if other_day else ""
    return f"{span} ({when}; the {what} {held_on}is dated {human(doc_date)})"
