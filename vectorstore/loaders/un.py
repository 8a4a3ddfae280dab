"""UN General Debate file names: ``ISO3_SESSION_YEAR.txt`` → (country, year)."""

from __future__ import annotations

import re

_NAME = re.compile(r"^(?P<iso>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")

# Common names where ISO 3166's official form reads badly in a citation.
_SHORT = {
    "BOL": "Bolivia", "BRN": "Brunei", "COD": "Democratic Republic of the Congo", "CZE": "Czechia",
    "FSM": "Micronesia", "GBR": "United Kingdom", "IRN": "Iran", "KOR": "Republic of Korea",
    "PRK": "Democratic People's Republic of Korea", "LAO": "Laos", "MDA": "Moldova", "PSE": "Palestine",
    "RUS": "Russia", "SYR": "Syria", "TZA": "Tanzania", "USA": "United States", "VAT": "Holy See",
    "VEN": "Venezuela", "VNM": "Viet Nam", "TUR": "Türkiye", "EU": "European Union",
}


def un_speech_metadata(filename: str) -> tuple[str, int] | None:
    """Country and year of a UN General Debate speech, or None for another file.

    >>> un_speech_metadata("AZE_78_2023.txt")
    ('Azerbaijan', 2023)
    """
    m = _NAME.match(filename)
    if not m:
        return None
    iso = m.group("iso")
    return _country(iso), int(m.group("year"))


def _country(iso: str) -> str:
    if iso in _SHORT:
        return _SHORT[iso]
    import pycountry

    c = pycountry.countries.get(alpha_3=iso)
    if c is None:
        return iso
    return getattr(c, "common_name", None) or c.name
