"""French (français): headers, operative markers, dates and ordinals."""

COMMON_WORDS = ["le", "la", "les", "des", "du", "et", "en", "pour", "sur", "aux", "au"]
MONTHS = {
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
}
ORDINAL_UNITS = {
    "premier": 1,
    "première": 1,
    "unième": 1,
    "deuxième": 2,
    "second": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
    "sixième": 6,
    "septième": 7,
    "huitième": 8,
    "neuvième": 9,
    "dixième": 10,
    "onzième": 11,
    "douzième": 12,
    "treizième": 13,
    "quatorzième": 14,
    "quinzième": 15,
    "seizième": 16,
}
ORDINAL_TENS = {
    "vingtième": 20,
    "trentième": 30,
    "quarantième": 40,
    "cinquantième": 50,
    "soixantième": 60,
    "soixante-dixième": 70,
    "quatre-vingtième": 80,
    "quatre-vingt-dixième": 90,
}
CARDINAL_TENS = {
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "quatre-vingt": 80,
}
ORDINAL_JOINERS = ["-", " et ", "-et-"]
HEADER_BODIES = [r"Assembl[ée]e\s+g[ée]n[ée]rale", r"Conseil\s+permanent"]
HEADER_ARTICLES = [r"L['’]\s*"]
TRIGGERS = ["DÉCIDE", "RÉSOUT", "DÉCLARE"]
ADOPTED = [r"adopt[ée]e?", r"approuv[ée]e?"]
SESSION_NOUNS = [r"session\s+ordinaire", r"session"]
ADDRESSEE_VERBS: list[str] = []
ADDRESSEE_VERBS_3RD: list[str] = []
END_MARKERS = [
    r"annexes?(?:\s+[IVX\d]+)?",
    r"\d{1,3}(?:e|re)\s+s[ée]ance(?:\s+pl[ée]ni[èe]re)?\b.*",  # "38e séance", "52e séance plénière"
]
ANNUALLY = [r"chaque\s+ann[ée]e", r"annuellement"]

# Periodic deadlines ("tous les 90 jours", "tous les six mois").
EVERY = [r"tous\s+les", r"toutes\s+les"]
CARDINALS = {
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "dix": 10,
    "six": 6,
    "douze": 12,
    "soixante": 60,
    "quatre-vingt-dix": 90,
}
PERIOD_UNITS = {"jours": "DAILY", "semaines": "WEEKLY", "mois": "MONTHLY", "ans": "YEARLY"}
ORGAN_ALIASES = {
    "GA": ["Assemblée générale"],
    "PC": ["Conseil permanent"],
    "GS": ["Secrétaire général", "Secrétariat général"],
}

# Lowercase inside a title ("Programa-presupuesto de la Organización").
SMALL_WORDS = [
    "de",
    "des",
    "du",
    "la",
    "le",
    "les",
    "et",
    "ou",
    "en",
    "pour",
    "par",
    "sur",
    "au",
    "aux",
    "à",
    "d",
    "l",
]

# Kinds of paragraph (see en.py).
DECLARATORY_VERBS = [
    r"d[ée]cide\s+de\s+rester\s+saisi",
    r"r[ée]affirme(?:r)?",
    r"condamne(?:r)?",
    r"exprime(?:r)?",
    r"r[ée]it[èe]re(?:r)?",
    r"se\s+f[ée]licite(?:r)?",
    r"salue(?:r)?",
    r"accueill(?:e|ir)",
    r"reconna[iî]t(?:re)?",
    r"prend(?:re)?\s+note",
    r"souligne(?:r)?",
    r"rappel(?:le|er)",
    r"remercie(?:r)?",
    r"d[ée]clare(?:r)?",
    r"d[ée]plore(?:r)?",
]
DUTY_OF_STATES = [r"(?:devoirs?|obligations?|engagements?)\s+des\s+[ÉE]tats"]
STATES_WORDS = [r"(?:les\s+)?[ÉE]tats(?!\s+am[ée]ricains|-Unis)(?:\s+membres)?", r"gouvernements?"]
