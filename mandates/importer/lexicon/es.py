"""Spanish (español)."""

COMMON_WORDS = ["el", "la", "de", "los", "las", "y", "en", "del", "que", "para", "con", "su"]
MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
ORDINAL_UNITS = {
    "primer": 1,
    "primero": 1,
    "primera": 1,
    "segundo": 2,
    "segunda": 2,
    "tercer": 3,
    "tercero": 3,
    "tercera": 3,
    "cuarto": 4,
    "cuarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "sexta": 6,
    "séptimo": 7,
    "séptima": 7,
    "octavo": 8,
    "octava": 8,
    "noveno": 9,
    "novena": 9,
    "décimo": 10,
    "décima": 10,
    "undécimo": 11,
    "duodécimo": 12,
}
ORDINAL_TENS = {
    "décimo": 10,
    "vigésimo": 20,
    "trigésimo": 30,
    "cuadragésimo": 40,
    "quincuagésimo": 50,
    "sexagésimo": 60,
    "septuagésimo": 70,
    "octogésimo": 80,
    "nonagésimo": 90,
    "vigésima": 20,
    "trigésima": 30,
    "cuadragésima": 40,
    "quincuagésima": 50,
    "sexagésima": 60,
    "septuagésima": 70,
    "octogésima": 80,
    "nonagésima": 90,
}
ORDINAL_JOINERS = [" "]
HEADER_BODIES = [
    r"Asamblea\s+General",
    r"Consejo\s+Permanente",
    r"Consejo\s+de\s+Seguridad",
    r"Consejo\s+Interamericano\s+para\s+el\s+Desarrollo\s+Integral",
]
HEADER_ARTICLES = [r"La", r"El"]
TRIGGERS = ["RESUELVE", "DECIDE", "DECLARA", "ACUERDA"]
ADOPTED = [r"aprobad[ao]", r"adoptad[ao]"]
SESSION_NOUNS = [r"per[ií]odo\s+ordinario\s+de\s+sesiones", r"per[ií]odo\s+de\s+sesiones"]
ADDRESSEE_VERBS = [
    "encomendar a",
    "encomendar al",
    "instruir a",
    "instruir al",
    "solicitar a",
    "solicitar al",
    "pedir a",
    "pedir al",
    "encargar a",
    "encargar al",
    "exhortar a",
    "invitar a",
    "instar a",
    "alentar a",
]
ADDRESSEE_VERBS_3RD = [
    "solicita a",
    "solicita al",
    "pide a",
    "pide al",
    "encomienda a",
    "encomienda al",
    "exhorta a",
    "invita a",
    "insta a",
    "alienta a",
]
END_MARKERS = [
    r"\d{1,3}\.?[ªa]?\.?\s+sesi[oó]n\s+plenaria\b.*",
    r"\d{1,3}\.?[ªa]\.?\s+sesi[oó]n",  # the Human Rights Council's "38ª sesión"
    r"anexos?(?:\s+[IVX\d]+)?",
]
ANNUALLY = [r"anualmente", r"cada\s+año", r"todos\s+los\s+años"]

# Periodic deadlines ("cada 90 días", "cada seis meses").
EVERY = [r"cada"]
CARDINALS = {
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "diez": 10,
    "seis": 6,
    "doce": 12,
    "sesenta": 60,
    "noventa": 90,
}
PERIOD_UNITS = {
    "días": "DAILY",
    "dias": "DAILY",
    "semanas": "WEEKLY",
    "meses": "MONTHLY",
    "años": "YEARLY",
}
ORGAN_ALIASES = {
    "GA": ["Asamblea General"],
    "PC": ["Consejo Permanente"],
    "GS": ["Secretario General", "Secretaría General"],
    "CAJP": ["Comisión de Asuntos Jurídicos y Políticos"],
    "CAAP": ["Comisión de Asuntos Administrativos y Presupuestarios"],
    "IACHR": ["Comisión Interamericana de Derechos Humanos", "CIDH"],
    "CJI": ["Comité Jurídico Interamericano"],
    "CIM": ["Comisión Interamericana de Mujeres"],
    "DIL": ["Departamento de Derecho Internacional"],
    "MS": ["Estados Miembros", "los Estados Miembros"],
}

# Lowercase inside a title ("Programa-presupuesto de la Organización").
SMALL_WORDS = [
    "de",
    "del",
    "la",
    "las",
    "el",
    "los",
    "y",
    "e",
    "o",
    "u",
    "en",
    "para",
    "por",
    "con",
    "a",
    "al",
    "ante",
    "sobre",
    "entre",
    "sin",
]

# Kinds of paragraph (see en.py).
DECLARATORY_VERBS = [
    r"decide\s+(?:seguir|mantener(?:se)?)\s+ocup[aá]ndose",
    r"reafirma(?:r)?",
    r"condena(?:r)?",
    r"expresa(?:r)?",
    r"manifesta(?:r)?|manifiesta",
    r"reitera(?:r)?",
    r"acoge(?:r)?",
    r"reconoc(?:er|e)",
    r"toma(?:r)?\s+nota",
    r"destaca(?:r)?",
    r"subraya(?:r)?",
    r"recordar|recuerda",
    r"felicita(?:r)?",
    r"agradec(?:er|e)",
    r"declara(?:r)?",
    r"deplora(?:r)?",
    r"saluda(?:r)?",
    r"resalta(?:r)?",
    r"enfatiza(?:r)?",
]
DUTY_OF_STATES = [r"(?:deber|deberes|obligaci[oó]n|obligaciones|compromisos?)\s+de\s+los\s+Estados"]
STATES_WORDS = [r"(?:los\s+)?Estados(?!\s+(?:Americanos|Unidos))(?:\s+Miembros)?", r"gobiernos?"]
