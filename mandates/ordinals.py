"""A General Assembly session's name in each official language, as the OAS writes it:
"Thirty-seventh regular session", "Trigésimo séptimo período ordinario de sesiones",
"Trente-septième session ordinaire", "Trigésimo sétimo período ordinário de sessões"
(1 to 99, every session so far). English words come from `models.ordinal_words`."""

from __future__ import annotations

_ES_UNITS = ["", *"primer segundo tercer cuarto quinto sexto séptimo octavo noveno".split()]
_ES_TEENS = {
    10: "décimo", 11: "undécimo", 12: "duodécimo", 13: "decimotercer", 14: "decimocuarto",
    15: "decimoquinto", 16: "decimosexto", 17: "decimoséptimo", 18: "decimoctavo",
    19: "decimonoveno",
}  # fmt: skip
_ES_TENS = [
    "",
    "",
    *"vigésimo trigésimo cuadragésimo quincuagésimo sexagésimo septuagésimo octogésimo".split(),
    "nonagésimo",
]

_PT_UNITS = ["", *"primeiro segundo terceiro quarto quinto sexto sétimo oitavo nono".split()]
_PT_TENS = [
    "",
    *"décimo vigésimo trigésimo quadragésimo quinquagésimo sexagésimo septuagésimo".split(),
    "octogésimo",
    "nonagésimo",
]

_FR_UNITS = [
    "",
    *"un deux trois quatre cinq six sept huit neuf dix".split(),
    *"onze douze treize quatorze quinze seize".split(),
]
_FR_TENS = ["", *"dix vingt trente quarante cinquante soixante soixante".split()]
_FR_TENS += ["quatre-vingt", "quatre-vingt"]


def spanish(n: int) -> str:
    """Masculine, apocopated before the noun: "trigésimo primer", "decimotercer"."""
    if n < 10:
        return _ES_UNITS[n]
    if n < 20:
        return _ES_TEENS[n]
    tens, units = divmod(n, 10)
    return _ES_TENS[tens] + (f" {_ES_UNITS[units]}" if units else "")


def portuguese(n: int) -> str:
    tens, units = divmod(n, 10)
    words = [w for w in (_PT_TENS[tens], _PT_UNITS[units]) if w]
    return " ".join(words)


def french_cardinal(n: int) -> str:
    if n <= 16:
        return _FR_UNITS[n]
    tens, units = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: 60/80 + 10..19
        rest = n - (60 if tens == 7 else 80)
        joiner = " et " if rest == 11 and tens == 7 else "-"
        return f"{_FR_TENS[tens]}{joiner}{french_cardinal(rest)}"
    if units == 0:
        return "quatre-vingts" if tens == 8 else _FR_TENS[tens]
    joiner = " et " if units == 1 and tens != 8 else "-"
    return f"{_FR_TENS[tens]}{joiner}{_FR_UNITS[units]}"


def french(n: int) -> str:
    """Feminine ordinal, as for "session": "première", "vingt et unième", "trente-septième"."""
    if n == 1:
        return "première"
    cardinal = french_cardinal(n)
    head, sep, last = cardinal.rpartition("-") if "-" in cardinal else ("", "", cardinal)
    if " " in last:  # "vingt et un"
        head, sep, last = cardinal.rpartition(" ")
    if last == "quatre-vingts" or cardinal == "quatre-vingts":
        return "quatre-vingtième"
    if last == "cinq":
        last = "cinquième"
    elif last == "neuf":
        last = "neuvième"
    elif last.endswith("e"):
        last = last[:-1] + "ième"
    else:
        last = last + "ième"
    return f"{head}{sep}{last}"


def session_name(n: int, special: bool, language: str) -> str | None:
    """The session's name in `language` (None for English: see Session.__str__)."""
    if language == "es":
        kind = "extraordinario" if special else "ordinario"
        return f"{spanish(n)} período {kind} de sesiones".capitalize()
    if language == "fr":
        kind = "extraordinaire" if special else "ordinaire"
        return f"{french(n)} session {kind}".capitalize()
    if language == "pt":
        kind = "extraordinário" if special else "ordinário"
        return f"{portuguese(n)} período {kind} de sessões".capitalize()
    return None
