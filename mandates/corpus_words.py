"""Vocabulary of the synthetic corpus (`mandates.corpus`): organs, topics, phrasing, records.

Data only. Organs below complete the real directory in fixtures/organs.json to about sixty,
two or three levels deep, as the OAS General Secretariat and the Councils are organized.
"""

# (acronym, name, parent acronym, kind)
EXTRA_ORGANS = [
    ("SSD", "Secretariat for Strengthening Democracy", "GS", "dependency"),
    ("SMS", "Secretariat for Multidimensional Security", "GS", "dependency"),
    ("SAF", "Secretariat for Administration and Finance", "GS", "dependency"),
    ("SLA", "Secretariat for Legal Affairs", "GS", "dependency"),
    ("SARE", "Secretariat for Access to Rights and Equity", "GS", "dependency"),
    ("SHA", "Secretariat for Hemispheric Affairs", "GS", "dependency"),
    ("OIG", "Office of the Inspector General", "GS", "dependency"),
    ("DHDEE", "Department of Human Development, Education and Employment", "SEDI", "dependency"),
    ("DSD", "Department of Sustainable Development", "SEDI", "dependency"),
    ("DEDT", "Department of Economic Development, Trade and Tourism", "SEDI", "dependency"),
    ("DECO", "Department for Electoral Cooperation and Observation", "SSD", "dependency"),
    ("DSDSM", "Department of Sustainable Democracy and Special Missions", "SSD", "dependency"),
    ("DPS", "Department of Public Security", "SMS", "dependency"),
    ("DTOC", "Department against Transnational Organized Crime", "SMS", "dependency"),
    ("DHR", "Department of Human Resources", "SAF", "dependency"),
    (
        "DFAMS",
        "Department of Financial and Administrative Management Services",
        "SAF",
        "dependency",
    ),
    ("DLS", "Department of Legal Services", "SLA", "dependency"),
    ("DSI", "Department of Social Inclusion", "SARE", "dependency"),
    ("DGE", "Department of Gender Equality", "SARE", "dependency"),
    ("WG-MIG", "Working Group on Migration", "CAJP", "organ"),
    ("WG-IAD", "Working Group on the Inter-American Democratic Charter", "CAJP", "organ"),
    ("SC-PBA", "Subcommittee on Program, Budget and Administration", "CAAP", "organ"),
    ("WG-CSP", "Working Group on Civil Society Participation", "CISC", "organ"),
    ("WG-HS", "Working Group on Hemispheric Security", "CSH", "organ"),
    ("CIE", "Inter-American Committee on Education", "CIDI", "organ"),
    ("CIDS", "Inter-American Committee on Sustainable Development", "CIDI", "organ"),
    ("CIMT", "Inter-American Conference of Ministers of Labor", "CIDI", "organ"),
    ("RELE", "Office of the Special Rapporteur for Freedom of Expression", "IACHR", "agency"),
    (
        "REDESCA",
        "Special Rapporteurship on Economic, Social, Cultural and Environmental Rights",
        "IACHR",
        "agency",
    ),  # fmt: skip
    ("MESECVI", "Follow-up Mechanism to the Belém do Pará Convention", "CIM", "agency"),
    (
        "MESICIC",
        "Follow-up Mechanism for the Inter-American Convention against Corruption",
        "SLA",
        "agency",
    ),  # fmt: skip
]

# Who leads a paragraph: the General Secretariat and its dependencies carry the most.
LEAD_WEIGHTS = [
    ("GS", 300), ("SEDI", 30), ("DIL", 20), ("SSD", 20), ("SMS", 20), ("SAF", 12), ("SLA", 12),
    ("SARE", 12), ("SHA", 8), ("OIG", 4), ("DHDEE", 10), ("DSD", 10), ("DEDT", 8), ("DECO", 10),
    ("DSDSM", 6), ("DPS", 8), ("DTOC", 8), ("DHR", 4), ("DFAMS", 4), ("DLS", 4), ("DSI", 6),
    ("DGE", 6), ("PC", 60), ("CAJP", 45), ("CAAP", 20), ("CISC", 10), ("CSH", 20), ("WG-MIG", 6),
    ("WG-IAD", 6), ("SC-PBA", 6), ("WG-CSP", 4), ("WG-HS", 4), ("GA", 20), ("CIDI", 25),
    ("IACD", 6), ("CIE", 6), ("CIDS", 6), ("CIMT", 6), ("IACHR", 40), ("SRMW", 6), ("RELE", 6),
    ("REDESCA", 6), ("I/A Court H.R.", 8), ("CJI", 15), ("IIN", 8), ("CIM", 15), ("MESECVI", 6),
    ("MESICIC", 6), ("PAHO", 8), ("IICA", 6), ("PAIGH", 3), ("PADF", 3), ("CEJA", 3),
    ("CITEL", 4), ("CIP", 3), ("CICAD", 12), ("CICTE", 10), ("IADB", 6), ("MS", 60), ("OAE", 4),
]  # fmt: skip

PLACES = [
    "Washington, D.C., United States", "Santo Domingo, Dominican Republic", "Panama City, Panama",
    "Medellín, Colombia", "San Pedro Sula, Honduras", "Lima, Peru", "San Salvador, El Salvador",
    "Cochabamba, Bolivia", "La Antigua, Guatemala", "Asunción, Paraguay", "Santo Domingo de los "
    "Tsáchilas, Ecuador", "Cancún, Mexico", "Santiago, Chile", "Bridgetown, Barbados",
    "Montevideo, Uruguay", "Buenos Aires, Argentina", "Kingston, Jamaica", "Ottawa, Canada",
]  # fmt: skip

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip

TOPICS = [
    "The Human Rights of All Migrant Workers and Their Families",
    "Promotion of Hemispheric Security: A Multidimensional Approach",
    "Inter-American Program for the Development of International Law",
    "Strengthening Democracy", "Advancing Hemispheric Initiatives on Integral Development",
    "Promotion and Protection of Human Rights", "International Law",
    "Observations and Recommendations on the Annual Report of the Inter-American Juridical "
    "Committee", "Right to Freedom of Thought and Expression and the Importance of the Media",
    "Inter-American Program on Access to Public Information",
    "Prevention and Eradication of Sexual Exploitation and Trafficking of Children",
    "Firearms, Ammunition, Explosives and Other Related Materials",
    "Program-Budget of the Organization", "Modernization of the Organization",
    "Rights of Persons with Disabilities", "Indigenous Peoples of the Americas",
    "Persons Deprived of Liberty", "Gender Equality and Women's Empowerment",
    "Cooperation on Drug Policy", "Natural Disaster Reduction and Risk Management",
    "Inter-American Convention against Corruption: Follow-up", "Youth and Education",
    "Civil Society Participation in OAS Activities", "Climate Change and Sustainable Development",
    "Refugees, Internally Displaced Persons and Stateless Persons", "Cybersecurity",
]  # fmt: skip

VERBS = [
    "Requests", "Instructs", "Urges", "Encourages", "Calls upon", "Invites", "Entrusts",
    "Requests further", "Reiterates its request to", "Mandates",
]  # fmt: skip

ACTIONS = [
    "present a report on the implementation of", "convene a special meeting on",
    "prepare a study on", "continue to support member states in", "hold a dialogue on",
    "draft model legislation on", "compile best practices regarding",
    "include in its annual report a chapter on", "organize a regional seminar on",
    "prepare a draft inter-American program on", "update the technical guide on",
    "provide technical assistance for", "coordinate with the relevant agencies on",
]  # fmt: skip

SUBJECTS = [
    "the protection of migrant workers and their families", "access to public information",
    "the rights of persons deprived of liberty", "the prevention of violence against women",
    "electoral observation missions", "the financing of the Organization's programs",
    "combating transnational organized crime", "the promotion of international law",
    "the strengthening of democratic institutions", "the eradication of child labor",
    "the rights of indigenous peoples", "trade facilitation and competitiveness",
    "disaster risk reduction", "the use of information and communication technologies",
]  # fmt: skip

# kind: (title form, document symbol forms)
RECORD_KINDS = {
    "report": (
        "Report of {organ} on the implementation of resolution {symbol}",
        ["CP/doc.{n}/{yy}", "AG/doc.{n}/{yy}", "A/{session}/{n}", "CP/CAJP-{n}/{yy}"],
    ),
    "meeting": (
        "Meeting held by {organ} on the follow-up of {symbol}",
        ["CP/CAJP/SA.{n}/{yy}", "CP/ACTA {n}/{yy}", "OEA/Ser.G CP/CAJP-{n}/{yy}"],
    ),
    "decision": (
        "Decision adopted on the matters referred by {symbol}",
        ["CP/DEC. {n} ({yy})", "CP/RES. {n} ({yy})", "A/DEC/{session}/{n}"],
    ),
    "document": (
        "Information document published by {organ} ({year})",
        ["CP/INF. {n}/{yy}", "CP/CAJP/INF. {n}/{yy}", ""],
    ),
    "other": ("Follow-up activity by {organ} under {symbol}", [""]),
}
