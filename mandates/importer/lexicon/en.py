"""English."""

COMMON_WORDS = ["the", "of", "and", "to", "its", "with", "that", "which", "for", "on"]
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "sept": 9,
}
ORDINAL_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
ORDINAL_TENS = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}
# "forty-first": a cardinal ten, then the unit ordinal.
CARDINAL_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINAL_JOINERS = ["-", " "]
HEADER_BODIES = [
    r"General\s+Assembly",
    r"Permanent\s+Council",
    r"Security\s+Council",
    r"Economic\s+and\s+Social\s+Council",
    r"Human\s+Rights\s+Council",
    r"Inter-American\s+Council\s+for\s+Integral\s+Development",
]
HEADER_ARTICLES = [r"The"]
TRIGGERS = ["RESOLVES", "DECIDES", "DECLARES", "AGREES", "RESOLVES TO"]
ADOPTED = [r"adopted", r"approved"]
SESSION_NOUNS = [r"regular\s+session", r"session"]
ADDRESSEE_VERBS = [
    "request",
    "instruct",
    "urge",
    "encourage",
    "invite",
    "call upon",
    "call on",
    "entrust",
    "ask",
    "direct",
    "mandate",
    "charge",
    "task",
    "exhort",
    "commission",
    "recommend to",
    "appeal to",
]
# Third-person forms ("Requests the Secretary-General"): the UN writes its operative
# paragraphs so; each is always the resolution's own verb.
ADDRESSEE_VERBS_3RD = [
    "requests",
    "instructs",
    "urges",
    "encourages",
    "invites",
    "calls upon",
    "calls on",
    "entrusts",
    "asks",
    "directs",
    "mandates",
    "charges",
    "tasks",
    "exhorts",
    "recommends to",
    "appeals to",
]
END_MARKERS = [
    r"\d{1,3}(?:st|nd|rd|th)\s+plenary\s+meeting\b.*",
    r"annex(?:es)?(?:\s+[IVX\d]+)?",
    # The Human Rights Council's closing line: "38th meeting" (its date on the next line).
    r"\d{1,3}(?:st|nd|rd|th)\s+meeting",
    # The Security Council's closing line: "Adopted at the 2nd meeting." (older texts).
    r"adopted\s+(?:unanimously\s+)?at\s+the\s+\d{1,4}(?:st|nd|rd|th)\s+meeting\b.*",
]
ANNUALLY = [r"annually", r"each\s+year", r"every\s+year", r"yearly"]

# Periodic deadlines ("to report every 90 days", "every six months"): the words for "every",
# small cardinals, and units with their iCalendar frequency.
EVERY = [r"every", r"each"]
CARDINALS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "ten": 10,
    "six": 6,
    "twelve": 12,
    "sixty": 60,
    "ninety": 90,
}
PERIOD_UNITS = {"days": "DAILY", "weeks": "WEEKLY", "months": "MONTHLY", "years": "YEARLY"}
ORGAN_ALIASES: dict[str, list[str]] = {}

# Lowercase inside a title ("Programa-presupuesto de la Organización").
SMALL_WORDS = []

# Kinds of paragraph (mandates.importer.meaning.paragraph_kind). An operative paragraph that
# opens with one of these verbs orders nobody to do anything: declaratory.
DECLARATORY_VERBS = [
    # The Security Council's closing formula: it keeps the item, nobody is told to act.
    r"decides?\s+to\s+remain\s+(?:actively\s+)?seized",
    r"condemns?",
    r"express(?:es)?",
    r"reaffirms?",
    r"reiterates?",
    r"welcomes?",
    r"recogni[sz]es?",
    r"recalls?",
    r"notes?",
    r"takes?\s+note",
    r"acknowledges?",
    r"emphasi[sz]es?",
    r"stress(?:es)?",
    r"underlines?",
    r"underscores?",
    r"affirms?",
    r"declares?",
    r"deplores?",
    r"commends?",
    r"congratulates?",
    r"thanks?",
]
# ...unless it states a duty of the states ("To reaffirm the duty of states parties to …").
DUTY_OF_STATES = [
    r"(?:duty|duties|obligations?|commitments?)\s+of\s+(?:the\s+)?(?:member\s+)?states"
]
# The states themselves, as a paragraph's addressee ("To urge member states …").
STATES_WORDS = [
    r"(?:member\s+)?(?<!American\s)(?<!United\s)states",
    r"member\s+countries",
    r"governments?",
]
