"""Texts of each failure kind of issue 12 (our own, tests/data/import/kinds) and real OAS texts
in Spanish and Portuguese (tests/data/import/oas, sources in its SOURCES.md)."""

from pathlib import Path

import pytest

from mandates.importer import parse_text
from tests import snapshot
from tests.importer_helpers import flat, warnings_text

DATA = Path(__file__).parent / "data" / "import"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def directory():
    snapshot.default_data(["organs.json", "sessions.json"])


def parse(name: str, **options):
    return parse_text((DATA / name).read_text(encoding="utf-8"), **options)


def test_a_text_flattened_into_one_line_is_split_at_its_numbered_paragraphs():
    result = parse("kinds/flattened-one-line.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "AG/RES. 2950 (XLV-O/15)"
    assert result["title"] == "Strengthening the Inter-American Program on Migration"
    assert result["adopted_on"] == "2015-06-16"
    assert list(paragraphs) == ["1", "2", "2.a", "2.b", "2.c", "3"]
    # "2." inside the preamble is not a paragraph: the numbering starts after RESOLVES.
    assert "and that 2. the numbering" in result.preamble
    assert paragraphs["2.b"]["text"] == "present it to the Permanent Council by 31 May annually;"
    assert paragraphs["3"]["organs"] == ["IACHR", "GA"]
    assert "arrived as one long line" in warnings_text(result)


def test_doubled_labels_a_wrapped_header_a_page_footer_and_convoke_for_a_date():
    result = parse("kinds/cp-res-wrapped-doubled-footer.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "CP/RES. 797 (1293/01)"
    assert result.kind == "pc_resolution"
    assert result.preamble.startswith(
        "THE PERMANENT COUNCIL OF THE ORGANIZATION OF AMERICAN STATES,\n\nCONSIDERING"
    )
    assert list(paragraphs) == ["1", "2"]
    assert paragraphs["1"]["text"].startswith("To convoke a special session")
    assert paragraphs["1"]["deadlines"] == [
        {"due_on": "2001-09-21", "session": None, "wording": "for September 21, 2001"}
    ]
    # The page footer ("CP07950E04", "- 2 -") is not part of the last paragraph.
    assert paragraphs["2"]["text"].endswith("on the follow-up to the Charter.")
    assert paragraphs["2"]["deadlines"] == [
        {
            "due_on": "2002-05-31",
            "session": None,
            "wording": "by 31 May annually",
            "recurrence": "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31",
        }
    ]


def test_a_spanish_special_session_resolution():
    result = parse("kinds/ag-res-spanish-special-session.txt")
    paragraphs = flat(result["paragraphs"])

    assert (result.language, result.organization) == ("es", "oas")
    assert result["symbol"] == "AG/RES. 1 (XLI-E/11)"
    assert result["adopted_on"] == "2011-06-01"
    assert result["title"] == "Programa-Presupuesto de la Organización para 2012"
    assert paragraphs["1"]["organs"] == ["PC", "GA"]  # "que presente a la Asamblea General"
    assert paragraphs["1"]["deadlines"] == [
        {
            "due_on": "2012-06-03",
            "session": 42,
            "wording": "cuadragésimo segundo período ordinario de sesiones",
        }
    ]
    assert paragraphs["2"]["organs"] == ["GS"]
    assert paragraphs["2"]["deadlines"][0]["recurrence"] == "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31"
    assert paragraphs["2"]["deadlines"][0]["wording"] == "a más tardar el 31 de mayo de cada año"
    assert paragraphs["3"]["organs"] == ["GS", "CAAP"]
    assert paragraphs["3"]["deadlines"][0]["due_on"] == "2011-09-15"


def test_a_un_text_without_symbol_is_not_given_one_from_its_preamble():
    result = parse("kinds/un-page-marks-no-symbol.txt")
    paragraphs = flat(result["paragraphs"])

    assert result.organization == "un"
    assert result["symbol"] == ""  # A/RES/79/140 is cited in the preamble: never taken
    assert "give it (--symbol)" in warnings_text(result)
    assert result["title"] == "Strengthening the coordination of emergency assistance"
    assert list(paragraphs) == ["1", "2", "3"]  # the annex's "1." is not operative
    # Page marks ("25-20001 2/3", "A/RES/80/99") are dropped; the paragraph continues.
    assert paragraphs["2"]["text"].endswith("coordination of assistance in 2024, and thereafter;")
    assert paragraphs["2"]["organs"] == ["SG"]  # "the Secretariat" requests go to the SG
    assert paragraphs["1"]["deadlines"][0]["due_on"] == "2026-09-08"  # the 81st opens


def test_the_symbol_can_be_given_explicitly():
    result = parse("kinds/un-page-marks-no-symbol.txt", symbol="A/RES/80/99")

    assert result["symbol"] == "A/RES/80/99"


def test_the_organization_can_be_given_when_the_header_does_not_say():
    text = (DATA / "kinds" / "un-page-marks-no-symbol.txt").read_text(encoding="utf-8")
    text = text.replace("United Nations\n", "")

    assert parse_text(text).organization == "oas"  # nothing says UN: the default, warned
    assert "read as an OAS text" in warnings_text(parse_text(text))
    assert parse_text(text, organization="un").organization == "un"


def test_a_real_spanish_permanent_council_resolution():
    result = parse("oas/cp-res-936-es.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "CP/RES. 936 (1650/08)"
    assert result["adopted_on"] == "2008-05-09"
    assert result.preamble.startswith("EL CONSEJO PERMANENTE DE LA ORGANIZACIÓN")
    assert list(paragraphs) == ["1", "2", "3"]
    assert paragraphs["3"]["organs"] == ["GS"]  # "Solicitar al Secretario General"
    # The resolutions cited in the operative part are not the symbol.
    assert "AG/RES. 50 (I-O/71)" in paragraphs["1"]["text"]


def test_a_real_portuguese_permanent_council_resolution():
    result = parse("oas/cp-res-994-pt.txt")

    assert result.language == "pt"
    assert result["symbol"] == "CP/RES. 994 (1831/11)"
    assert result["adopted_on"] == "2011-12-02"
    assert result["title"].startswith("Data do Quadragésimo Segundo Período Ordinário")
    [paragraph] = result["paragraphs"]
    assert paragraph["text"].startswith("Ad referendum da Assembléia Geral")


def test_a_paragraph_joined_across_a_page_break_is_flagged_where_it_happened():
    result = parse("kinds/un-page-marks-no-symbol.txt")

    [warning] = [w for w in result.warnings if "across a page break" in w.message]
    assert warning.line == 29  # "thereafter;", after the dropped running symbol
    assert warning.message.startswith("¶2 continues here")


def test_wording_that_looks_like_a_deadline_but_is_not_read_is_flagged():
    text = (
        "AG/RES. 2900 (XLIII-O/13)\nA TITLE\n(Adopted on June 5, 2013)\nTHE GENERAL ASSEMBLY,\n"
        "RESOLVES:\n1. To request the Permanent Council to report before the end of the "
        "biennium, and by June 30, 2014.\n"
    )
    result = parse_text(text)

    [paragraph] = result["paragraphs"]
    assert [d["wording"] for d in paragraph["deadlines"]] == ["by June 30, 2014"]
    assert [str(w) for w in result.warnings if "looks like a deadline" in str(w)] == [
        "Line 6: ¶1: “before the end of the biennium” looks like a deadline but was not read "
        "as one; add it if it is one."
    ]


def test_a_security_council_text_reports_every_90_days_and_remains_seized():
    """Our own text in the Security Council's layout: a periodic report is a recurring
    deadline from the adoption; "Decides to remain seized of the matter" orders nothing."""
    result = parse("kinds/sc-every-90-days.txt")
    assert (result["symbol"], result["adopted_on"]) == ("S/RES/2999 (2025)", "2025-03-03")
    paragraphs = flat(result["paragraphs"])
    assert paragraphs["2"]["organs"] == ["SG"]
    assert paragraphs["2"]["deadlines"] == [
        {
            "due_on": "2025-06-01",
            "session": None,
            "wording": "every 90 days",
            "recurrence": "FREQ=DAILY;INTERVAL=90",
        }
    ]
    assert paragraphs["3"]["kind"] == "declaratory"
    assert paragraphs["3"]["deadlines"] == []


def test_a_human_rights_council_text_keeps_its_own_sessions_apart():
    """Our own text in the Human Rights Council's layout: "at its fifty-sixth session" is the
    Council's session, not the General Assembly's 56th; "38th meeting" closes the text; the
    Office of the High Commissioner is in the UN directory."""
    snapshot.default_data(["organs.json", "un-organs.json", "sessions.json"])
    result = parse("kinds/hrc-own-sessions.txt")
    assert (result["symbol"], result["adopted_on"]) == ("A/HRC/RES/53/7", "2023-07-12")
    assert result["title"] == "Human rights of migrants"
    paragraphs = flat(result["paragraphs"])
    assert paragraphs["2"]["organs"] == ["OHCHR", "HRC"]
    assert all(p["deadlines"] == [] for p in paragraphs.values())
    assert paragraphs["3"]["text"] == (
        "Decides to continue its consideration of the question at its fifty-ninth session."
    )
    assert (
        "“at its fifty-sixth session” is a session of the Human Rights Council, not of the "
        "General Assembly" in warnings_text(result)
    )


def test_an_ecosoc_text_numbered_by_year_gets_its_symbol_and_title():
    """Our own text in ECOSOC's layout without the symbol in its header: "2024/12. Title"
    under "Economic and Social Council" is E/RES/2024/12 (with a warning), and the number is
    not part of the title."""
    result = parse("kinds/ecosoc-year-numbered.txt")
    assert result["symbol"] == "E/RES/2024/12"
    assert result["title"] == (
        "Mainstreaming a gender perspective into all policies and programmes in the United "
        "Nations system"
    )
    assert result["adopted_on"] == "2024-07-24"
    assert [p["label"] for p in result["paragraphs"]] == ["1", "2"]
    assert (
        result["paragraphs"][1]["text"] == "Decides to consider the question at its 2025 session."
    )
    assert "E/RES/2024/12 was built from the title line" in warnings_text(result)
