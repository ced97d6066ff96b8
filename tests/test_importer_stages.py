"""Each stage of the importer on its own: reading (clean lines), layout, meaning
(deadlines, organs, organization, language), without the whole pipeline."""

import datetime

import pytest

from mandates.importer import lexicon
from mandates.importer.dates import _FULL_DATE, _date_from_match
from mandates.importer.deadlines import DeadlineMeaning
from mandates.importer.directory import OrganDirectory
from mandates.importer.layout import HeaderLayout
from mandates.importer.meaning import repair_hyphens, strip_footnote_markers
from mandates.importer.organizations import DEFAULTS, detect
from mandates.importer.paragraphs import _Node
from mandates.importer.reading import clean_lines

# --- reading ---------------------------------------------------------------------------------


def test_clean_lines_makes_a_doubled_label_single():
    lines, _notes = clean_lines("1.  1. To instruct the General Secretariat.\n(a)  (a) To act;")

    assert [line.text for line in lines] == [
        "1. To instruct the General Secretariat.",
        "(a) To act;",
    ]


def test_clean_lines_joins_a_header_wrapped_over_two_lines_keeping_line_numbers():
    text = "THE PERMANENT COUNCIL OF THE ORGANIZATION OF AMERICAN\nSTATES,\nCONSIDERING that"
    lines, _notes = clean_lines(text)

    assert lines[0].text == "THE PERMANENT COUNCIL OF THE ORGANIZATION OF AMERICAN STATES,"
    assert (lines[1].number, lines[1].text) == (2, "")
    assert lines[2].text == "CONSIDERING that"


def test_clean_lines_splits_a_flattened_text_at_its_numbers_in_sequence_only():
    text = (
        "THE GENERAL ASSEMBLY, CONSIDERING the report of 2021; RESOLVES: 1. To request the "
        "Council to act on resolution 3. To be clear, nothing here is paragraph 3. 2. To "
        "instruct the General Secretariat to: a. prepare a study; b. publish it. "
        + "This sentence pads the line to the length of a flattened text. "
        * 6
    )
    lines, notes = clean_lines(text)

    starts = [line.text.split(" ", 1)[0] for line in lines]
    assert notes == ["flattened"]
    assert starts == ["THE", "RESOLVES:", "1.", "2.", "a.", "b."]


def test_a_long_line_without_a_numbered_sequence_is_left_alone():
    text = "Recalling its resolutions " + "46/36 L of 9 December 1991, " * 40

    lines, notes = clean_lines(text)
    assert (len(lines), notes) == (1, [])


# --- layout ----------------------------------------------------------------------------------


class _Layout(HeaderLayout):
    def __init__(self):
        self.warnings = []

    def warn(self, line, message):
        self.warnings.append((line, message))


def lines_of(text):
    return clean_lines(text)[0]


def test_the_un_operative_part_starts_at_paragraph_1_after_the_preamble():
    layout = _Layout()
    lines = lines_of(
        "The General Assembly,\n\nRecalling its resolution 79/1,\n\n1. Decides to act;\n\n"
        "2. Requests the Secretary-General to report;\n\n52nd plenary meeting 1 December 2025\n"
        "Annex\n1. We, the Heads of State,"
    )

    assert layout.find_un_operative_start(lines) == 4


def test_a_single_unnumbered_un_paragraph_is_found_by_its_verb():
    layout = _Layout()
    lines = lines_of(
        "The General Assembly\n\nAdopts the declaration annexed.\n\n28th plenary meeting"
    )

    assert layout.find_un_operative_start(lines) == 2


def test_the_un_symbol_comes_from_the_title_line_under_a_general_assembly_header():
    layout = _Layout()
    head = lines_of("United Nations\nGeneral Assembly\nEightieth session\n80/28. Transparency")

    index, symbol, kind, session = layout.find_un_symbol(head)
    assert (index, symbol, kind, session) == (3, "A/RES/80/28", "ga_resolution", 80)
    assert "built from the title line" in layout.warnings[0][1]


def test_a_printed_un_symbol_is_taken_as_printed():
    layout = _Layout()

    found = layout.find_un_symbol(lines_of("United Nations\nS/RES/2790 (2025)\nSecurity Council"))
    assert found[1] == "S/RES/2790 (2025)"
    assert layout.warnings == []


# --- meaning ---------------------------------------------------------------------------------


class _Deadlines(DeadlineMeaning):
    def __init__(self, adopted_on, sessions=None, session=None):
        self.adopted_on, self.sessions, self.session = adopted_on, sessions or {}, session
        self.warnings = []

    def warn(self, line, message):
        self.warnings.append(message)

    def check_time(self):
        pass


def read_deadlines(text, **kwargs):
    node = _Node("1", 1, [(1, text)])
    return _Deadlines(**kwargs).deadlines(text, node)


@pytest.mark.parametrize(
    "text, wording, due, rule",
    [
        ("to provide data by 31 May annually,", "by 31 May annually", "2026-05-31", "BYMONTH=5"),
        ("to report annually by 30 April", "annually by 30 April", "2026-04-30", "BYMONTH=4"),
        ("by 15 January each year", "by 15 January each year", "2026-01-15", "BYMONTH=1"),
        (
            "a más tardar el 31 de mayo de cada año",
            "a más tardar el 31 de mayo de cada año",
            "2026-05-31",
            "BYMONTH=5",
        ),
    ],
)
def test_a_recurring_deadline_keeps_its_rule_and_its_first_due_date(text, wording, due, rule):
    [deadline] = read_deadlines(text, adopted_on=datetime.date(2025, 12, 1))

    assert (deadline["wording"], deadline["due_on"]) == (wording, due)
    assert deadline["recurrence"].startswith(f"FREQ=YEARLY;{rule};")


@pytest.mark.parametrize(
    "text, wording, due, rule",
    [
        (
            "to report to the Council every 90 days on the implementation",
            "every 90 days",
            "2026-03-01",
            "FREQ=DAILY;INTERVAL=90",
        ),
        (
            "to brief it every six months",
            "every six months",
            "2026-06-01",
            "FREQ=MONTHLY;INTERVAL=6",
        ),
        ("que informe cada seis meses", "cada seis meses", "2026-06-01", "FREQ=MONTHLY;INTERVAL=6"),
        (
            "de faire rapport tous les 120 jours",
            "tous les 120 jours",
            "2026-03-31",
            "FREQ=DAILY;INTERVAL=120",
        ),
        (
            "que apresente a cada dois anos",
            "a cada dois anos",
            "2027-12-01",
            "FREQ=YEARLY;INTERVAL=2",
        ),
    ],
)
def test_a_periodic_deadline_recurs_from_the_adoption(text, wording, due, rule):
    [deadline] = read_deadlines(text, adopted_on=datetime.date(2025, 12, 1))

    assert (deadline["wording"], deadline["due_on"], deadline["recurrence"]) == (wording, due, rule)


def test_every_year_without_a_number_or_a_date_is_no_deadline():
    assert read_deadlines("to report every year", adopted_on=datetime.date(2025, 12, 1)) == []


@pytest.mark.parametrize(
    "text, session",
    [
        ("to report to it at its eighty-first session", 81),
        ("al cuadragésimo primer período ordinario de sesiones", 41),
        ("lors de sa quarante et unième session ordinaire", 41),
        ("no quadragésimo primeiro período ordinário de sessões", 41),
    ],
)
def test_session_ordinals_of_four_languages(text, session):
    [deadline] = read_deadlines(text, adopted_on=datetime.date(2010, 6, 8), session=40)

    assert deadline["session"] == session


@pytest.mark.parametrize(
    "text, date",
    [
        ("1 December 2025", datetime.date(2025, 12, 1)),
        ("June 5, 2007", datetime.date(2007, 6, 5)),
        ("1 de junio de 2011", datetime.date(2011, 6, 1)),
        ("7 juin 2011", datetime.date(2011, 6, 7)),
        ("2 de dezembro de 2011", datetime.date(2011, 12, 2)),
    ],
)
def test_dates_in_four_languages(text, date):
    assert _date_from_match(_FULL_DATE.search(text)) == date


def test_footnote_markers_and_line_end_hyphens():
    assert strip_footnote_markers("the Treaty[^8] on 24 December 2014, in 2024,4 and") == (
        "the Treaty on 24 December 2014, in 2024, and"
    )
    assert repair_hyphens("its eighty- third session, pre- and post-conflict") == (
        "its eighty-third session, pre- and post-conflict"
    )


def test_the_directory_keeps_the_organs_of_one_organization():
    organs = [
        {"acronym": "GA", "name": "General Assembly"},
        {"acronym": "UNGA", "name": "General Assembly", "organization": "un"},
    ]

    text = "to the General Assembly"
    assert OrganDirectory.build(organs, "un").find(text)[0][2] == "UNGA"
    assert OrganDirectory.build(organs, "oas").find(text)[0][2] == "GA"


@pytest.mark.parametrize(
    "header, code, how",
    [
        ("OEA/Ser.P\nAG/RES. 2289 (XXXVII-O/07)", "oas", "symbol"),
        ("United Nations\nA/RES/80/28\nGeneral Assembly", "un", "symbol"),
        ("General Assembly\nEightieth session\n80/28. Transparency in armaments", "un", "symbol"),
        ("Naciones Unidas\nAsamblea General", "un", "name"),
        ("A TITLE WITHOUT ANY SIGN", "oas", "default"),
    ],
)
def test_the_organization_is_detected_from_the_header(header, code, how):
    detected = detect(header, DEFAULTS)

    assert (detected.code, detected.how) == (code, how)


@pytest.mark.parametrize(
    "text, language",
    [
        ("The General Assembly, recalling its resolutions and the reports of the", "en"),
        ("La Asamblea General, recordando sus resoluciones y los informes de la", "es"),
        ("L'Assemblée générale, rappelant ses résolutions et les rapports du", "fr"),
        ("A Assembleia Geral, lembrando as suas resoluções e os relatórios do", "pt"),
    ],
)
def test_the_language_is_recognised_from_common_words(text, language):
    assert lexicon.language_of(text) == language
