"""Small helpers shared by the importer, the loader and the models: Roman numerals,
ordinal words and resolution symbols.
"""

from __future__ import annotations

import uuid

from django.utils.text import slugify

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    text = text.upper()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if to_roman(total) == text else None


_UNITS = "zero first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth"
).split()
_TENS_ORD = {
    2: "twentieth",
    3: "thirtieth",
    4: "fortieth",
    5: "fiftieth",
    6: "sixtieth",
    7: "seventieth",
    8: "eightieth",
    9: "ninetieth",
}
_TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def ordinal_words(n: int) -> str:
    """37 -> "thirty-seventh" (1..99: every OAS and UN General Assembly session so far)."""
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, units = divmod(n, 10)
    if tens not in _TENS:
        return f"{n}th"
    return _TENS_ORD[tens] if units == 0 else f"{_TENS[tens]}-{_UNITS[units]}"


def symbol_slug(symbol: str) -> str:
    """ "AG/RES. 2289 (XXXVII-O/07)" -> "ag-res-2289-xxxvii-o-07"."""
    import re

    return slugify(re.sub(r"[^0-9A-Za-z]+", "-", symbol)).strip("-")[:120] or uuid.uuid4().hex[:12]


def normalize_symbol(symbol: str) -> str:
    """Normalize spacing in a resolution symbol: "AG/RES.2289 (XXXVII O/07)" ->
    "AG/RES. 2289 (XXXVII-O/07)". Symbols of other forms are only trimmed."""
    import re

    text = " ".join(symbol.split())
    match = re.fullmatch(
        r"(?P<body>[A-Z]{2,4}/RES\.)\s*(?P<num>\d+)\s*\(\s*(?P<roman>[IVXLCDM]+)"
        r"\s*[-–—\s]?\s*(?P<kind>[OE])\s*/\s*(?P<yy>\d{2})\s*\)(?P<rest>.*)",
        text,
        flags=re.IGNORECASE,
    )
    if not match:
        return text
    g = match.groupdict()
    return (
        f"{g['body'].upper()} {g['num']} ({g['roman'].upper()}-{g['kind'].upper()}/{g['yy']})"
        f"{g['rest']}"
    )
