"""Portuguese (português): headers, operative markers, dates and ordinals."""

COMMON_WORDS = ["o", "os", "da", "do", "das", "dos", "e", "em", "para", "com", "na", "no"]
MONTHS = {
    "janeiro": 1,
    "fevereiro": 2,
    "março": 3,
    "abril": 4,
    "maio": 5,
    "junho": 6,
    "julho": 7,
    "agosto": 8,
    "setembro": 9,
    "outubro": 10,
    "novembro": 11,
    "dezembro": 12,
}
ORDINAL_UNITS = {
    "primeiro": 1,
    "primeira": 1,
    "segundo": 2,
    "segunda": 2,
    "terceiro": 3,
    "terceira": 3,
    "quarto": 4,
    "quarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "sexta": 6,
    "sétimo": 7,
    "sétima": 7,
    "oitavo": 8,
    "oitava": 8,
    "nono": 9,
    "nona": 9,
    "décimo": 10,
    "décima": 10,
}
ORDINAL_TENS = {
    "décimo": 10,
    "vigésimo": 20,
    "trigésimo": 30,
    "quadragésimo": 40,
    "quinquagésimo": 50,
    "sexagésimo": 60,
    "septuagésimo": 70,
    "setuagésimo": 70,
    "octogésimo": 80,
    "nonagésimo": 90,
}
ORDINAL_JOINERS = [" ", "-"]
HEADER_BODIES = [r"Assembleia\s+Geral", r"Conselho\s+Permanente"]
HEADER_ARTICLES = [r"A", r"O"]
TRIGGERS = ["RESOLVE", "DECIDE", "DECLARA"]
ADOPTED = [r"aprovad[ao]", r"adotad[ao]"]
SESSION_NOUNS = [r"per[ií]odo\s+ordin[aá]rio\s+de\s+sess[õo]es"]
ADDRESSEE_VERBS: list[str] = []
ADDRESSEE_VERBS_3RD: list[str] = []
END_MARKERS = [r"anexos?(?:\s+[IVX\d]+)?"]
ANNUALLY = [r"anualmente", r"cada\s+ano"]

# Periodic deadlines ("a cada 90 dias", "a cada seis meses").
EVERY = [r"a\s+cada", r"cada"]
CARDINALS = {
    "dois": 2,
    "duas": 2,
    "três": 3,
    "quatro": 4,
    "cinco": 5,
    "dez": 10,
    "seis": 6,
    "doze": 12,
    "sessenta": 60,
    "noventa": 90,
}
PERIOD_UNITS = {"dias": "DAILY", "semanas": "WEEKLY", "meses": "MONTHLY", "anos": "YEARLY"}
ORGAN_ALIASES = {
    "GA": ["Assembleia Geral"],
    "PC": ["Conselho Permanente"],
    "GS": ["Secretário-Geral", "Secretaria-Geral"],
}

# Lowercase inside a title ("Programa-presupuesto de la Organización").
SMALL_WORDS = [
    "de",
    "da",
    "das",
    "do",
    "dos",
    "e",
    "o",
    "os",
    "a",
    "as",
    "em",
    "na",
    "no",
    "nas",
    "nos",
    "para",
    "por",
    "com",
    "ao",
    "à",
]

# Kinds of paragraph (see en.py).
DECLARATORY_VERBS = [
    r"decide\s+(?:continuar|permanecer)\s+(?:ocupando-se|ocupado)",
    r"reafirma(?:r)?",
    r"condena(?:r)?",
    r"expressa(?:r)?",
    r"manifesta(?:r)?",
    r"reitera(?:r)?",
    r"acolhe(?:r)?",
    r"sa[úu]da(?:r)?",
    r"reconhece(?:r)?",
    r"toma(?:r)?\s+nota",
    r"ressalta(?:r)?",
    r"salienta(?:r)?",
    r"sublinha(?:r)?",
    r"lembra(?:r)?",
    r"recorda(?:r)?",
    r"agradece(?:r)?",
    r"declara(?:r)?",
    r"deplora(?:r)?",
]
DUTY_OF_STATES = [r"(?:dever(?:es)?|obriga[cç](?:[aã]o|[õo]es)|compromissos?)\s+dos\s+Estados"]
STATES_WORDS = [r"(?:os\s+)?Estados(?!\s+(?:Americanos|Unidos))(?:[\s-]+membros)?", r"governos?"]
