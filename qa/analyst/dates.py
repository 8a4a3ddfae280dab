"""Date windows named in a question: a day, a month, a year, a range or an open bound.

>>> parse_dates("What did Kirby say about Ukraine in February 2023?")
DateWindow(since='2023-02', until='2023-02', text='in February 2023')
>>> parse_dates("Which briefers mentioned Gaza between 2021 and 2022?").until
'2022'
>>> parse_dates("What did Sullivan say before June 2022?").until
'2022-05'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MON = {m: i + 1 for i, m in enumerate(MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH = r"(?:" + "|".join(sorted(_MON, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
# One point in time: "13 February 2023", "February 13, 2023", "February 2023", "2023".
_POINT = (rf"(?:(?P<{{p}}d1>\d{{{{1,2}}}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<{{p}}m1>{_MONTH}),?\s+(?P<{{p}}y1>{_YEAR})"
          rf"|(?P<{{p}}m2>{_MONTH})\s+(?P<{{p}}d2>\d{{{{1,2}}}})(?:st|nd|rd|th)?,?\s+(?P<{{p}}y2>{_YEAR})"
          rf"|(?P<{{p}}m3>{_MONTH}),?\s+(?P<{{p}}y3>{_YEAR})"
          rf"|(?P<{{p}}m4>{_MONTH})(?=\s+(?:and|to|through|until|-|–)\s)"  # "between March and June 2024"
          rf"|(?P<{{p}}y4>{_YEAR}))")


def _point(prefix: str) -> str:
    return _POINT.format(p=prefix)


_RANGE = re.compile(rf"\b(?:between|from)\s+(?:the\s+)?{_point('a')}\s+(?:and|to|through|until|-|–)\s+{_point('b')}\b", re.I)
_OPEN = re.compile(rf"\b(?P<op>before|prior to|until|till|up to|by|after|since|from|starting)\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+|beginning\s+of\s+)?{_point('a')}\b", re.I)
_AT = re.compile(rf"\b(?:(?P<op>in|on|during|throughout|at|of)\s+(?:the\s+)?(?:year\s+|month\s+of\s+)?)?{_point('a')}\b", re.I)


@dataclass(frozen=True)
class DateWindow:
    """Inclusive bounds as YYYY, YYYY-MM or YYYY-MM-DD ("" = open), and the words that set them."""

    since: str = ""
    until: str = ""
    text: str = ""

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    def describe(self) -> str:
        """'in February 2023', 'from 2021 to 2022', 'until May 2022'."""
        if self.since and self.since == self.until:
            return ("on " if len(self.since) == 10 else "in ") + human(self.since)
        if self.since and self.until:
            return f"from {human(self.since)} to {human(self.until)}"
        return f"from {human(self.since)}" if self.since else f"until {human(self.until)}"


def human(date: str) -> str:
    """'2023-02' → 'February 2023'; '2021-09-25' → '25 September 2021'."""
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1].capitalize()
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def parse_dates(question: str) -> DateWindow:
    """The date window the question asks about (empty when it names none).

    A bare year or month is a window only after a preposition ("in 2023", "during March 2024")
    or as a full date; "the 2030 Agenda" names no window.
    """
    m = _RANGE.search(question)
    if m:
        a, b = _value(m, "a"), _value(m, "b")
        if a and b:
            if "-" not in a and "-" in b and len(a) <= 2:  # "between March and June 2024": month borrows the year
                a = f"{b[:4]}-{a}"
            return DateWindow(a, b, m.group(0))
    m = _OPEN.search(question)
    if m:
        a = _value(m, "a")
        if a and "-" in a or (a and len(a) == 4):
            op = m.group("op").lower()
            if op in ("before", "prior to"):
                return DateWindow("", _shift(a, -1), m.group(0))
            if op == "after":
                return DateWindow(_shift(a, +1), "", m.group(0))
            if op in ("since", "from", "starting"):
                return DateWindow(a, "", m.group(0))
            return DateWindow("", a, m.group(0))  # until, by, up to
    for m in _AT.finditer(question):
        a = _value(m, "a")
        if not a or len(a) <= 2:
            continue
        if len(a) == 4 and not m.group("op"):
            continue  # a bare year names no window ("the 2030 Agenda")
        return DateWindow(a, a, m.group(0).strip())
    return DateWindow()


def _value(m: re.Match, p: str) -> str:
    """'YYYY', 'YYYY-MM', 'YYYY-MM-DD', or a bare month number 'MM' awaiting its year."""
    g = m.groupdict()
    for i in "123":
        y, mo, d = g.get(f"{p}y{i}"), g.get(f"{p}m{i}"), g.get(f"{p}d{i}")
        if y and mo:
            month = _MON[mo.lower().rstrip(".")]
            return f"{y}-{month:02d}-{int(d):02d}" if d else f"{y}-{month:02d}"
    if g.get(f"{p}m4"):
        return f"{_MON[g[f'{p}m4'].lower().rstrip('.')]:02d}"
    return g.get(f"{p}y4") or ""


def _shift(date: str, step: int) -> str:
    """The unit before (step -1) or after (+1) ``date`` at its own precision."""
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 1:
        return str(parts[0] + step)
    if len(parts) == 2:
        y, mo = parts[0], parts[1] + step
        y, mo = (y - 1, 12) if mo == 0 else (y + 1, 1) if mo == 13 else (y, mo)
        return f"{y}-{mo:02d}"
    import datetime as dt

    d = dt.date(*parts) + dt.timedelta(days=step)
    return d.isoformat()
